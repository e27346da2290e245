import { describe, expect, it } from 'vitest';
import { getNodeDef, NODE_DEFS } from '../../../core/nodes/index';
import { compatibleDefs, linkPort } from '../../../renderer/lib/quickConnect';
import { inspectedRun, pickableRuns, runLabel } from '../../../renderer/lib/inspectedRun';
import { createAppStore } from '../../../renderer/store';
import type { ProjectRun } from '../../../core/project/project';

describe('replacing a document with unsaved work asks first', () => {
  it('proceeds at once when nothing would be lost', () => {
    const store = createAppStore();
    let opened = 0;
    store.getState().replaceDocument('open Mini GPT', () => opened++);
    expect(opened).toBe(1);
    expect(store.getState().leaveRequest).toBeNull();
  });

  it('holds the request while there are unsaved edits; Cancel drops it, Discard runs it', () => {
    const store = createAppStore();
    store.getState().addNode('TokenInput', { x: 0, y: 0 });
    expect(store.getState().isDirty).toBe(true);
    let opened = 0;
    store.getState().replaceDocument('open Mini GPT', () => opened++);
    expect(opened).toBe(0);
    expect(store.getState().leaveRequest?.what).toBe('open Mini GPT');
    store.getState().settleLeave(false);
    expect(opened).toBe(0);
    expect(store.getState().graph.nodes).toHaveLength(1);
    store.getState().replaceDocument('open Mini GPT', () => opened++);
    store.getState().settleLeave(true);
    expect(opened).toBe(1);
    expect(store.getState().leaveRequest).toBeNull();
  });

  it('counts a run still training as work even when the file is saved', () => {
    const store = createAppStore();
    store.getState().beginRun({ id: 'r1', name: 'r1', totalSteps: 10 });
    store.getState().replaceDocument('open another project', () => {
      throw new Error('must not run');
    });
    expect(store.getState().leaveRequest).not.toBeNull();
  });

  it('gives each opened document a new autosave slot', () => {
    const store = createAppStore();
    const first = store.getState().documentId;
    store.getState().newGraph();
    expect(store.getState().documentId).not.toBe(first);
  });
});

describe('quick add "connect to…"', () => {
  it('offers only blocks whose input takes the selected output, and names the port', () => {
    const store = createAppStore();
    const input = store.getState().addNode('TokenInput', { x: 0, y: 0 });
    const { graph, binding } = store.getState();
    const fits = compatibleDefs(graph, binding, NODE_DEFS, { from: { node: input, port: 'out' } }).map((f) => f.def.type);
    expect(fits).toContain('Embedding');
    expect(fits).toContain('BagOfWords');
    expect(fits).not.toContain('MeanPool'); // takes a sequence, not tokens
    expect(fits).not.toContain('TokenInput'); // no inputs
    const emb = getNodeDef('Embedding');
    if (!emb) throw new Error('no Embedding');
    expect(linkPort(graph, binding, emb, { from: { node: input, port: 'out' } })).toBe('in');
  });

  it('for a wire dragged out of an input, offers blocks that can feed it (never a head)', () => {
    const store = createAppStore();
    const head = store.getState().addNode('ClassifierHead', { x: 0, y: 0 });
    const { graph, binding } = store.getState();
    const fits = compatibleDefs(graph, binding, NODE_DEFS, { to: { node: head, port: 'in' } }).map((f) => f.def.type);
    expect(fits).toContain('MeanPool');
    expect(fits).not.toContain('ClassifierHead');
    expect(fits).not.toContain('NextTokenHead');
  });
});

const record = (id: string, name: string): ProjectRun => ({
  id,
  name,
  createdAt: new Date(0).toISOString(),
  graph: createAppStore().getState().graph,
  training: {},
  metrics: { steps: [], evals: [] },
  backend: 'wasm',
  task: 'next-token',
});

describe('the run picker', () => {
  it('follows the current run until another is picked; labels tell same-named runs apart', () => {
    const store = createAppStore();
    store.setState({ runs: [record('run-aaaa1111', 'GPT · shakespeare · 14:03'), record('run-bbbb2222', 'GPT · shakespeare · 14:03')] });
    store.getState().beginRun({ id: 'run-cccc3333', name: 'GPT · shakespeare · 14:05', totalSteps: 5 });
    expect(inspectedRun(store.getState())?.id).toBe('run-cccc3333');
    expect(inspectedRun(store.getState())?.isCurrent).toBe(true);
    const labels = pickableRuns(store.getState()).map((r) => r.label);
    expect(labels[0]).toContain('#3333');
    expect(new Set(labels).size).toBe(3);
    expect(runLabel({ id: 'run-aaaa1111', name: 'x' })).not.toBe(runLabel({ id: 'run-bbbb2222', name: 'x' }));

    store.getState().setPredictText('hello');
    store.getState().pickRun('run-aaaa1111');
    const picked = inspectedRun(store.getState());
    expect(picked?.id).toBe('run-aaaa1111');
    expect(picked?.hasModel).toBe(false); // until its weights are opened
    store.getState().markRunLoaded('run-aaaa1111', true);
    expect(inspectedRun(store.getState())?.hasModel).toBe(true);
    store.getState().pickRun(null);
    expect(inspectedRun(store.getState())?.id).toBe('run-cccc3333');
  });
});

describe('compare colours', () => {
  it('a run keeps its colour whatever else is selected, and selected runs never share one', async () => {
    const { stableColours } = await import('../../../renderer/panels/compare/colours');
    const ids = ['run-a1', 'run-b2', 'run-c3', 'run-d4', 'run-e5', 'run-f6'];
    const all = stableColours(ids);
    expect(new Set(all).size).toBe(ids.length);
    // The same run alone, or listed after others, has the colour its id gives it when no other run holds it.
    const alone = stableColours(['run-c3'])[0];
    expect(stableColours(['run-c3', 'run-a1'])[0]).toBe(alone);
    expect(stableColours(['run-c3'])).toEqual(stableColours(['run-c3']));
  });
});

describe('a refused wire offers bridges', () => {
  it('between a sequence and a head that takes a vector: the pools and Last token, never a head', async () => {
    const { bridges } = await import('../../../renderer/lib/quickConnect');
    const store = createAppStore();
    const s = store.getState();
    const input = s.addNode('TokenInput', { x: 0, y: 0 });
    const emb = s.addNode('Embedding', { x: 200, y: 0 });
    const head = s.addNode('ClassifierHead', { x: 400, y: 0 });
    expect(s.connect({ node: input, port: 'out' }, { node: emb, port: 'in' })).toBeNull();
    expect(s.connect({ node: emb, port: 'out' }, { node: head, port: 'in' })).not.toBeNull(); // refused
    const { graph, binding } = store.getState();
    const types = bridges(graph, binding, NODE_DEFS, { node: emb, port: 'out' }, { node: head, port: 'in' }).map(
      (b) => b.def.type,
    );
    expect(types).toEqual(expect.arrayContaining(['MeanPool', 'MaxPool', 'LastToken']));
    expect(types).not.toContain('ClassifierHead');
    expect(types).not.toContain('LSTM'); // returns a sequence by default: still refused by the head
  });
});

describe('typing in a field', () => {
  it('typing the old value back (Ctrl+Z in the field) leaves no step that changes nothing', () => {
    const store = createAppStore();
    const id = store.getState().addNode('Embedding', { x: 0, y: 0 });
    const steps = store.getState().past.length;
    const dim = store.getState().graph.nodes[0]?.params.dim;
    store.getState().setParam(id, 'dim', 12);
    store.getState().setParam(id, 'dim', 128);
    expect(store.getState().past.length).toBe(steps + 1); // one step for the run of typing
    store.getState().setParam(id, 'dim', dim ?? 64);
    expect(store.getState().past.length).toBe(steps);
    expect(store.getState().graph.nodes[0]?.params.dim).toBe(dim);
  });
});
