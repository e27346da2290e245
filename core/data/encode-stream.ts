/**
 * Encoding a long text into a typed array, a chunk at a time (issue 12): a 190 MB corpus has about
 * 190 million tokens, more than a plain JS array can hold ("Invalid array length") and 8 bytes
 * each where an Int32Array takes 4.
 *
 * Chunks end where a non-space character meets a space. Every tokenizer here splits there anyway
 * (char, word, byte-level BPE and GPT-2's pre-tokenizer never make a token that runs from a non-space
 * into a space, and the special tokens hold no spaces), so the ids are exactly those of encoding
 * the whole text at once. A text without such a point is encoded in one piece.
 */
import type { Tokenizer } from './tokenizers/types';

/** Characters per chunk (about 1 MB of text; a chunk's number[] of ids stays a few MB). */
export const ENCODE_CHUNK = 1 << 20;

const isSpace = (c: number): boolean =>
  c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;

/** The first point at or after `from` where a non-space meets a space, or the text's end. */
function nextCut(text: string, from: number): number {
  for (let i = Math.max(1, from); i < text.length; i++) {
    if (isSpace(text.charCodeAt(i)) && !isSpace(text.charCodeAt(i - 1))) return i;
  }
  return text.length;
}

/** `Int32Array.from(tokenizer.encode(text))`, without ever holding all the ids in a JS array. */
export function encodeToInt32(tokenizer: Pick<Tokenizer, 'encode'>, text: string, chunk = ENCODE_CHUNK): Int32Array {
  let ids = new Int32Array(Math.max(16, Math.min(text.length, 1 << 30)));
  let n = 0;
  for (let start = 0; start < text.length; ) {
    const end = nextCut(text, start + chunk);
    const part = tokenizer.encode(text.slice(start, end));
    if (n + part.length > ids.length) {
      const grown = new Int32Array(Math.max(n + part.length, Math.ceil(ids.length * 1.5)));
      grown.set(ids.subarray(0, n));
      ids = grown;
    }
    for (let k = 0; k < part.length; k++) ids[n + k] = part[k];
    n += part.length;
    start = end;
  }
  // Keep the buffer when it is nearly full (a copy of 190 million ids is 760 MB more at the peak).
  return n >= ids.length * 0.9 ? ids.subarray(0, n) : ids.slice(0, n);
}
