/** fast-check arbitraries for hostile inputs: graph files, data files, run folders and bundles. */
import fc from 'fast-check';
import { NODE_DEFS } from '../../../core/nodes/index';
import type { ParamSpec } from '../../../core/params/spec';

/** Ids a user (or an attacker) might write: plain, reserved words, escapes, newlines, bidi, long. */
export const hostileId = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('in', 'emb', 'pool', 'head', 'd1', 'd2', 'x', 'block') },
  { weight: 2, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf') },
  { weight: 2, arbitrary: fc.constantFrom('a\u001b[2Jb', 'line\nbreak', 'tab\there', '\u202eevil', 'nul\u0000id', '\u009bcsi', 'é', '日本') },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 200, maxLength: 400 }) },
);

function paramValue(spec: ParamSpec): fc.Arbitrary<unknown> {
  const hostile = fc.oneof(
    fc.constantFrom(-1, 0, 1e9, 1e300, -0, 0.5, 2 ** 53, 'NaN', '', true, null),
    fc.string({ maxLength: 8 }),
  );
  const valid =
    spec.kind === 'int'
      ? fc.integer({ min: spec.min, max: Math.min(spec.max, 64) })
      : spec.kind === 'float'
        ? fc.double({ min: spec.min, max: spec.max, noNaN: true })
        : spec.kind === 'bool'
          ? fc.boolean()
          : fc.constantFrom(...spec.options);
  return fc.oneof({ weight: 8, arbitrary: valid }, { weight: 1, arbitrary: hostile });
}

/** A node of a real type (sometimes an unknown one), with valid or hostile params. */
const node = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...NODE_DEFS) },
  { weight: 1, arbitrary: fc.constant(undefined) },
).chain((def) => {
  const params = def
    ? fc.record(Object.fromEntries(Object.entries(def.params).map(([k, s]) => [k, paramValue(s as ParamSpec)])), { requiredKeys: [] })
    : fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
  return fc.record({
    id: hostileId,
    type: def ? fc.constant(def.type) : fc.string({ maxLength: 10 }),
    params,
    position: fc.record({ x: fc.integer({ min: -1e4, max: 1e4 }), y: fc.integer({ min: -1e4, max: 1e4 }) }),
  });
});

const PORTS = ['in', 'out', 'a', 'b', 'tokens', 'nope', ''];

/** A graph document: real envelope, random nodes, edges between them (or to nowhere), cycles likely. */
export const graphDoc = fc
  .array(node, { minLength: 0, maxLength: 14 })
  .chain((nodes) => {
    const ids = nodes.length ? nodes.map((n) => n.id) : ['ghost'];
    const ref = (port: fc.Arbitrary<string>) =>
      fc.record({ node: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: hostileId }), port });
    const edge = fc.record({
      id: fc.oneof(fc.constantFrom('e1', 'e2', 'e3'), hostileId),
      from: ref(fc.oneof({ weight: 9, arbitrary: fc.constant('out') }, { weight: 1, arbitrary: fc.constantFrom(...PORTS) })),
      to: ref(fc.oneof({ weight: 6, arbitrary: fc.constant('in') }, { weight: 1, arbitrary: fc.constantFrom(...PORTS) })),
    });
    return fc.record({
      format: fc.oneof({ weight: 20, arbitrary: fc.constant('wordloom-graph') }, { weight: 1, arbitrary: fc.string({ maxLength: 5 }) }),
      version: fc.oneof({ weight: 20, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(0, 2, 99, -1, 1.5, '1') }),
      name: fc.oneof(fc.constant('Fuzzed'), hostileId),
      nodes: fc.constant(nodes),
      edges: fc.array(edge, { maxLength: 20 }),
    });
  });

/** A valid chain the fuzzer can break: TokenInput → Embedding → … → head, as a document. */
export const validChain = fc
  .record({
    seqLen: fc.integer({ min: 1, max: 64 }),
    dim: fc.integer({ min: 1, max: 32 }),
    middle: fc.array(fc.constantFrom('Dense', 'LayerNorm', 'Dropout', 'LSTM', 'GRU', 'SimpleRNN', 'SelfAttention', 'TransformerBlock', 'FeedForward'), { maxLength: 4 }),
    head: fc.constantFrom('NextTokenHead', 'TaggerHead'),
  })
  .map(({ seqLen, dim, middle, head }) => {
    const types = ['TokenInput', 'Embedding', ...middle, head];
    const nodes = types.map((type, i) => ({
      id: `n${i}`,
      type,
      params: type === 'TokenInput' ? { seqLen } : type === 'Embedding' ? { dim } : {},
      position: { x: i * 100, y: 0 },
    }));
    const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, from: { node: `n${i}`, port: 'out' }, to: { node: n.id, port: 'in' } }));
    return { format: 'wordloom-graph', version: 1, name: 'Chain', nodes, edges };
  });

/** Text damage: truncation, a BOM, deep nesting, garbage, a byte flipped. */
export function damagedText(text: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(text),
    fc.integer({ min: 0, max: text.length }).map((n) => text.slice(0, n)),
    fc.constant(`\uFEFF${text}`),
    fc.integer({ min: 1, max: 20_000 }).map((d) => `${'['.repeat(d)}${text}`),
    fc.integer({ min: 1, max: 20_000 }).map((d) => `{"a":`.repeat(d)),
    fc.tuple(fc.integer({ min: 0, max: Math.max(0, text.length - 1) }), fc.string({ minLength: 1, maxLength: 3 })).map(
      ([i, s]) => text.slice(0, i) + s + text.slice(i + 1),
    ),
    fc.string({ maxLength: 50 }),
  );
}
