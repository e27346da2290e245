/**
 * A node type is one file (issue 13): its definition owns params, ports, shapes, cost, tf.js build, custom
 * layers, PyTorch emission and capabilities. This walks the registry and checks each part against what the
 * node really builds, and scans the exporters, the runtime and the panels for any node type named directly.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findVariable } from '../../../core/export/pytorch/weights';
import { NODE_DEFS, registerCustomLayers } from '../../../core/nodes/index';
import type { CodeContext, PlanNode } from '../../../core/nodes/pytorch';
import { defaultParams, type ParamSpec } from '../../../core/params/spec';
import { ROOT } from '../export/pytorch/helpers';
import { BINDING, buildNode } from './build-node';

/** tf.js's own layers (registered by tf.js itself, before Wordloom registers any): they need no declaring. */
const BUILT_IN = new Set(Object.keys(tf.serialization.SerializationMap.getMap().classNameMap));

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerCustomLayers();
});

function built(type: string) {
  const def = NODE_DEFS.find((d) => d.type === type);
  if (!def) throw new Error(type);
  const params = defaultParams(def.params);
  for (const [k, spec] of Object.entries<ParamSpec>(def.params)) {
    if (spec.kind === 'int') params[k] = Math.max(spec.min, Math.min(spec.default, 16));
  }
  return { def, b: buildNode(def, { params }) };
}

/** The single node as a PyTorch plan node fed by nodes named after its ports. */
function planNode(type: string, b: ReturnType<typeof buildNode>): { node: PlanNode; ctx: CodeContext } {
  const inputs = Object.fromEntries(Object.keys(b.ports).map((p) => [p, `src_${p}`]));
  const node: PlanNode = { id: 'n', type, py: 'n', layer: 'node', params: b.params_, inputs, out: b.out };
  const sources = new Map(
    Object.entries(b.ports).map(([p, out]) => [`src_${p}`, { ...node, id: `src_${p}`, py: `src_${p}`, out }]),
  );
  const ctx: CodeContext = {
    plan: { name: 'one node', task: 'next-token', binding: BINDING, seqLen: 8, headId: 'n', nodes: [node] },
    valueOf: (id) => (sources.has(id) ? id : 'tokens'),
    input: (n, port) => {
      const src = sources.get(n.inputs[port] ?? '');
      if (!src) throw new Error(`no ${port}`);
      return src;
    },
  };
  return { node, ctx };
}

describe('every node type owns all its parts', () => {
  it.each(NODE_DEFS.map((d) => [d.type] as const))(
    '%s: layers, PyTorch weights, code and capabilities agree with its build',
    (type) => {
      const { def, b } = built(type);
      // Custom layers: every non-built-in layer the node builds is one of the classes it declares (so it is registered).
      for (const layer of b.model.layers) {
        if (BUILT_IN.has(layer.getClassName())) continue;
        expect(
          def.layers.some((cls) => layer instanceof cls),
          `${type} builds an undeclared ${layer.getClassName()}`,
        ).toBe(true);
      }
      // PyTorch weights: each tf.js weight claimed exactly once, and nothing else.
      const { node, ctx } = planNode(type, b);
      const refs = def.pytorch.weights(node);
      const claimed = refs.map((r) => findVariable(b.model, r));
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(new Set(claimed)).toEqual(new Set(b.model.weights));
      expect(claimed.reduce((n, v) => n + v.read().size, 0)).toBe(b.model.countParams());
      for (const r of refs) if (r.permute) expect([...r.permute].sort()).toEqual(r.permute.map((_, i) => i));
      // PyTorch code: writes its lines; `keep` (the padding mask) exactly when it says it masks padding.
      const code = def.pytorch.code(ctx, node);
      const lines = [code.init ?? '', code.forward ?? ''].join('\n');
      const readsTokens = Object.values(def.inputs).flat().includes('tokens');
      expect(/\bkeep\b/.test(lines)).toBe(def.capabilities.masksPadding && !readsTokens);
      for (const m of code.modules ?? []) expect(m.source).toMatch(new RegExp(`^class ${m.name}\\b`, 'm'));
      // Capabilities: attention maps exactly when the build returns them.
      expect(b.attention).toBe(def.capabilities.attentionMaps);
    },
  );
});

/** Every .ts/.tsx file under `dir` (generated files are build outputs of core/ and are skipped). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.includes('.generated.') ? [path] : [];
  });
}

describe('nothing outside a node file names a node type', () => {
  const dirs = [
    'core/export',
    'core/compile',
    'core/worker',
    'core/predict',
    'core/train',
    'renderer/panels',
    'renderer/canvas',
    'renderer/store',
  ];
  const types = NODE_DEFS.map((d) => d.type);
  const literal = new RegExp(`['"\`](${types.join('|')})['"\`]`);

  it.each(dirs.map((d) => [d] as const))('%s reads the registry instead of naming types', (dir) => {
    const offenders = sources(join(ROOT, dir)).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (literal.test(line) ? [`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });

  it('the scan would catch a type named in a panel', () => {
    expect(literal.test(`s.graph.nodes.some((n) => n.type === 'SelfAttention')`)).toBe(true);
  });
});
