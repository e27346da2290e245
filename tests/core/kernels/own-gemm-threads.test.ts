import { Worker } from 'node:worker_threads';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { attentionBackward, attentionForward, attentionScratchFloats } from '../../../core/kernels/attention-entries';
import {
  attentionSplit,
  gemmSplit,
  gemmSplitColumns,
  gemmSplitEntries,
  helperClaims,
  mapSplit,
  MAX_GEMM_THREADS,
  ownGemmSplits,
  ownGemmThreadsOn,
  readyOwnGemmHelpers,
  setOwnGemmAnswerMs,
  rowKernelSplit,
  SPLIT_MIN_FLOATS,
  SPLIT_MIN_MACS,
  startOwnGemmThreads,
  stopOwnGemmThreads,
  type OwnGemmHelperInit,
} from '../../../core/kernels/own-gemm-threads';
import type { OwnWasmKernels } from '../../../core/kernels/own-wasm';
import { OWN_KERNELS_SHARED_SIMD } from '../../../core/kernels/wasm/own-kernels.generated';
import { seededValues } from './helpers';

// Our GEMM split over helper threads on one shared WebAssembly.Memory, as in the app's threaded wasm build:
// here the memory is the test's own and the helpers are Node worker threads.

const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true }); // 16 MiB
const module = new WebAssembly.Module(Buffer.from(OWN_KERNELS_SHARED_SIMD, 'base64'));
const own = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as OwnWasmKernels;
const f32 = () => new Float32Array(memory.buffer);

const workers: Worker[] = [];
const spawn =
  (silent: boolean, stuck = false) =>
  (init: OwnGemmHelperInit, failed: () => void) => {
    const w = new Worker(new URL('./own-gemm-helper.mjs', import.meta.url), { workerData: { init, silent, stuck } });
    w.on('error', failed);
    workers.push(w);
    return { terminate: () => void w.terminate() };
  };

async function ready(helpers: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (readyOwnGemmHelpers(memory) < helpers) {
    if (Date.now() > deadline) throw new Error('helpers did not start');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** How many elements differ at all (a count, not a diff of 400k numbers, when they do). */
function differing(got: Float32Array, want: Float32Array): number {
  let count = got.length === want.length ? 0 : Math.max(got.length, want.length);
  for (let i = 0; i < Math.min(got.length, want.length); i++) if (!Object.is(got[i], want[i])) count++;
  return count;
}

/**
 * Runs a split job (returning how many floats of each output differ from one thread's) until a helper has taken
 * part: jobs of a fraction of a millisecond can end before a helper just started (its code not yet compiled)
 * wakes (a helper that has not taken the job when this thread is done gets it taken back). Every run splits, and
 * every run's outputs must equal one thread's.
 */
function untilHelped(run: () => number[]): boolean {
  for (let attempt = 0; attempt < 200; attempt++) {
    const [splitsBefore, claims] = [ownGemmSplits(), helperClaims(memory)];
    const diffs = run();
    expect(
      diffs.every((d) => d === 0),
      `floats differing: ${diffs.join(', ')}`,
    ).toBe(true);
    expect(ownGemmSplits() - splitsBefore).toBe(1);
    if (helperClaims(memory) > claims) return true;
  }
  return false;
}

/** Packs a (m, k) and b (k, n) (+ bias) in the memory and returns gemm4x8's pointers; `out` is zeroed. */
function layout(m: number, k: number, n: number, bias: boolean) {
  const n8 = Math.ceil(n / 8) * 8;
  const F = { a: 0, b: m * k, bias: m * k + k * n, ap: 0, bp: 0, bpBias: 0, out: 0, tile: 0 };
  F.ap = F.bias + n;
  F.bp = F.ap + Math.ceil(m / 4) * 4 * k;
  F.bpBias = F.bp + n8 * k;
  F.out = F.bpBias + n8;
  F.tile = F.out + m * n;
  const view = f32();
  view.set(seededValues(m * k, 1), F.a);
  view.set(seededValues(k * n, 2), F.b);
  view.set(seededValues(n, 3), F.bias);
  view.fill(0, F.out, F.out + m * n);
  own.pack_a4(4 * F.a, 4 * F.ap, m, k, k, 1);
  own.pack_b8(4 * F.b, 4 * F.bp, k, n, n, 1);
  own.pack_b8(4 * F.bias, 4 * F.bpBias, 1, n, 0, 1);
  const args = [4 * F.ap, 4 * F.bp, bias ? 4 * F.bpBias : 0, 4 * F.out, m, k, n, 4 * F.tile] as const;
  return { args, out: () => f32().slice(F.out, F.out + m * n) };
}

/** Products in the shapes a step makes (all ≥ SPLIT_MIN_MACS), uneven panel counts included. */
const CASES = [
  { m: 768, k: 128, n: 512, bias: true },
  { m: 97, k: 301, n: 130, bias: false }, // 25 panels, the last of one row
  { m: 8, k: 512, n: 300, bias: true }, // two panels
];

afterEach(() => {
  stopOwnGemmThreads();
  setOwnGemmAnswerMs(20_000);
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
});

describe('our GEMM over helper threads on a shared memory', () => {
  it.each([1, 2, 3])(
    "with %i helper(s), every product equals one thread's, bit for bit",
    async (helpers) => {
      expect(startOwnGemmThreads(memory, module, helpers + 1, spawn(false))).toBe(helpers);
      expect(ownGemmThreadsOn(memory)).toBe(helpers + 1);
      await ready(helpers);
      const check = (c: (typeof CASES)[number]): void => {
        expect(c.m * c.k * c.n).toBeGreaterThanOrEqual(SPLIT_MIN_MACS);
        const one = layout(c.m, c.k, c.n, c.bias);
        own.gemm4x8(...one.args);
        const want = one.out();
        const split = layout(c.m, c.k, c.n, c.bias);
        const before = ownGemmSplits();
        gemmSplit(own, memory, ...split.args);
        expect(ownGemmSplits() - before).toBe(1); // the split route ran
        expect(differing(split.out(), want)).toBe(0);
        // a not packed first: each claim packs its own panels (into a packed copy cleared to NaN here)
        const claims = layout(c.m, c.k, c.n, c.bias);
        const ap = claims.args[0];
        f32().fill(NaN, ap / 4, ap / 4 + Math.ceil(c.m / 4) * 4 * c.k);
        gemmSplit(own, memory, ...claims.args, { a: 0, stride: 0, sar: c.k, sak: 1 }); // a at byte 0 (layout's F.a)
        expect(differing(claims.out(), want)).toBe(0);
        // shared by column panels (the route of products with few rows)
        const columns = layout(c.m, c.k, c.n, c.bias);
        const splitsBefore = ownGemmSplits();
        gemmSplitColumns(own, memory, ...columns.args);
        expect(ownGemmSplits() - splitsBefore).toBe(1);
        expect(differing(columns.out(), want)).toBe(0);
      };
      CASES.forEach(check);
      // A helper asleep when a product is posted may wake after this thread has claimed every panel (the full
      // suite keeps both cores busy): the biggest product again, a bounded number of times, until one claims.
      for (let again = 0; again < 50 && helperClaims(memory) === 0; again++) check(CASES[0]);
      expect(helperClaims(memory)).toBeGreaterThan(0); // the helpers computed panels, not only this thread
    },
    60_000,
  );

  it("a batch of products each too small to split is shared by its panels, equal to one thread's bit for bit", async () => {
    expect(startOwnGemmThreads(memory, module, 3, spawn(false))).toBe(2);
    await ready(2);
    // Attention's shapes: 48 entries of (64, 64)·(64, 32), each 131k multiply-adds, 6.3M together; once with
    // b broadcast (one packed b for every entry, stride 0), once with a b per entry.
    const [entries, m, k, n] = [48, 64, 64, 32];
    expect(m * k * n).toBeLessThan(SPLIT_MIN_MACS);
    for (const bCopies of [1, entries]) {
      const [aFloats, bFloats] = [m * k, k * n];
      const ap = 0;
      const bp = ap + entries * aFloats;
      const out = bp + bCopies * bFloats;
      const tile = out + entries * m * n;
      const view = f32();
      view.set(seededValues(entries * aFloats, 4), ap); // already packed: any floats will do
      view.set(seededValues(bCopies * bFloats, 5), bp);
      const e = {
        ap: 4 * ap,
        bp: 4 * bp,
        bias: 0,
        out: 4 * out,
        entries,
        sa: 4 * aFloats,
        sb: bCopies > 1 ? 4 * bFloats : 0,
        so: 4 * m * n,
      };
      for (let i = 0; i < entries; i++)
        own.gemm4x8(e.ap + i * e.sa, e.bp + i * e.sb, 0, e.out + i * e.so, m, k, n, 4 * tile);
      const want = f32().slice(out, out + entries * m * n);
      f32().fill(0, out, out + entries * m * n);
      const helped = untilHelped(() => {
        f32().fill(0, out, out + entries * m * n);
        gemmSplitEntries(own, memory, e, m, k, n, 4 * tile);
        return [differing(f32().slice(out, out + entries * m * n), want)];
      });
      expect(helped).toBe(true);
    }
  }, 60_000);

  it("GELU, its gradient and AdamW over big tensors are shared by blocks, equal to one thread's bit for bit", async () => {
    expect(startOwnGemmThreads(memory, module, 3, spawn(false))).toBe(2);
    await ready(2);
    const n = 5 * 1024 * 9 + 3; // uneven: a partial last block, and a tail AdamW finishes without SIMD
    expect(n).toBeGreaterThanOrEqual(SPLIT_MIN_FLOATS);
    const input = (i: number) => i * n;
    const view = f32();
    for (let i = 0; i < 4; i++) view.set(seededValues(n, 10 + i), input(i));
    view.subarray(input(3), input(4)).forEach((x, j, v) => (v[j] = Math.abs(x))); // v ≥ 0
    const outs = [4, 5, 6].map(input);
    const floats = [0.9, 0.999, 0.1, 0.001, 0.003, 1.001, 1e-8, 0.9999];
    const runs = [
      { kernel: 'gelu4', simd: n - (n % 4), ptrs: [input(0), outs[0]] },
      { kernel: 'gelu_grad4', simd: n - (n % 4), ptrs: [input(0), input(1), outs[0]] },
      { kernel: 'adamw', simd: n, ptrs: [input(0), input(1), input(2), input(3), ...outs] },
    ] as const;
    for (const r of runs) {
      const bytes = r.ptrs.map((p) => 4 * p);
      const outputs = () => outs.map((o) => f32().slice(o, o + n));
      f32().fill(0, outs[0], outs[2] + n);
      if (r.kernel === 'adamw') {
        const [p, g, m, v, p2, m2, v2] = bytes;
        own.adamw(
          p,
          g,
          m,
          v,
          p2,
          m2,
          v2,
          r.simd,
          ...(floats as [number, number, number, number, number, number, number, number]),
        );
      } else if (r.kernel === 'gelu4') own.gelu4(bytes[0], bytes[1], r.simd);
      else own.gelu_grad4(bytes[0], bytes[1], bytes[2], r.simd);
      const want = outputs();
      const helped = untilHelped(() => {
        f32().fill(0, outs[0], outs[2] + n);
        mapSplit(own, memory, r.kernel, bytes, r.simd, r.kernel === 'adamw' ? floats : []);
        return outputs().map((got, i) => differing(got, want[i]));
      });
      expect(helped, r.kernel).toBe(true);
    }
    // Below the size, on this thread only.
    const before = ownGemmSplits();
    mapSplit(own, memory, 'gelu4', [4 * input(0), 4 * outs[0]], 1024);
    expect(ownGemmSplits()).toBe(before);
  }, 60_000);

  it("attention forward and backward are shared by entries, equal to one thread's bit for bit", async () => {
    expect(startOwnGemmThreads(memory, module, 3, spawn(false))).toBe(2);
    await ready(2);
    // 4 batch entries of 4 heads of 20 (T 45, d 20: edges everywhere), causal with padding, then not
    const [B, T, H, d] = [4, 45, 4, 20];
    const D = H * d;
    const t4 = Math.ceil(T / 4) * 4;
    const sizes = { qkv: B * T * 3 * D, keep: B * t4, probs: B * H * T * T, out: B * T * 3 * D, dy: B * T * D };
    let at = 0;
    const F = Object.fromEntries(Object.entries(sizes).map(([name, n]) => [name, (at += n) - n])) as typeof sizes;
    const perThread = Math.ceil(attentionScratchFloats(T, d) / 16) * 16;
    const scratch = Math.ceil(at / 16) * 16;
    const view = f32();
    view.set(seededValues(sizes.qkv, 41), F.qkv);
    view.set(seededValues(sizes.dy, 42), F.dy);
    for (let b = 0; b < B; b++) for (let j = 0; j < t4; j++) view[F.keep + b * t4 + j] = j < T - 5 * b ? 1 : 0;
    for (const causal of [true, false]) {
      const job = {
        seqLen: T,
        headDim: d,
        heads: H,
        causal,
        scale: 1 / Math.sqrt(d),
        qkv: 4 * F.qkv,
        keep: 4 * F.keep,
        probs: 4 * F.probs,
        out: 4 * F.out,
        dy: 0,
      };
      expect(B * H * 2 * T * T * d).toBeGreaterThanOrEqual(SPLIT_MIN_MACS);
      const grads = { ...job, dy: 4 * F.dy };
      const outputs = () => [f32().slice(F.probs, F.probs + sizes.probs), f32().slice(F.out, F.out + sizes.out)];
      for (const [backward, args] of [
        [false, job],
        [true, grads],
      ] as const) {
        if (!backward) f32().fill(0, F.probs, F.out + sizes.out);
        else f32().fill(0, F.out, F.out + sizes.out);
        (backward ? attentionBackward : attentionForward)(own, args, 4 * scratch, 0, B * H);
        const want = outputs();
        const helped = untilHelped(() => {
          f32().fill(0, F.out, F.out + sizes.out);
          attentionSplit(own, memory, args, B * H, backward, 4 * scratch, 4 * perThread);
          return outputs().map((got, i) => differing(got, want[i]));
        });
        expect(helped, `causal ${causal}, backward ${backward}`).toBe(true);
      }
    }
  }, 60_000);

  it("an LSTM step's cell and its gradient are shared by rows, equal to one thread's bit for bit", async () => {
    expect(startOwnGemmThreads(memory, module, 3, spawn(false))).toBe(2);
    await ready(2);
    const [rows, units] = [37, 256]; // 37 rows: uneven claims; 4·37·256 floats ≥ SPLIT_MIN_FLOATS
    expect(4 * rows * units).toBeGreaterThanOrEqual(SPLIT_MIN_FLOATS);
    const [wide, state] = [rows * 4 * units, rows * units];
    // forward inputs x, hu (wide), c, h (state), m (rows); outputs gates (wide), tc, c2, h2 (state)
    const sizes = [wide, wide, state, state, rows, wide, state, state, state];
    const at: number[] = [];
    sizes.reduce((offset, n) => (at.push(offset), offset + n), 0);
    const view = f32();
    for (let i = 0; i < 4; i++) view.set(seededValues(sizes[i], 60 + i), at[i]);
    for (let b = 0; b < rows; b++) view[at[4] + b] = b % 5 === 0 ? 0 : 1; // some masked rows
    const pointers = at.map((a) => 4 * a);
    const outs = () => [5, 6, 7, 8].map((i) => f32().slice(at[i], at[i] + sizes[i]));
    own.lstm_cell(
      ...(pointers as [number, number, number, number, number, number, number, number, number]),
      rows,
      units,
    );
    const want = outs();
    const forward = untilHelped(() => {
      f32().fill(0, at[5], at[8] + state);
      rowKernelSplit(own, memory, 'lstm_cell', pointers, rows, units);
      return outs().map((got, i) => differing(got, want[i]));
    });
    expect(forward).toBe(true);
    // gradient: dy, dhCarry, dhMat, dc (state), m, gates (wide), tc, c (state); dA (wide), dcPrev, dhPrev (state)
    const base = at[8] + state;
    const gSizes = [state, state, state, state, rows, wide, state, state, wide, state, state];
    const g: number[] = [];
    gSizes.reduce((offset, n) => (g.push(offset), offset + n), base);
    [0, 1, 2, 3, 6, 7].forEach((i) => f32().set(seededValues(gSizes[i], 70 + i), g[i]));
    f32().set(f32().slice(at[4], at[4] + rows), g[4]);
    f32().set(f32().slice(at[5], at[5] + wide), g[5]); // the forward's gates
    const gPointers = g.map((a) => 4 * a);
    const gOuts = () => [8, 9, 10].map((i) => f32().slice(g[i], g[i] + gSizes[i]));
    own.lstm_cell_grad(
      ...(gPointers as [number, number, number, number, number, number, number, number, number, number, number]),
      rows,
      units,
    );
    const gWant = gOuts();
    const backward = untilHelped(() => {
      f32().fill(0, g[8], g[10] + state);
      rowKernelSplit(own, memory, 'lstm_cell_grad', gPointers, rows, units);
      return gOuts().map((got, i) => differing(got, gWant[i]));
    });
    expect(backward).toBe(true);
  }, 60_000);

  it("GRU and simple-RNN steps' cell kernels are shared by rows, equal to one thread's bit for bit", async () => {
    expect(startOwnGemmThreads(memory, module, 3, spawn(false))).toBe(2);
    await ready(2);
    const [rows, units] = [43, 256]; // uneven claims; 4·43·256 floats ≥ SPLIT_MIN_FLOATS
    expect(4 * rows * units).toBeGreaterThanOrEqual(SPLIT_MIN_FLOATS);
    // each kernel's pointers as row widths in units (0: the mask, one float a row) and which of them it writes
    const kernels = [
      { name: 'gru_gates', widths: [3, 2, 1, 3, 1], outputs: [3, 4] },
      { name: 'gru_out', widths: [3, 1, 1, 0, 3, 1], outputs: [4, 5] },
      { name: 'gru_grad_a', widths: [1, 1, 1, 0, 3, 1, 3, 1, 1], outputs: [6, 7, 8] },
      { name: 'gru_grad_b', widths: [1, 3, 1, 3, 1], outputs: [3, 4] }, // dA's r block, dhPrev in place
      { name: 'rnn_cell', widths: [1, 1, 1, 0, 1, 1], outputs: [4, 5] },
      { name: 'rnn_cell_grad', widths: [1, 1, 1, 0, 1, 1, 1], outputs: [5, 6] },
    ] as const;
    for (const { name, widths, outputs } of kernels) {
      const sizes = widths.map((w) => (w === 0 ? rows : w * rows * units));
      const at: number[] = [];
      sizes.reduce((offset, n) => (at.push(offset), offset + n), 0);
      const fill = () =>
        sizes.forEach((n, i) => {
          if (widths[i] === 0) for (let b = 0; b < rows; b++) f32()[at[i] + b] = b % 5 === 0 ? 0 : 1;
          else f32().set(seededValues(n, 80 + i), at[i]); // gates in (−1, 1): σ-like values
        });
      const pointers = at.map((a) => 4 * a);
      const outs = () => outputs.map((i) => f32().slice(at[i], at[i] + sizes[i]));
      fill();
      (own[name] as (...args: number[]) => void)(...pointers, rows, units);
      const want = outs();
      const split = untilHelped(() => {
        fill();
        rowKernelSplit(own, memory, name, pointers, rows, units);
        return outs().map((got, i) => differing(got, want[i]));
      });
      expect(split, name).toBe(true);
    }
  }, 60_000);

  it('small products and helpers not yet started stay on the calling thread', async () => {
    const small = layout(16, 16, 16, false);
    const before = ownGemmSplits();
    gemmSplit(own, memory, ...small.args); // no pool at all
    startOwnGemmThreads(memory, module, 2, spawn(false));
    gemmSplit(own, memory, ...small.args); // below SPLIT_MIN_MACS
    const other = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    const big = layout(768, 128, 512, false);
    own.gemm4x8(...big.args);
    const want = big.out();
    const again = layout(768, 128, 512, false);
    gemmSplit(own, other, ...again.args); // a pool for another heap: not this one's
    expect(ownGemmSplits()).toBe(before);
    expect(differing(again.out(), want)).toBe(0);
    expect(startOwnGemmThreads(memory, module, 1, spawn(false))).toBe(0); // 1 thread: no helper
    expect(MAX_GEMM_THREADS).toBeGreaterThanOrEqual(4);
  }, 60_000);

  it('a helper stuck in a job is dropped after the wait, and the product is computed here', async () => {
    setOwnGemmAnswerMs(300);
    expect(startOwnGemmThreads(memory, module, 2, spawn(false, true))).toBe(1);
    await ready(1);
    const one = layout(768, 128, 512, true);
    own.gemm4x8(...one.args);
    const want = one.out();
    // until it has taken a job (a helper asleep when one is posted gets it taken back), each product right
    for (let i = 0; i < 200 && ownGemmThreadsOn(memory) > 1; i++) {
      const split = layout(768, 128, 512, true);
      gemmSplit(own, memory, ...split.args);
      expect(differing(split.out(), want)).toBe(0);
    }
    expect(ownGemmThreadsOn(memory)).toBe(1); // dropped for good
    expect(readyOwnGemmHelpers(memory)).toBe(0);
  }, 60_000);

  it('a helper that never takes a job is dropped once it has taken none for the wait; every product is right', async () => {
    setOwnGemmAnswerMs(300);
    expect(startOwnGemmThreads(memory, module, 2, spawn(true))).toBe(1);
    await ready(1);
    const one = layout(768, 128, 512, true);
    own.gemm4x8(...one.args);
    const want = one.out();
    const start = Date.now();
    while (ownGemmThreadsOn(memory) > 1 && Date.now() - start < 10_000) {
      const split = layout(768, 128, 512, true);
      gemmSplit(own, memory, ...split.args); // taken back from the silent helper: computed here, not waited for
      expect(differing(split.out(), want)).toBe(0);
    }
    expect(Date.now() - start).toBeGreaterThan(300); // not before it has missed jobs for the whole wait
    expect(ownGemmThreadsOn(memory)).toBe(1);
    expect(readyOwnGemmHelpers(memory)).toBe(0);
  }, 60_000);

  it('a helper asleep through a pause longer than the wait is not dropped for missing the first job after it', async () => {
    // The wait is short for the test, yet long enough that a woken helper runs within it while the other test
    // files keep both cores busy (a helper not run for the whole wait is taken for dead, by design)
    setOwnGemmAnswerMs(500);
    expect(startOwnGemmThreads(memory, module, 2, spawn(false))).toBe(1);
    await ready(1);
    const small = layout(64, 128, 128, false); // 1 Mi multiply-adds: done here before a sleeping helper wakes
    expect(64 * 128 * 128).toBeGreaterThanOrEqual(SPLIT_MIN_MACS);
    for (let pause = 0; pause < 3; pause++) {
      await new Promise((r) => setTimeout(r, 800)); // the helper stops spinning and sleeps
      gemmSplit(own, memory, ...small.args);
      expect(ownGemmThreadsOn(memory)).toBe(2);
    }
  }, 60_000);

  it('a helper whose thread dies is dropped at once: the others and this thread do its share', async () => {
    let fail: (() => void) | undefined;
    const dying = (init: OwnGemmHelperInit, failed: () => void) => {
      if (init.slot === 0) {
        fail = failed; // the adapter would call this from the thread's error event
        return { terminate: () => undefined };
      }
      return spawn(false)(init, failed);
    };
    expect(startOwnGemmThreads(memory, module, 3, dying)).toBe(2);
    expect(ownGemmThreadsOn(memory)).toBe(3);
    fail?.();
    expect(ownGemmThreadsOn(memory)).toBe(2);
    await ready(1);
    const one = layout(768, 128, 512, false);
    own.gemm4x8(...one.args);
    const want = one.out();
    const split = layout(768, 128, 512, false);
    const before = ownGemmSplits();
    gemmSplit(own, memory, ...split.args);
    expect(ownGemmSplits() - before).toBe(1);
    expect(differing(split.out(), want)).toBe(0);
  }, 60_000);

  it('a lower count leaves the helpers asleep and unused; raising it back starts no thread', async () => {
    let spawned = 0;
    const counting = (init: OwnGemmHelperInit, failed: () => void) => {
      spawned++;
      return spawn(false)(init, failed);
    };
    expect(startOwnGemmThreads(memory, module, 3, counting)).toBe(2);
    await ready(2);
    const one = layout(768, 128, 512, true);
    own.gemm4x8(...one.args);
    const want = one.out();
    const product = () => {
      const split = layout(768, 128, 512, true);
      gemmSplit(own, memory, ...split.args);
      return split.out();
    };
    // 1 thread: no helper is given work.
    expect(startOwnGemmThreads(memory, module, 1, counting)).toBe(0);
    expect(ownGemmThreadsOn(memory)).toBe(1);
    expect(readyOwnGemmHelpers(memory)).toBe(0);
    const claims = helperClaims(memory);
    const splits = ownGemmSplits();
    expect(differing(product(), want)).toBe(0);
    expect(ownGemmSplits()).toBe(splits);
    expect(helperClaims(memory)).toBe(claims);
    // 2 threads: the first helper only, and still the same product.
    expect(startOwnGemmThreads(memory, module, 2, counting)).toBe(1);
    expect(readyOwnGemmHelpers(memory)).toBe(1);
    expect(differing(product(), want)).toBe(0);
    expect(ownGemmSplits()).toBe(splits + 1);
    // Back to 3: both sleeping helpers wake for work; none was started anew.
    expect(startOwnGemmThreads(memory, module, 3, counting)).toBe(2);
    expect(readyOwnGemmHelpers(memory)).toBe(2);
    expect(untilHelped(() => [differing(product(), want)])).toBe(true);
    expect(spawned).toBe(2);
    // More than were started: a new pool of 3.
    expect(startOwnGemmThreads(memory, module, 4, counting)).toBe(3);
    expect(spawned).toBe(5);
  }, 60_000);

  it('a heap that is not shared gets no helpers', () => {
    const plain = new WebAssembly.Memory({ initial: 1 });
    expect(startOwnGemmThreads(plain, module, 4, spawn(false))).toBe(0);
  });
});
