import type { Prediction } from '../../predict/types';

/** One next-token position as `wordloom predict --json` prints it. */
export interface NextTokenJson {
  text: string;
  p?: number;
  top: { token: string; p: number }[];
}

/** The prediction JSON of docs/data-formats.md, shared by `wordloom predict --json` and the exported tf.js module. */
export type PredictionJson =
  | { tokens: NextTokenJson[] }
  | { tokens: { text: string; tag: string; p: number }[] }
  | { label: string; probs: Record<string, number>; tokens: { text: string; weight: number }[] };

/** next-token `tokens[{text, p?, top}]`, tagger `tokens[{text, tag, p}]`, classifier `{label, probs, tokens[{text, weight}]}`. */
export function predictionJson(r: Prediction): PredictionJson {
  switch (r.kind) {
    case 'next-token':
      return {
        tokens: r.tokens.map((t) => ({
          text: t.text,
          ...(t.p !== undefined ? { p: t.p } : {}),
          top: t.top.map((x) => ({ token: x.token, p: x.p })),
        })),
      };
    case 'tag':
      return { tokens: r.tokens.map((t) => ({ text: t.text, tag: t.tag, p: t.p })) };
    case 'classify':
      return { label: r.label, probs: r.probs, tokens: r.tokens };
  }
}
