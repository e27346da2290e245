/**
 * UTF-8 without TextEncoder/TextDecoder: core/ compiles against ES2022 only (no DOM or Node typings),
 * and a strict decoder that reports *where* a file stops being UTF-8 gives a better error.
 */

/** Encode a string as UTF-8 bytes. Lone surrogates become U+FFFD, as TextEncoder does. */
export function encodeUtf8(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
    } else if (c < 0x10000) {
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
    } else {
      out[n++] = 0xf0 | (c >> 18);
      out[n++] = 0x80 | ((c >> 12) & 0x3f);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
    }
    out[n++] = 0x80 | (c & 0x3f);
  }
  return out.slice(0, n);
}

/** Length in bytes of the well-formed sequence starting at `i`, or 0 if it is not well-formed. */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i];
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80; // no overlong forms
    const hi = c === 0xed ? 0x9f : 0xbf; // no surrogates
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf; // nothing above U+10FFFF
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** Bytes of an ill-formed sequence at `i` that become one U+FFFD (the WHATWG "maximal subpart"). */
function badLength(b: Uint8Array, i: number): number {
  const c = b[i];
  let need = 0;
  let lo = 0x80;
  let hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) need = 2;
  else if (c >= 0xe0 && c <= 0xef) {
    need = 3;
    if (c === 0xe0) lo = 0xa0;
    if (c === 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    need = 4;
    if (c === 0xf0) lo = 0x90;
    if (c === 0xf4) hi = 0x8f;
  }
  let k = 1;
  while (k < need && i + k < b.length && b[i + k] >= (k === 1 ? lo : 0x80) && b[i + k] <= (k === 1 ? hi : 0xbf)) k++;
  return k;
}

export type Utf8Result = { ok: true; text: string } | { ok: false; offset: number };

/**
 * Decode UTF-8. `fatal`: stop at the first ill-formed byte and return its offset; otherwise replace
 * each ill-formed sequence with U+FFFD as TextDecoder does (used to show a byte-level token that splits a character).
 */
export function decodeUtf8(bytes: Uint8Array, fatal: boolean): Utf8Result {
  const parts: string[] = [];
  let units: number[] = [];
  const flush = (): void => {
    parts.push(String.fromCharCode(...units));
    units = [];
  };
  for (let i = 0; i < bytes.length;) {
    const len = sequenceLength(bytes, i);
    const c = bytes[i];
    let cp: number;
    if (len === 0) {
      if (fatal) return { ok: false, offset: i };
      cp = 0xfffd;
      i += badLength(bytes, i);
    } else {
      if (len === 1) cp = c;
      else if (len === 2) cp = ((c & 0x1f) << 6) | (bytes[i + 1] & 0x3f);
      else if (len === 3) cp = ((c & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f);
      else
        cp = ((c & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) | ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f);
      i += len;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
    } else units.push(cp);
    if (units.length >= 8192) flush();
  }
  flush();
  return { ok: true, text: parts.join('') };
}
