import { describe, expect, it } from 'vitest';
import { decodeUtf8, encodeUtf8 } from '../../../core/data/utf8';
import { mulberry32, randomInt } from '../../../core/data/rng';

describe('utf8', () => {
  it('encodes like Buffer and decodes back, for random text across planes', () => {
    const rng = mulberry32(7);
    const ranges = [
      [0x20, 0x7f],
      [0x80, 0x7ff],
      [0x800, 0xd7ff],
      [0xe000, 0xffff],
      [0x10000, 0x10ffff],
    ];
    for (let k = 0; k < 200; k++) {
      let s = '';
      for (let i = 0; i < 50; i++) {
        const [lo, hi] = ranges[randomInt(rng, ranges.length)];
        s += String.fromCodePoint(lo + randomInt(rng, hi - lo));
      }
      const bytes = encodeUtf8(s);
      expect(Buffer.from(bytes).equals(Buffer.from(s, 'utf8'))).toBe(true);
      expect(decodeUtf8(bytes, true)).toEqual({ ok: true, text: s });
    }
  });

  it('fatal mode finds the first ill-formed byte, as TextDecoder would reject it', () => {
    const bad: [number[], number][] = [
      [[0x61, 0xc0, 0x80], 1], // overlong
      [[0x61, 0x62, 0xed, 0xa0, 0x80], 2], // surrogate
      [[0xf5, 0x80, 0x80, 0x80], 0], // beyond U+10FFFF
      [[0x61, 0xe2, 0x82], 1], // truncated
      [[0x80], 0], // lone continuation
      [[0xf0, 0x9f, 0x98, 0x61, 0xe2, 0x28, 0xa1], 0], // truncated emoji, bad continuation
    ];
    for (const [bytes, offset] of bad) {
      const u = Uint8Array.from(bytes);
      expect(decodeUtf8(u, true)).toEqual({ ok: false, offset });
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(u)).toThrow();
      expect(decodeUtf8(u, false)).toEqual({ ok: true, text: new TextDecoder('utf-8').decode(u) });
    }
  });
});
