import { symbolic } from './symbolic';
import { BagOfWords } from '../layers/bag-of-words';
import { select } from '../params/spec';
import { ShapeError, fmt } from './shape';
import { defineNode } from './define';
import { noWeights, pyBool, unary, type PyModule } from './pytorch';

/** The nn.Module model.py defines for this node (it mirrors the tf.js layer operation for operation). */
export const bagOfWordsModule: PyModule = {
  name: 'BagOfWords',
  source: String.raw`class BagOfWords(nn.Module):
    """Token ids (B, T) -> how often each vocabulary entry occurs (B, V), or 0/1 when binary; padding never counts."""

    def __init__(self, v, binary):
        super().__init__()
        self.v, self.binary = v, binary

    def forward(self, tokens):  # tokens: (B, T)
        ones = torch.ones(tokens.shape, device=tokens.device)  # (B, T)
        counts = torch.zeros(tokens.size(0), self.v, device=tokens.device).scatter_add_(1, tokens, ones)  # (B, V)
        if self.binary:
            counts = (counts > 0).float()  # (B, V)
        not_pad = torch.ones(self.v, device=tokens.device)
        not_pad[PAD_ID] = 0.0
        return counts * not_pad  # (B, V)
`,
};

export const bagOfWordsNode = defineNode({
  type: 'BagOfWords',
  version: 1,
  label: 'Bag of words',
  category: 'bag-of-words',
  doc:
    'Turns a text into one vector of V numbers: how often each vocabulary entry occurs (or whether it occurs at all), padding ignored. ' +
    'It has no parameters and is a strong, fast baseline for classifying topics or sentiment with a Dense layer on top. ' +
    'It throws word order away entirely ("not good" and "good, not" look the same) and its width grows with the vocabulary.',
  inputs: { in: ['tokens'] },
  params: {
    mode: select({
      default: 'count',
      options: ['count', 'binary'],
      doc: 'Count: how many times each token occurs. Binary: 1 if it occurs at all.',
    }),
  },
  keyParams: ['mode'],
  infer: ({ inputs, binding }) => {
    const x = inputs.in;
    if (x.type !== 'tokens' || x.shape.length !== 1) {
      throw new ShapeError('in', `BagOfWords: expected token ids [T], got ${x.type} ${fmt(x.shape)}`);
    }
    return { type: 'vector', shape: [binding.vocabSize] };
  },
  cost: ({ binding }) => ({
    params: 0,
    flopsPerToken: 1, // one increment per token
    activations: binding.vocabSize,
  }),
  build: ({ inputs, params, binding, name }) => {
    const layer = new BagOfWords({ vocabSize: binding.vocabSize, binary: params.mode === 'binary', name });
    return { out: symbolic(layer.apply(inputs.in), name), layer }; // (B, T) -> (B, V)
  },
  layers: [BagOfWords],
  pytorch: {
    code: (ctx, n) => {
      const { self, x, call } = unary(ctx, n);
      return {
        init: `${self} = BagOfWords(V, binary=${pyBool(n.params.mode === 'binary')})`,
        forward: call(x),
        modules: [bagOfWordsModule],
      };
    },
    weights: noWeights,
  },
  capabilities: { attentionMaps: false, masksPadding: true },
  migrations: [],
});
