import { describe, expect, it } from 'vitest';
import type { ProjectRun } from '../../../core/project/project';
import { GUIDES } from '../../../renderer/lib/guides';
import { findTemplate } from '../../../renderer/lib/templates';
import { findScratchRun } from '../../../renderer/services/scratchCompare';
import { createAppStore } from '../../../renderer/store';
import { chain, makeGraph, makeNode } from '../../builders';

const graph = makeGraph(
  [makeNode('TokenInput', { seqLen: 8 }, 'in'), makeNode('Embedding', { dim: 4 }, 'emb'), makeNode('NextTokenHead', {}, 'head')],
  chain('in', 'emb', 'head'),
  'Tiny LM',
);
const parent = { runId: 'p', name: 'Pre-trained', step: 30, tokenizer: 'char' };

describe('freeze mode', () => {
  it('is only on while fine-tuning, and each click is one undoable, redoable step', () => {
    const store = createAppStore({ graph });
    const s = () => store.getState();
    s().setFreezeMode(true);
    expect(s().isFreezeMode).toBe(false);
    s().beginFineTune(parent);
    s().setFreezeMode(true);
    expect(s().isFreezeMode).toBe(true);
    s().toggleFrozen('emb');
    s().toggleFrozen('head');
    s().toggleFrozen('emb');
    expect(s().frozen).toEqual(['head']);
    s().undoFreeze();
    expect(s().frozen).toEqual(['emb', 'head']);
    s().undoFreeze();
    s().undoFreeze();
    expect(s().frozen).toEqual([]);
    s().undoFreeze(); // nothing left: no change
    expect(s().frozen).toEqual([]);
    s().redoFreeze();
    expect(s().frozen).toEqual(['emb']);
    s().toggleFrozen('head'); // a new click drops what was undone
    expect(s().frozenFuture).toEqual([]);
    expect(s().graph).toBe(graph); // freezing never edits the graph or its history
    expect(s().past).toEqual([]);
    s().cancelFineTune();
    expect(s()).toMatchObject({ isFreezeMode: false, frozen: [], frozenPast: [] });
  });
});

const record = (id: string, patch: Partial<ProjectRun> = {}): ProjectRun =>
  ({
    id,
    name: id,
    createdAt: '2026-01-01T10:00:00.000Z',
    graph,
    training: { dataset: 'instructions', tokenizer: 'char', steps: 100 },
    metrics: { steps: [], evals: [] },
    ...patch,
  }) as ProjectRun;

describe('Compare with scratch', () => {
  it('picks a from-scratch run of the same graph, data, tokenizer and steps, never a fine-tuned one', () => {
    const child = record('child', { parent: { runId: 'p', name: 'Pre-trained', step: 30 } });
    const moved = { ...graph, nodes: graph.nodes.map((n) => ({ ...n, position: { x: 99, y: 9 } })) };
    expect(findScratchRun([child], child)).toBeUndefined();
    expect(findScratchRun([record('other-steps', { training: { dataset: 'instructions', tokenizer: 'char', steps: 50 } }), child], child)).toBeUndefined();
    expect(findScratchRun([record('other-data', { training: { dataset: 'shakespeare', tokenizer: 'char', steps: 100 } }), child], child)).toBeUndefined();
    const wider = { ...graph, nodes: graph.nodes.map((n) => (n.id === 'emb' ? { ...n, params: { dim: 8 } } : n)) };
    expect(findScratchRun([record('other-graph', { graph: wider }), child], child)).toBeUndefined();
    const sibling = record('sibling', { parent: { runId: 'q', name: 'Other', step: 5 } });
    expect(findScratchRun([sibling, child], child)).toBeUndefined();
    expect(findScratchRun([record('old'), record('scratch', { graph: moved }), child], child)?.id).toBe('scratch');
  });
});

describe('guided projects', () => {
  it('each opens a graph that exists, with steps that say what to click, what to look for and why', () => {
    expect(GUIDES.map((g) => g.title)).toEqual(['From GPT to ChatGPT', 'Transfer']);
    for (const g of GUIDES) {
      expect(g.graph ?? findTemplate(g.template)?.graph).toBeDefined();
      expect(g.steps.length).toBeGreaterThanOrEqual(3);
      for (const step of g.steps) {
        expect(step.actions.length).toBeGreaterThan(0);
        expect(step.look).not.toBe('');
        expect(step.why).not.toBe('');
      }
    }
    const store = createAppStore();
    store.getState().startGuide('transfer');
    store.getState().setGuideStep(2);
    store.getState().toggleGuideFold();
    expect(store.getState()).toMatchObject({ guide: 'transfer', guideStep: 2, isGuideFolded: true });
    store.getState().startGuide('gpt-to-chatgpt');
    expect(store.getState()).toMatchObject({ guide: 'gpt-to-chatgpt', guideStep: 0, isGuideFolded: false });
  });
});
