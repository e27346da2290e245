import { recurrentNode } from './recurrent';

/** Elman RNN: h_t = tanh(x_t·W + h_{t-1}·U + b). */
export const simpleRnnNode = recurrentNode({
  type: 'SimpleRNN',
  label: 'Simple RNN',
  cell: 'rnn',
  gates: 1,
  states: 1,
  doc:
    'Reads the sequence one token at a time, mixing each token into a hidden state of `units` numbers that it carries forward. ' +
    'Its memory costs the same for any text length (O(1) in T), but it must run step by step, so it cannot use the GPU in parallel over T. ' +
    'Gradients shrink as they flow back through many steps, so it forgets what happened more than a few dozen tokens ago; LSTM and GRU fix that with gates.',
});
