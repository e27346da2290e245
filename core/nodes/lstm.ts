import { recurrentNode } from './recurrent';

/** Hochreiter & Schmidhuber 1997, with the forget gate: 4 weight blocks, states h and c. */
export const lstmNode = recurrentNode({
  type: 'LSTM',
  label: 'LSTM',
  cell: 'lstm',
  gates: 4,
  states: 2,
  doc:
    'A recurrent layer with a separate memory cell guarded by input, forget and output gates, so it can keep information for hundreds of tokens. ' +
    'Like every RNN its memory is O(1) in T but it runs step by step, which makes long texts slow to train. ' +
    'It has 4× the weights of a simple RNN of the same size; GRU is a lighter alternative that often works as well.',
});
