/**
 * Turns a JSON.parse failure into one sentence naming the file, line and column. V8 reports a
 * position for most errors but not for "Unexpected token", so a small scanner finds the offset.
 */
export function jsonSyntaxMessage(text: string, err: unknown, fileName: string): string {
  const raw = err instanceof Error ? err.message : String(err);
  const reported = /at position (\d+)/.exec(raw);
  const offset = reported ? Number(reported[1]) : firstBadOffset(text);
  const { line, column } = lineColumn(text, offset);
  const reason = raw
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/\.$/, '');
  const lower = reason.charAt(0).toLowerCase() + reason.slice(1);
  return `${fileName} is not valid JSON: line ${line}, column ${column}: ${lower}.`;
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** The offset where `text` stops being JSON (text.length when it ends too early). */
export function firstBadOffset(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = (): void => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] < ' ') fail();
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail();
    else i += m[0].length;
  };
  /** A scalar at i, or the opening of a container (pushed onto `open`, so nesting depth costs no call stack). */
  const open: ('}' | ']')[] = [];
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      open.push(c === '{' ? '}' : ']');
      ws();
      if (text[i] === open[open.length - 1]) {
        i++;
        open.pop();
      } else member();
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else number();
  };
  /** An object's `"key":` before a member (nothing for an array). */
  const member = (): void => {
    if (open[open.length - 1] !== '}') return;
    ws();
    if (text[i] !== '"') fail();
    string();
    ws();
    if (text[i] !== ':') fail();
    i++;
  };
  const document = (): void => {
    for (;;) {
      const depth = open.length;
      value();
      if (open.length > depth) continue; // a container opened: read its first member
      // after a value: close as many containers as end here, or go on after a comma
      for (;;) {
        if (open.length === 0) return;
        ws();
        if (text[i] === ',') {
          i++;
          member();
          break;
        }
        if (text[i] === open[open.length - 1]) {
          i++;
          open.pop();
          continue;
        }
        fail();
      }
    }
  };
  try {
    document();
    ws();
    return i < text.length ? i : text.length;
  } catch (at) {
    if (typeof at === 'number') return Math.min(at, text.length);
    throw at;
  }
}
