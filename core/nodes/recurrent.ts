import { symbolic } from './symbolic';
import { MaskedRNN, type RnnCell } from '../layers/masked-rnn';
import { bool, int } from '../params/spec';
import { ShapeError, fmt } from './shape';
import { defineNode } from './define';
import { pyBool, pyStr, unary, type PyModule, type WeightRef } from './pytorch';
import { recurrent } from './recurrent-py';

/** The Python recurrent cells model.py defines when a graph has an RNN (see recurrent-py.ts). */
export const recurrentModule: PyModule = { name: 'Recurrent', source: recurrent };

/** What differs between SimpleRNN, LSTM and GRU; everything else is shared. */
export interface RecurrentKind {
  type: 'SimpleRNN' | 'LSTM' | 'GRU';
  label: string;
  cell: RnnCell;
  /** Weight blocks per cell: SimpleRNN 1, GRU 3 (update, reset, candidate), LSTM 4 (input, forget, cell, output). */
  gates: number;
  /** State vectors per step: LSTM keeps h and c, the others only h. */
  states: number;
  doc: string;
}

const recurrentParams = {
  units: int({ default: 128, min: 1, max: 4096, doc: 'H: size of the hidden state carried from token to token.' }),
  returnSequences: bool({
    default: true,
    doc: 'On: one output per token [T, H]. Off: only the state after the last real token [H].',
  }),
  bidirectional: bool({
    default: false,
    doc: 'Also read the text right-to-left and concatenate both states (output width 2·H).',
  }),
};

/** One node definition for a masked recurrent layer: padding (token 0) is skipped, the state carries over it. */
export const recurrentNode = (k: RecurrentKind) =>
  defineNode({
    type: k.type,
    version: 1,
    label: k.label,
    category: 'recurrent',
    doc: k.doc,
    inputs: { in: ['sequence'] },
    params: recurrentParams,
    keyParams: ['units', 'returnSequences', 'bidirectional'],
    infer: ({ inputs, params }) => {
      const x = inputs.in;
      if (x.type !== 'sequence' || x.shape.length !== 2) {
        throw new ShapeError('in', `${k.type}: expected a sequence [T, D], got ${x.type} ${fmt(x.shape)}`);
      }
      const width = params.bidirectional ? 2 * params.units : params.units;
      return params.returnSequences
        ? { type: 'sequence', shape: [x.shape[0], width] }
        : { type: 'vector', shape: [width] };
    },
    cost: ({ inputs, params }) => {
      const [t, d] = inputs.in.shape;
      const u = params.units;
      const dirs = params.bidirectional ? 2 : 1;
      return {
        params: dirs * k.gates * u * (d + u + 1), // kernel D×gH, recurrent kernel H×gH, bias gH, per direction
        flopsPerToken: dirs * 2 * k.gates * u * (d + u), // input and recurrent matmuls, per direction
        activations: dirs * t * u * (k.gates + k.states), // gate pre-activations and states of every step
      };
    },
    build: ({ inputs, params, tokens, name }) => {
      const layer = new MaskedRNN({ cell: k.cell, ...params, name });
      return { out: symbolic(layer.apply([inputs.in, tokens]), name), layer }; // (B, T, D) -> (B, T, H') or (B, H')
    },
    layers: [MaskedRNN],
    pytorch: {
      code: (ctx, n) => {
        const { self, x, d, call } = unary(ctx, n);
        const p = n.params;
        const args = `return_sequences=${pyBool(p.returnSequences)}, bidirectional=${pyBool(p.bidirectional)}`;
        return {
          init: `${self} = Recurrent(${pyStr(k.cell)}, ${d}, ${p.units}, ${args})`,
          forward: call(`${x}, keep`),
          modules: [recurrentModule],
        };
      },
      weights: ({ py, layer, params }): WeightRef[] => {
        const dirs = params.bidirectional === true ? (['forward', 'backward'] as const) : (['forward'] as const);
        return dirs.flatMap((direction) => {
          const cell = `${py}.${direction === 'forward' ? 'fwd' : 'bwd'}`;
          return [
            { key: `${cell}.ih.weight`, layer, suffix: 'kernel', permute: [1, 0], direction },
            { key: `${cell}.ih.bias`, layer, suffix: 'bias', direction },
            { key: `${cell}.hh.weight`, layer, suffix: 'recurrent_kernel', permute: [1, 0], direction },
          ];
        });
      },
    },
    capabilities: { attentionMaps: false, masksPadding: true },
    migrations: [],
  });
