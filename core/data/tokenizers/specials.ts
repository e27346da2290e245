/** Shared pieces of the tokenizers: the special-token split and sub-word tagging. */
import { EOS_TEXT, SEP_TEXT, type WordIds } from './types';

const SPECIAL_RE = /(<\|endoftext\|>|<\|sep\|>)/;

/**
 * Encode `text`, turning each `<|endoftext|>` / `<|sep|>` into its id and the text in between
 * with `encodePlain`.
 */
export function encodeWithSpecials(
  text: string,
  ids: { eos: number; sep: number },
  encodePlain: (segment: string, out: number[]) => void,
): number[] {
  const out: number[] = [];
  if (!text.includes('<|')) {
    encodePlain(text, out);
    return out;
  }
  for (const part of text.split(SPECIAL_RE)) {
    if (part === EOS_TEXT) out.push(ids.eos);
    else if (part === SEP_TEXT) out.push(ids.sep);
    else if (part !== '') encodePlain(part, out);
  }
  return out;
}

/**
 * Sub-word tagging: encode each word (after a space, except the first) and mark the first
 * sub-token that is not pure whitespace as the one carrying the word's tag.
 */
export function tokenizeWordsBySubTokens(
  words: readonly string[],
  encode: (text: string) => number[],
  pieces: (ids: readonly number[]) => string[],
): WordIds {
  const ids: number[] = [];
  const wordIndex: number[] = [];
  words.forEach((w, i) => {
    const sub = encode(i === 0 ? w : ' ' + w);
    const shown = pieces(sub);
    let first = shown.findIndex((p) => p.trim() !== '');
    if (first < 0) first = 0;
    sub.forEach((id, k) => {
      ids.push(id);
      wordIndex.push(k === first ? i : -1);
    });
  });
  return { ids, wordIndex };
}
