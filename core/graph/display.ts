/**
 * Text from a user's file (ids, names, labels) made safe to show: a terminal must not run an escape
 * sequence hidden in a node id, and a message stays on one line. Long lists are cut to a few items,
 * so a graph of 10,000 heads gives 10,000 short messages rather than 10,000 lists of 10,000.
 */

// C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal shows.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const hex = (c: string, width: number): string => c.charCodeAt(0).toString(16).padStart(width, '0');

/** `s` with every control character written as an escape (`\n`, `\x1b`, `\u202e`). */
export function displayText(s: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(s)) return s;
  return s.replace(UNSAFE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return c.charCodeAt(0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`;
  });
}

// eslint-disable-next-line no-control-regex
const UNSAFE_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Like displayText, but for running text (generated or predicted): newlines and tabs stay as they are. */
export function displayRunningText(s: string): string {
  return s.replace(UNSAFE_IN_TEXT, (c) => displayText(c));
}

/** How many items a message lists before it counts the rest. */
export const LIST_LIMIT = 5;

/** "a, b, c" or, past `limit`, "a, b, c, d, e and 9995 more". Items are shown with `displayText`. */
export function listSome(items: readonly string[], limit = LIST_LIMIT): string {
  const shown = items.slice(0, limit).map(displayText);
  return items.length > limit ? `${shown.join(', ')} and ${items.length - limit} more` : shown.join(', ');
}

// JSON.stringify escapes C0 controls but leaves C1 controls and bidi overrides raw.
const UNSAFE_IN_JSON = /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** JSON.stringify, with every character a terminal could act on written as a \\u escape (still the same JSON). */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE_IN_JSON, (c) => `\\u${hex(c, 4)}`);
}
