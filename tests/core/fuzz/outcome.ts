/** What every fuzz case must satisfy, whatever the input. */
import { readdirSync } from 'node:fs';
import { expect } from 'vitest';
import { expectSentence, type CliResult } from '../cli/helpers';

/** Exit 0, or exit 1 with every stderr line one sentence (check lists one per problem). */
export function expectCleanOutcome(r: CliResult, oneLine = false): void {
  expect([0, 1]).toContain(r.code);
  if (r.code === 1) {
    expect(r.errLines.length).toBeGreaterThan(0);
    if (oneLine) expect(r.errLines).toHaveLength(1);
    for (const line of r.errLines) expectSentence(line);
  }
  // eslint-disable-next-line no-control-regex
  expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
}

/** The names in `dir` (the sandbox a case may write into), for "nothing written outside". */
export const entries = (dir: string): string[] => readdirSync(dir).sort();

/** Wall time of `f` in ms, asserting it stays under `limitMs`. */
export async function timed<T>(limitMs: number, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await f();
  expect(performance.now() - t0).toBeLessThan(limitMs);
  return out;
}

/** The process must not grow without bound across a property's cases. */
export function expectBoundedMemory(limitBytes = 3 * 1024 ** 3): void {
  expect(process.memoryUsage().rss).toBeLessThan(limitBytes);
}
