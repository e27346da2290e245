import { recurrentNode } from './recurrent';

/** Cho et al. 2014 (tf.js's variant without reset_after): 3 weight blocks, state h only. */
export const gruNode = recurrentNode({
  type: 'GRU',
  label: 'GRU',
  cell: 'gru',
  gates: 3,
  states: 1,
  doc:
    'A gated recurrent layer: an update gate decides how much of the old state to keep and a reset gate how much of it to use for the new candidate. ' +
    'It remembers much longer than a simple RNN with 3/4 of the weights of an LSTM. ' +
    'Memory is O(1) in T, but like every RNN it runs one step at a time, so it trains slower than attention on long texts.',
});
