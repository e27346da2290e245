import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../../core/nodes/define';
import { NODE_DEFS, getNodeDef } from '../../../core/nodes/index';
import { defaultParams, validateParam, type ParamSpec } from '../../../core/params/spec';
import { buildNode } from './build-node';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('node registry', () => {
  it('lists each type once, findable by type', () => {
    const types = NODE_DEFS.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    for (const t of types) expect(getNodeDef(t)?.type).toBe(t);
    expect(getNodeDef('NoSuchNode')).toBeUndefined();
  });

  it('is in palette order: categories never go backwards', () => {
    const ranks = NODE_DEFS.map((d) => CATEGORIES.indexOf(d.category));
    expect(ranks.every((r) => r >= 0)).toBe(true);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
  });

  it.each(NODE_DEFS.map((d) => [d.type, d] as const))(
    '%s: defaults validate, doc and labels are written, keyParams exist',
    (_, def) => {
      for (const [name, spec] of Object.entries<ParamSpec>(def.params))
        expect(validateParam(name, spec, spec.default)).toBeNull();
      expect(def.doc.split(/[.!?](\s|$)/).filter((s) => s.trim().length > 0).length).toBeGreaterThanOrEqual(2);
      expect(def.label.length).toBeGreaterThan(0);
      for (const k of def.keyParams ?? []) expect(Object.keys(def.params)).toContain(k);
      expect(def.migrations.length).toBeLessThanOrEqual(Math.max(0, def.version - 1));
    },
  );

  it('has exactly one TokenInput with no inputs, and heads for the three tasks', () => {
    expect(NODE_DEFS.filter((d) => Object.keys(d.inputs).length === 0).map((d) => d.type)).toEqual(['TokenInput']);
    expect(new Set(NODE_DEFS.flatMap((d) => (d.head ? [d.head] : [])))).toEqual(
      new Set(['next-token', 'classify', 'tag']),
    );
  });

  it.each(NODE_DEFS.map((d) => [d.type, d] as const))(
    '%s: builds on a canonical input and matches its own inference',
    (_, def) => {
      // Whole-number params are capped at 16 (within their limits) to keep the loop fast: tf.js's orthogonal
      // RNN initialiser takes seconds on 128-unit matrices on the cpu backend. Templates cover real sizes.
      const params = defaultParams(def.params);
      for (const [k, spec] of Object.entries<ParamSpec>(def.params)) {
        if (spec.kind === 'int') params[k] = Math.max(spec.min, Math.min(spec.default, 16));
      }
      const b = buildNode(def, { params });
      expect(b.tfShape).toEqual(b.out.shape);
      expect(b.model.countParams()).toBe(b.params);
    },
  );
});
