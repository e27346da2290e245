import type { BackendVerdict } from './protocol';

/** Backend verdicts as words; no tf.js here, so the UI thread can import it without the engine. */

/** One line per backend for the menu: "wasm · 2 threads — 1,420 tokens/s ✓ picked". */
export function verdictLine(v: BackendVerdict, picked: boolean): string {
  const name = v.name === 'wasm' && v.threads ? `wasm · ${v.threads} thread${v.threads === 1 ? '' : 's'}` : v.name;
  if (!v.started) return `${name} — does not start here${v.error ? ` (${v.error})` : ''}`;
  const parts: string[] = [];
  if (v.software) parts.push(`software renderer (${v.software})`);
  if (v.verified === false) parts.push(v.reason ?? 'results differ from the reference');
  else if (v.tokensPerSec !== undefined) parts.push(`${tokensPerSec(v.tokensPerSec)}${otherThreads(v)}`);
  else if (v.verified) parts.push('verified');
  else parts.push('not checked on this model yet');
  return `${name} — ${parts.join(', ')}${v.verified ? ' ✓' : ''}${picked ? ' picked' : ''}`;
}

const tokensPerSec = (x: number): string => `${Math.round(x).toLocaleString('en-US')} tokens/s`;

/** wasm's other timed thread counts: " (1 thread: 4,100 tokens/s)". */
function otherThreads(v: BackendVerdict): string {
  const others = (v.threadTimes ?? []).filter((t) => t.threads !== v.threads);
  if (!others.length) return '';
  return ` (${others.map((t) => `${t.threads} thread${t.threads === 1 ? '' : 's'}: ${tokensPerSec(t.tokensPerSec)}`).join(', ')})`;
}

/** The backend in use as the status bar names it: "wasm · 2 threads", "webgl (SwiftShader)". */
export function backendLabel(name: string, verdicts: readonly BackendVerdict[]): string {
  const v = verdicts.find((x) => x.name === name);
  if (!v) return name;
  if (v.name === 'wasm' && v.threads) return `wasm · ${v.threads} thread${v.threads === 1 ? '' : 's'}`;
  return v.software ? `${name} (${v.software})` : name;
}
