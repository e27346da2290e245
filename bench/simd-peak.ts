/**
 * The most float32 multiply-adds per second one thread of this machine's WebAssembly engine does with SIMD128:
 * 12 independent f32x4 accumulators (enough to hide the multiply-add latency of current x86 and ARM cores,
 * few enough to stay in the 16 registers V8 gives wasm on x86-64), no memory traffic. A matrix product in wasm
 * cannot beat it per thread; the bench quotes it as the floor under our products.
 */
import initWabt from 'wabt';

const ACCUMULATORS = 12;
const ITERATIONS = 4_000_000;

function peakWat(relaxed: boolean): string {
  const madd = (acc: string): string =>
    relaxed
      ? `(f32x4.relaxed_madd (local.get $x) (local.get $y) (local.get ${acc}))`
      : `(f32x4.add (f32x4.mul (local.get $x) (local.get $y)) (local.get ${acc}))`;
  const accs = Array.from({ length: ACCUMULATORS }, (_, i) => `$c${i}`);
  const sum = accs.slice(1).reduce((s, a) => `(f32x4.add ${s} (local.get ${a}))`, `(local.get ${accs[0]})`);
  return `(module (func (export "peak") (param $n i32) (result f32)
    (local $x v128) (local $y v128) ${accs.map((a) => `(local ${a} v128)`).join(' ')}
    (local.set $x (v128.const f32x4 1.0001 1.0001 1.0001 1.0001))
    (local.set $y (v128.const f32x4 0.9999 0.9999 0.9999 0.9999))
    (loop $l
      ${accs.map((a) => `(local.set ${a} ${madd(a)})`).join('\n      ')}
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n)))
    (f32x4.extract_lane 0 ${sum})))`;
}

/**
 * One thread's SIMD128 multiply-add peak in GMAC/s (fused where `relaxed`, else a multiply and an add), the
 * best of `rounds` timed runs after a warm-up.
 */
export async function simdPeakGmacs(relaxed: boolean, rounds = 5): Promise<number> {
  const wabt = await initWabt();
  const features = { simd: true, relaxed_simd: relaxed };
  const parsed = wabt.parseWat('peak.wat', peakWat(relaxed), features);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    parsed.validate();
    bytes = Uint8Array.from(parsed.toBinary({}).buffer);
  } finally {
    parsed.destroy();
  }
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes));
  const peak = instance.exports.peak as (n: number) => number;
  peak(ITERATIONS / 10);
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    peak(ITERATIONS);
    const ms = performance.now() - start;
    best = Math.max(best, (4 * ACCUMULATORS * ITERATIONS) / ms / 1e6);
  }
  return best;
}
