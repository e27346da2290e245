import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend } from '../../../core/host-node/backend';
import { withTrainDefaults } from '../../../core/train/protocol';
import { fnv1a, softwareRenderer } from '../../../core/worker/backends';
import { verdictLine } from '../../../core/worker/verdicts';
import { WorkerHost, memoryPickCache, type HostDeps } from '../../../core/worker/host';
import type { WorkerResponse } from '../../../core/worker/protocol';
import { tinyAttentionLm } from '../../builders';

// The verified, timed pick, in Node: wasm is the reference and cpu the candidate (webgpu and webgl do not exist
// here). The browser backends go through the same code in the e2e tests.

const graph = tinyAttentionLm();

function host(cache = memoryPickCache(), deps: Partial<HostDeps> = {}) {
  const out: WorkerResponse[] = [];
  const h = new WorkerHost({
    post: (m) => out.push(m),
    loadBundled: async (file) => readFileSync(join('core/data/bundled', file), 'utf8'),
    throttleMs: 5,
    cache,
    testHooks: true,
    ...deps,
  });
  return { h, out };
}
const of = <K extends WorkerResponse['kind']>(out: WorkerResponse[], kind: K) =>
  out.filter((m): m is Extract<WorkerResponse, { kind: K }> => m.kind === kind);

const start = (runId: string, batchSize: number) =>
  ({
    kind: 'start',
    runId,
    name: runId,
    graph,
    data: { kind: 'bundled', name: 'shakespeare' },
    tokenizer: 'char',
    config: withTrainDefaults({ steps: 3, batchSize, evalEvery: 3 }),
  }) as const;

beforeAll(async () => {
  await startNodeBackend('wasm'); // registers tfjs-backend-wasm
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('the verified, timed backend pick', () => {
  it('auto: probes every backend, checks the started ones on the model, picks the fastest verified, remembers it', async () => {
    const cache = memoryPickCache();
    const { h, out } = host(cache);
    await h.handle({ kind: 'init' });
    const first = of(out, 'backend')[0];
    expect(first.name).toBe('wasm'); // the reference, until a model is checked
    expect(first.verdicts.map((v) => [v.name, v.started])).toEqual([
      ['webgpu', false],
      ['webgl', false],
      ['wasm', true],
      ['cpu', true],
    ]);

    await h.handle(start('r1', 4));
    expect(of(out, 'error')).toEqual([]);
    const picked = of(out, 'backend').at(-1)!;
    expect(picked.report?.picked).toBe('wasm');
    const wasm = picked.verdicts.find((v) => v.name === 'wasm')!;
    expect(wasm).toMatchObject({ verified: true });
    expect(wasm.msPerStep).toBeGreaterThan(0);
    // A fresh model guesses about uniformly: its loss is near ln V (V ≈ 65 for Shakespeare's characters).
    expect(wasm.loss).toBeGreaterThan(3.5);
    expect(wasm.loss).toBeLessThan(5);
    // The check ran before the first step, with progress for the status bar.
    const checkAt = out.findIndex((m) => m.kind === 'backend-check' && m.message.startsWith('Checking wasm'));
    const firstStep = out.findIndex((m) => m.kind === 'event' && m.event.event === 'step');
    expect(checkAt).toBeGreaterThanOrEqual(0);
    expect(checkAt).toBeLessThan(firstStep);
    expect(of(out, 'event').find((m) => m.event.event === 'start')?.event).toMatchObject({ backend: 'wasm' });

    // Same model shape again (another host, the same cache): no check, the remembered pick.
    const again = host(cache);
    await again.h.handle({ kind: 'init' });
    await again.h.handle(start('r2', 4));
    expect(of(again.out, 'backend-check').filter((m) => m.message)).toEqual([]);
    expect(of(again.out, 'backend').at(-1)!.report?.picked).toBe('wasm');
  }, 60_000);

  it('a backend made to return wrong results is refused with its reason; forcing it warns before training', async () => {
    const { h, out } = host();
    await h.handle({ kind: 'init', backend: 'cpu' });
    await h.handle({ kind: 'test-corrupt', backend: 'cpu' });
    await h.handle(start('bad', 2));
    const msg = of(out, 'backend').at(-1)!;
    const cpu = msg.verdicts.find((v) => v.name === 'cpu')!;
    expect(cpu.verified).toBe(false);
    // A fresh model's logits are near zero, so scaled matmuls move the loss little and the gradient a lot.
    expect(cpu.reason).toMatch(/^results differ from the reference: (loss|gradient norm) [\d.,]+ vs [\d.,]+$/);
    expect(msg.warning).toMatch(
      /^cpu failed verification on this model \(results differ from the reference: .*\); training on it because you chose it/,
    );
    const warnAt = out.indexOf(msg);
    const firstStep = out.findIndex((m) => m.kind === 'event' && m.event.event === 'step');
    expect(warnAt).toBeLessThan(firstStep);
    expect(verdictLine(cpu, false)).toMatch(/^cpu — results differ from the reference: /);

    // 'check-backends' (what the bench uses): the named backends and the reference, each verified, the right ones timed.
    await h.handle({
      kind: 'check-backends',
      requestId: 7,
      graph,
      data: { kind: 'bundled', name: 'shakespeare' },
      tokenizer: 'char',
      config: withTrainDefaults({ batchSize: 3 }),
      backends: ['cpu'],
    });
    const checked = of(out, 'backends-checked')[0];
    expect(checked.picked).toBe('wasm');
    expect(checked.verdicts.find((v) => v.name === 'cpu')).toMatchObject({ verified: false });
    expect(checked.verdicts.find((v) => v.name === 'wasm')?.tokensPerSec).toBeGreaterThan(0);
  }, 60_000);

  it('auto times wasm at the thread count the page asked for and at 1, trains at the faster, and remembers the count', async () => {
    // Node's wasm build has no threads, so the count is the host's bookkeeping here (the worker adapter's
    // useWasmThreads starts our GEMM's helpers); a clock makes 2 threads the faster (1 ms a step against 5 at
    // 1 thread, 50 on cpu), so the pick must end on 2 threads although it timed 1 thread last.
    let threads = 0;
    let clock = 0;
    const cache = memoryPickCache();
    /** ms per call of the clock: cpu 50; wasm `fast` at the count given, 5 at the other. */
    const clockFavouring = (fast: number) => () => (clock += tf.getBackend() === 'cpu' ? 50 : threads === fast ? 1 : 5);
    const make = (now = clockFavouring(2)) =>
      host(cache, {
        environment: { wasmThreads: () => threads || undefined, isolated: true },
        setWasmThreads: (n) => {
          threads = n;
        },
        useWasmThreads: async (n) => {
          threads = n;
        },
        now,
      });
    const { h, out } = make();
    await h.handle({ kind: 'init', threads: 2 });
    expect(threads).toBe(2);
    await h.handle(start('t1', 4));
    expect(of(out, 'error')).toEqual([]);
    const msg = of(out, 'backend').at(-1)!;
    expect(msg.report?.picked).toBe('wasm');
    const wasm = msg.report!.verdicts.find((v) => v.name === 'wasm')!;
    expect(wasm.threadTimes?.map((t) => [t.threads, t.msPerStep])).toEqual([
      [1, 5],
      [2, 1],
    ]);
    expect(wasm).toMatchObject({ threads: 2, msPerStep: 1, verified: true });
    // The check timed 1 thread last; the run went back to 2 and trained there.
    expect(threads).toBe(2);
    expect(of(out, 'backend-check').some((m) => m.message === 'Checking wasm with 1 thread on this model…')).toBe(true);
    const steps = of(out, 'event').filter((m) => m.event.event === 'step');
    expect(steps.length).toBeGreaterThan(0);
    const shown = msg.verdicts.find((v) => v.name === 'wasm')!;
    expect(verdictLine(shown, true)).toMatch(
      /^wasm · 2 threads — [\d,]+ tokens\/s \(1 thread: [\d,]+ tokens\/s\) ✓ picked$/,
    );

    // 1 thread the faster now, but the same model: the remembered count (2) is used without a check.
    clock = 0;
    const again = make(clockFavouring(1));
    threads = 0;
    await again.h.handle({ kind: 'init', threads: 2 });
    await again.h.handle(start('t2', 4));
    expect(of(again.out, 'backend-check').filter((m) => m.message)).toEqual([]);
    expect(threads).toBe(2);
    // A fresh model shape is checked again, and where 1 thread wins the run trains on 1.
    const oneWins = make(clockFavouring(1));
    threads = 0;
    await oneWins.h.handle({ kind: 'init', threads: 2 });
    await oneWins.h.handle(start('t3', 6));
    expect(of(oneWins.out, 'error')).toEqual([]);
    const picked = of(oneWins.out, 'backend').at(-1)!;
    expect(picked.report?.verdicts.find((v) => v.name === 'wasm')).toMatchObject({ threads: 1 });
    expect(threads).toBe(1);
    expect(picked.verdicts.find((v) => v.name === 'wasm')?.threads).toBe(1); // the label: "wasm · 1 thread"
    // A forced wasm for the first model takes the count its check found fastest (2), not the one in use.
    await oneWins.h.handle({ kind: 'init', backend: 'wasm' });
    await oneWins.h.handle(start('t4', 4));
    expect(of(oneWins.out, 'error')).toEqual([]);
    expect(threads).toBe(2);
  }, 120_000);

  it('times the thread counts alternately, so a busy spell of the machine does not decide the count', async () => {
    // 2 threads take 1 ms a step and 1 thread 5, but the first four wasm steps timed fall in a busy spell of
    // 20 ms each. Timed one count after the other, the spell would cover 2 threads' steps and pick 1 thread;
    // timed step by step in A B B A order, it covers at most two steps of each count, below either median.
    let threads = 0;
    let clock = 0;
    let wasmCalls = 0;
    const uses: number[] = [];
    const now = () => {
      if (tf.getBackend() === 'cpu') return (clock += 50);
      wasmCalls++;
      return (clock += wasmCalls <= 8 ? 20 : threads === 2 ? 1 : 5); // two calls of the clock a step
    };
    const { h, out } = host(memoryPickCache(), {
      environment: { wasmThreads: () => threads || undefined, isolated: true },
      setWasmThreads: (n) => {
        threads = n;
      },
      useWasmThreads: async (n) => {
        uses.push(n);
        threads = n;
      },
      now,
    });
    await h.handle({ kind: 'init', threads: 2 });
    await h.handle(start('busy', 5));
    expect(of(out, 'error')).toEqual([]);
    const wasm = of(out, 'backend').at(-1)!.report!.verdicts.find((v) => v.name === 'wasm')!;
    expect(wasm.threadTimes?.map((t) => [t.threads, t.msPerStep])).toEqual([
      [1, 5],
      [2, 1],
    ]);
    expect(wasm.threads).toBe(2);
    expect(threads).toBe(2);
    // The check switched counts between steps: at least once per timed step, not once per count.
    const switches = uses.filter((n, i) => i > 0 && n !== uses[i - 1]).length;
    expect(switches).toBeGreaterThanOrEqual(6);

    // bench:app's wasm rows: a named check times both counts alternately only when it asks to.
    const checkWasm = async (requestId: number, wasmThreadTimes?: boolean) => {
      await h.handle({
        kind: 'check-backends',
        requestId,
        graph,
        data: { kind: 'bundled', name: 'shakespeare' },
        tokenizer: 'char',
        config: withTrainDefaults({ batchSize: 3 }),
        backends: ['wasm'],
        ...(wasmThreadTimes !== undefined && { wasmThreadTimes }),
      });
      const checked = of(out, 'backends-checked').find((m) => m.requestId === requestId);
      return checked?.verdicts.find((v) => v.name === 'wasm');
    };
    expect((await checkWasm(8, true))?.threadTimes?.map((t) => [t.threads, t.msPerStep])).toEqual([
      [1, 5],
      [2, 1],
    ]);
    expect((await checkWasm(9))?.threadTimes).toBeUndefined();
    expect(threads).toBe(2); // the count the worker ran before the check
  }, 120_000);

  it('names software renderers and writes one menu line per backend', () => {
    expect(softwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)')).toBe(
      'SwiftShader',
    );
    expect(softwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe('llvmpipe');
    expect(softwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 4090)')).toBeUndefined();
    expect(verdictLine({ name: 'wasm', started: true, threads: 2, verified: true, tokensPerSec: 1423.4 }, true)).toBe(
      'wasm · 2 threads — 1,423 tokens/s ✓ picked',
    );
    expect(
      verdictLine({ name: 'webgl', started: true, software: 'SwiftShader', verified: true, tokensPerSec: 374 }, false),
    ).toBe('webgl — software renderer (SwiftShader), 374 tokens/s ✓');
    expect(verdictLine({ name: 'webgpu', started: false, error: 'not available here' }, false)).toBe(
      'webgpu — does not start here (not available here)',
    );
    expect(fnv1a('abc')).not.toBe(fnv1a('abd'));
  });
});
