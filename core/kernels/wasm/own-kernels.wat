;; Wordloom's own wasm kernels (SIMD128), run in place on tfjs-backend-wasm's heap: the module imports that
;; module's memory, and every pointer is a tensor's byte offset there (a WasmTensorRecord's memoryOffset).
;; build/build-wasm-kernels.mjs assembles this file twice with wabt — with the memory line below as written
;; (tf.js's single-threaded builds) and with "shared" and a maximum (its threaded build) — into
;; own-kernels.generated.ts; tests/core/kernels/own-wasm.test.ts checks that the committed bytes match a rebuild.
(module
  (import "env" "memory" (memory 1)) ;; MEMORY

  ;; Constants of the kernels with e^x in a loop (GELU, σ and tanh, the softmaxes), as mutable globals that each
  ;; reads into locals before its loop: V8's optimizing compiler rebuilds a v128.const at each use inside a loop
  ;; (three instructions, through a general register), which made GELU ~1.4× slower than with the constants
  ;; loaded once. Mutable, so that the compiler cannot fold them back into constants; nothing writes them.
  (global $c_one (mut v128) (v128.const f32x4 1 1 1 1))
  (global $c_half (mut v128) (v128.const f32x4 0.5 0.5 0.5 0.5))
  (global $c_minus87 (mut v128) (v128.const f32x4 -87 -87 -87 -87))
  (global $c_plus88 (mut v128) (v128.const f32x4 88 88 88 88))
  (global $c_log2e (mut v128) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))
  (global $c_magic (mut v128) (v128.const f32x4 12582912 12582912 12582912 12582912))
  (global $c_minus_ln2hi (mut v128) (v128.const f32x4 -0.693359375 -0.693359375 -0.693359375 -0.693359375))
  (global $c_ln2hi (mut v128) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))
  (global $c_ln2lo (mut v128) (v128.const f32x4 2.12194440e-4 2.12194440e-4 2.12194440e-4 2.12194440e-4))
  (global $c_minus_ln2lo (mut v128) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))
  (global $c_e6 (mut v128) (v128.const f32x4 1.38888889e-3 1.38888889e-3 1.38888889e-3 1.38888889e-3))
  (global $c_e5 (mut v128) (v128.const f32x4 8.33333333e-3 8.33333333e-3 8.33333333e-3 8.33333333e-3))
  (global $c_e4 (mut v128) (v128.const f32x4 4.16666667e-2 4.16666667e-2 4.16666667e-2 4.16666667e-2))
  (global $c_e3 (mut v128) (v128.const f32x4 0.166666667 0.166666667 0.166666667 0.166666667))
  (global $c_rsqrt2 (mut v128) (v128.const f32x4 0.707106781 0.707106781 0.707106781 0.707106781))
  (global $c_erfc_p (mut v128) (v128.const f32x4 0.3275911 0.3275911 0.3275911 0.3275911))
  (global $c_erfc_a5 (mut v128) (v128.const f32x4 1.061405429 1.061405429 1.061405429 1.061405429))
  (global $c_erfc_a4 (mut v128) (v128.const f32x4 -1.453152027 -1.453152027 -1.453152027 -1.453152027))
  (global $c_erfc_a3 (mut v128) (v128.const f32x4 1.421413741 1.421413741 1.421413741 1.421413741))
  (global $c_erfc_a2 (mut v128) (v128.const f32x4 -0.284496736 -0.284496736 -0.284496736 -0.284496736))
  (global $c_erfc_a1 (mut v128) (v128.const f32x4 0.254829592 0.254829592 0.254829592 0.254829592))
  (global $c_rsqrt2pi (mut v128) (v128.const f32x4 0.398942280 0.398942280 0.398942280 0.398942280))
  (global $c_unseen (mut v128) (v128.const f32x4 -3e38 -3e38 -3e38 -3e38))
  (global $c_exp_bias (mut v128) (v128.const i32x4 127 127 127 127))

  ;; Σ x² over n float32 values at $p, accumulated in float64 (global-norm gradient clipping).
  (func (export "sumsq") (param $p i32) (param $n i32) (result f64)
    (local $i i32) (local $end i32) (local $acc v128) (local $x v128) (local $lo v128) (local $hi v128)
    (local $s f64) (local $e f64)
    (local.set $end (i32.and (local.get $n) (i32.const -4)))
    (local.set $acc (f64x2.splat (f64.const 0)))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $x (v128.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $lo (f64x2.promote_low_f32x4 (local.get $x)))
        (local.set $hi (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x))))
        (local.set $acc (f64x2.add (local.get $acc)
          (f64x2.add (f64x2.mul (local.get $lo) (local.get $lo)) (f64x2.mul (local.get $hi) (local.get $hi)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $four)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $e (f64.promote_f32 (f32.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $e) (local.get $e))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))
    (local.get $s))

  ;; Whether more than $limit of the n float32 at $p are nonzero; stops counting as soon as they are (dense data
  ;; costs a scan of about $limit values, not n).
  (func (export "nonzero_exceeds") (param $p i32) (param $n i32) (param $limit i32) (result i32)
    (local $i i32) (local $end i32) (local $chunk i32) (local $acc v128) (local $count i32)
    (local.set $end (i32.and (local.get $n) (i32.const -4)))
    (block $done
      (loop $chunks
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; up to 1,024 values per chunk, 4 at a time: each lane's count is minus the sum of its -1 masks
        (local.set $chunk (i32.add (local.get $i) (i32.const 1024)))
        (if (i32.gt_u (local.get $chunk) (local.get $end)) (then (local.set $chunk (local.get $end))))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (block $chunk_done
          (loop $four
            (br_if $chunk_done (i32.ge_u (local.get $i) (local.get $chunk)))
            (local.set $acc (i32x4.sub (local.get $acc)
              (f32x4.ne (v128.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))))
                (v128.const f32x4 0 0 0 0))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $four)))
        (local.set $count (i32.add (local.get $count) (i32.add
          (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
          (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc))))))
        ;; past the limit: answer now (falling through would scan the rest one value at a time in the tail loop)
        (if (i32.gt_u (local.get $count) (local.get $limit)) (then (return (i32.const 1))))
        (br $chunks)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $n)))
        (if (f32.ne (f32.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))) (f32.const 0))
          (then (local.set $count (i32.add (local.get $count) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))
    (i32.gt_u (local.get $count) (local.get $limit)))

  ;; out (m, n) = a (m, k) · b (k, n), row-major float32, for an `a` that is mostly zeros (a bag of words, a
  ;; one-hot): each nonzero a[i, j] adds a[i, j] · b[j, :] to out[i, :], so the work is nnz(a) · n, not m · k · n.
  ;; out must not alias a or b.
  (func (export "sparse_matmul")
    (param $a i32) (param $b i32) (param $out i32) (param $m i32) (param $k i32) (param $n i32)
    (local $i i32) (local $j i32) (local $c i32) (local $n4 i32) (local $x f32) (local $xs v128)
    (local $arow i32) (local $brow i32) (local $orow i32) (local $o i32)
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (i32.mul (local.get $m) (local.get $n)) (i32.const 2)))
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $arow (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $k)) (i32.const 2))))
        (local.set $orow (i32.add (local.get $out) (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 2))))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $k)))
            (local.set $x (f32.load (i32.add (local.get $arow) (i32.shl (local.get $j) (i32.const 2)))))
            (if (f32.ne (local.get $x) (f32.const 0))
              (then
                (local.set $xs (f32x4.splat (local.get $x)))
                (local.set $brow (i32.add (local.get $b) (i32.shl (i32.mul (local.get $j) (local.get $n)) (i32.const 2))))
                (local.set $c (i32.const 0))
                (block $four_done
                  (loop $four
                    (br_if $four_done (i32.ge_u (local.get $c) (local.get $n4)))
                    (local.set $o (i32.shl (local.get $c) (i32.const 2)))
                    (v128.store (i32.add (local.get $orow) (local.get $o))
                      (f32x4.add (v128.load (i32.add (local.get $orow) (local.get $o)))
                        (f32x4.mul (local.get $xs) (v128.load (i32.add (local.get $brow) (local.get $o))))))
                    (local.set $c (i32.add (local.get $c) (i32.const 4)))
                    (br $four)))
                (block $one_done
                  (loop $one
                    (br_if $one_done (i32.ge_u (local.get $c) (local.get $n)))
                    (local.set $o (i32.shl (local.get $c) (i32.const 2)))
                    (f32.store (i32.add (local.get $orow) (local.get $o))
                      (f32.add (f32.load (i32.add (local.get $orow) (local.get $o)))
                        (f32.mul (local.get $x) (f32.load (i32.add (local.get $brow) (local.get $o))))))
                    (local.set $c (i32.add (local.get $c) (i32.const 1)))
                    (br $one)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; e^x, inline in the kernels below (Node 20's V8 does not inline wasm calls, and a call per four values cost
  ;; them a third of their time), for four float32 clamped to [−87, 88]: x = k·ln2 + r, |r| ≤ ln2/2, with k
  ;; rounded to nearest by adding 1.5·2²³ (its bits then sit in the low mantissa bits), r in two steps
  ;; (Cody–Waite, so r keeps its low bits), e^r by its degree-6 Taylor polynomial (relative error below 2e-7),
  ;; 2^k built in the exponent bits.

  ;; GELU or its gradient over n float32 (n a multiple of 4: the caller finishes a tail), four at a time, with
  ;; Φ(x), the standard normal CDF, and φ(x) = e^(−x²/2)/√(2π) computed inline: with z = |x|/√2,
  ;; erfc(z) = poly(t)·e^(−z²), t = 1/(1 + 0.3275911·z) (Abramowitz & Stegun 7.1.26, |error| ≤ 1.5e-7), and
  ;; Φ = 1 − erfc/2 for x ≥ 0, erfc/2 below (no cancellation in the tail); e^(−z²) as above.
  ;; $grad 0: out = x·Φ(x); 1: out = dy·(Φ(x) + x·φ(x)). One loop with no call per four values and the
  ;; polynomials as multiply-adds: 1.5× faster than calling a Φ, φ function per vector. Constants live in
  ;; locals, which the multiply-adds take (see build-wasm-kernels.mjs).
  (func $gelu_any (param $grad i32) (param $dy i32) (param $x i32) (param $out i32) (param $n i32)
    (local $exp_bias v128)
    (local $i i32) (local $o i32) (local $v v128) (local $z v128) (local $t v128) (local $e v128) (local $q v128)
    (local $r v128) (local $pe v128) (local $k v128) (local $phi v128) (local $pdf v128) (local $dv v128)
    (local $one v128) (local $half v128) (local $rsqrt2 v128) (local $p v128) (local $lo v128) (local $log2e v128) (local $magic v128)
    (local $ln2hi v128) (local $ln2lo v128) (local $e6 v128) (local $e5 v128) (local $e4 v128) (local $e3 v128) (local $a5 v128)
    (local $a4 v128) (local $a3 v128) (local $a2 v128) (local $a1 v128) (local $rsqrt2pi v128)
    (local.set $exp_bias (global.get $c_exp_bias))
    (local.set $one (global.get $c_one))
    (local.set $half (global.get $c_half))
    (local.set $rsqrt2 (global.get $c_rsqrt2))
    (local.set $p (global.get $c_erfc_p))
    (local.set $lo (global.get $c_minus87))
    (local.set $log2e (global.get $c_log2e))
    (local.set $magic (global.get $c_magic))
    (local.set $ln2hi (global.get $c_minus_ln2hi))
    (local.set $ln2lo (global.get $c_ln2lo))
    (local.set $e6 (global.get $c_e6))
    (local.set $e5 (global.get $c_e5))
    (local.set $e4 (global.get $c_e4))
    (local.set $e3 (global.get $c_e3))
    (local.set $a5 (global.get $c_erfc_a5))
    (local.set $a4 (global.get $c_erfc_a4))
    (local.set $a3 (global.get $c_erfc_a3))
    (local.set $a2 (global.get $c_erfc_a2))
    (local.set $a1 (global.get $c_erfc_a1))
    (local.set $rsqrt2pi (global.get $c_rsqrt2pi))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $v (v128.load (i32.add (local.get $x) (local.get $o))))
        (local.set $z (f32x4.mul (f32x4.abs (local.get $v)) (local.get $rsqrt2)))
        (local.set $t (f32x4.div (local.get $one) (f32x4.relaxed_madd (local.get $z) (local.get $p) (local.get $one))))
        ;; e = e^(−z²), −z² ≥ −87: −z² = k·ln2 + r with k rounded to nearest by adding 1.5·2²³ (k's bits then
        ;; sit in the low mantissa bits), r in two steps (Cody–Waite), e^r by its degree-6 Taylor polynomial
        (local.set $e (f32x4.pmax (f32x4.neg (f32x4.mul (local.get $z) (local.get $z))) (local.get $lo)))
        (local.set $k (f32x4.relaxed_madd (local.get $e) (local.get $log2e) (local.get $magic)))
        (local.set $q (f32x4.sub (local.get $k) (local.get $magic))) ;; k as a float
        (local.set $r (f32x4.relaxed_madd (local.get $q) (local.get $ln2hi) (local.get $e)))
        (local.set $r (f32x4.relaxed_madd (local.get $q) (local.get $ln2lo) (local.get $r)))
        (local.set $pe (f32x4.relaxed_madd (local.get $e6) (local.get $r) (local.get $e5)))
        (local.set $pe (f32x4.relaxed_madd (local.get $pe) (local.get $r) (local.get $e4)))
        (local.set $pe (f32x4.relaxed_madd (local.get $pe) (local.get $r) (local.get $e3)))
        (local.set $pe (f32x4.relaxed_madd (local.get $pe) (local.get $r) (local.get $half)))
        (local.set $pe (f32x4.relaxed_madd (local.get $pe) (local.get $r) (local.get $one)))
        (local.set $pe (f32x4.relaxed_madd (local.get $pe) (local.get $r) (local.get $one)))
        (local.set $e (f32x4.mul (local.get $pe) (i32x4.shl (i32x4.add (local.get $k) (local.get $exp_bias)) (i32.const 23))))
        ;; erfc(z)/2
        (local.set $q (f32x4.relaxed_madd (local.get $a5) (local.get $t) (local.get $a4)))
        (local.set $q (f32x4.relaxed_madd (local.get $q) (local.get $t) (local.get $a3)))
        (local.set $q (f32x4.relaxed_madd (local.get $q) (local.get $t) (local.get $a2)))
        (local.set $q (f32x4.relaxed_madd (local.get $q) (local.get $t) (local.get $a1)))
        (local.set $q (f32x4.mul (f32x4.mul (local.get $q) (local.get $t)) (f32x4.mul (local.get $e) (local.get $half))))
        (local.set $phi (v128.bitselect (local.get $q) (f32x4.sub (local.get $one) (local.get $q)) (f32x4.lt (local.get $v) (v128.const f32x4 0 0 0 0))))
        (if (local.get $grad)
          (then
            (local.set $pdf (f32x4.mul (local.get $e) (local.get $rsqrt2pi)))
            (local.set $dv (v128.load (i32.add (local.get $dy) (local.get $o))))
            (v128.store (i32.add (local.get $out) (local.get $o))
              (f32x4.mul (local.get $dv) (f32x4.relaxed_madd (local.get $v) (local.get $pdf) (local.get $phi)))))
          (else (v128.store (i32.add (local.get $out) (local.get $o)) (f32x4.mul (local.get $v) (local.get $phi)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $four))))

  ;; Exact GELU over n float32 (n a multiple of 4): y = x·Φ(x).
  (func (export "gelu4") (param $x i32) (param $y i32) (param $n i32)
    (call $gelu_any (i32.const 0) (i32.const 0) (local.get $x) (local.get $y) (local.get $n)))

  ;; GELU's gradient over n float32 (n a multiple of 4): dx = dy·(Φ(x) + x·φ(x)), both recomputed from x.
  (func (export "gelu_grad4") (param $dy i32) (param $x i32) (param $dx i32) (param $n i32)
    (call $gelu_any (i32.const 1) (local.get $dy) (local.get $x) (local.get $dx) (local.get $n)))

  ;; One AdamW step over n parameters, float32:
  ;;   m' = β1·m + c1·g,  v' = β2·v + c2·g²,  p' = p·keep − step·m' / (√(v'·invBias2) + ε)
  ;; with c1 = (1 − β1)·scale, c2 = (1 − β2)·scale² (scale: gradient clipping), step = lr / (1 − β1ᵗ),
  ;; invBias2 = 1 / (1 − β2ᵗ), keep = 1 − lr·weightDecay (or 1). Outputs may not alias inputs.
  (func (export "adamw")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32)
    (param $p2 i32) (param $m2 i32) (param $v2 i32) (param $n i32)
    (param $beta1 f32) (param $beta2 f32) (param $c1 f32) (param $c2 f32)
    (param $step f32) (param $invBias2 f32) (param $eps f32) (param $keep f32)
    (local $i i32) (local $end i32) (local $o i32)
    (local $B1 v128) (local $B2 v128) (local $C1 v128) (local $C2 v128)
    (local $S v128) (local $IB v128) (local $E v128) (local $K v128)
    (local $gv v128) (local $mv v128) (local $vv v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $B1 (f32x4.splat (local.get $beta1)))
    (local.set $B2 (f32x4.splat (local.get $beta2)))
    (local.set $C1 (f32x4.splat (local.get $c1)))
    (local.set $C2 (f32x4.splat (local.get $c2)))
    (local.set $S (f32x4.splat (local.get $step)))
    (local.set $IB (f32x4.splat (local.get $invBias2)))
    (local.set $E (f32x4.splat (local.get $eps)))
    (local.set $K (f32x4.splat (local.get $keep)))
    (local.set $end (i32.and (local.get $n) (i32.const -4)))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $o))))
        (local.set $mv (f32x4.add
          (f32x4.mul (local.get $B1) (v128.load (i32.add (local.get $m) (local.get $o))))
          (f32x4.mul (local.get $C1) (local.get $gv))))
        (local.set $vv (f32x4.add
          (f32x4.mul (local.get $B2) (v128.load (i32.add (local.get $v) (local.get $o))))
          (f32x4.mul (f32x4.mul (local.get $C2) (local.get $gv)) (local.get $gv))))
        (v128.store (i32.add (local.get $m2) (local.get $o)) (local.get $mv))
        (v128.store (i32.add (local.get $v2) (local.get $o)) (local.get $vv))
        (v128.store (i32.add (local.get $p2) (local.get $o))
          (f32x4.sub
            (f32x4.mul (v128.load (i32.add (local.get $p) (local.get $o))) (local.get $K))
            (f32x4.div
              (f32x4.mul (local.get $S) (local.get $mv))
              (f32x4.add (f32x4.sqrt (f32x4.mul (local.get $vv) (local.get $IB))) (local.get $E)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $four)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $o))))
        (local.set $ms (f32.add
          (f32.mul (local.get $beta1) (f32.load (i32.add (local.get $m) (local.get $o))))
          (f32.mul (local.get $c1) (local.get $gs))))
        (local.set $vs (f32.add
          (f32.mul (local.get $beta2) (f32.load (i32.add (local.get $v) (local.get $o))))
          (f32.mul (f32.mul (local.get $c2) (local.get $gs)) (local.get $gs))))
        (f32.store (i32.add (local.get $m2) (local.get $o)) (local.get $ms))
        (f32.store (i32.add (local.get $v2) (local.get $o)) (local.get $vs))
        (f32.store (i32.add (local.get $p2) (local.get $o))
          (f32.sub
            (f32.mul (f32.load (i32.add (local.get $p) (local.get $o))) (local.get $keep))
            (f32.div
              (f32.mul (local.get $step) (local.get $ms))
              (f32.add (f32.sqrt (f32.mul (local.get $vs) (local.get $invBias2))) (local.get $eps)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail))))
  ;; The four lanes of v added.
  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; LayerNorm over the last axis of x (rows, dim), float32: per row mean and biased variance, rstd = 1/√(var + ε),
  ;; x̂ = (x − mean)·rstd, y = x̂·γ + β. Writes y and x̂ (rows, dim) and rstd (rows). Outputs must not alias inputs.
  (func (export "layer_norm")
    (param $x i32) (param $g i32) (param $b i32) (param $y i32) (param $xhat i32) (param $rstd i32)
    (param $rows i32) (param $dim i32) (param $eps f32)
    (local $r i32) (local $j i32) (local $dim4 i32) (local $o i32) (local $row i32)
    (local $acc v128) (local $mean f32) (local $meanv v128) (local $rs f32) (local $rsv v128) (local $d v128)
    (local $h v128) (local $sum f32) (local $e f32) (local $hs f32)
    (local.set $dim4 (i32.and (local.get $dim) (i32.const -4)))
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $row (i32.shl (i32.mul (local.get $r) (local.get $dim)) (i32.const 2)))
        ;; mean
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $s_done
          (loop $s
            (br_if $s_done (i32.ge_u (local.get $j) (local.get $dim4)))
            (local.set $acc (f32x4.add (local.get $acc)
              (v128.load (i32.add (local.get $x) (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $s)))
        (local.set $sum (call $hsum (local.get $acc)))
        (block $st_done
          (loop $st
            (br_if $st_done (i32.ge_u (local.get $j) (local.get $dim)))
            (local.set $sum (f32.add (local.get $sum)
              (f32.load (i32.add (local.get $x) (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $st)))
        (local.set $mean (f32.div (local.get $sum) (f32.convert_i32_u (local.get $dim))))
        (local.set $meanv (f32x4.splat (local.get $mean)))
        ;; biased variance about the mean
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $v_done
          (loop $v
            (br_if $v_done (i32.ge_u (local.get $j) (local.get $dim4)))
            (local.set $d (f32x4.sub
              (v128.load (i32.add (local.get $x) (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))))
              (local.get $meanv)))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $d) (local.get $d))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $v)))
        (local.set $sum (call $hsum (local.get $acc)))
        (block $vt_done
          (loop $vt
            (br_if $vt_done (i32.ge_u (local.get $j) (local.get $dim)))
            (local.set $e (f32.sub
              (f32.load (i32.add (local.get $x) (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))))
              (local.get $mean)))
            (local.set $sum (f32.add (local.get $sum) (f32.mul (local.get $e) (local.get $e))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $vt)))
        (local.set $rs (f32.div (f32.const 1)
          (f32.sqrt (f32.add (f32.div (local.get $sum) (f32.convert_i32_u (local.get $dim))) (local.get $eps)))))
        (f32.store (i32.add (local.get $rstd) (i32.shl (local.get $r) (i32.const 2))) (local.get $rs))
        (local.set $rsv (f32x4.splat (local.get $rs)))
        ;; x̂ and y
        (local.set $j (i32.const 0))
        (block $n_done
          (loop $n
            (br_if $n_done (i32.ge_u (local.get $j) (local.get $dim4)))
            (local.set $o (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $h (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $o))) (local.get $meanv))
              (local.get $rsv)))
            (v128.store (i32.add (local.get $xhat) (local.get $o)) (local.get $h))
            (v128.store (i32.add (local.get $y) (local.get $o))
              (f32x4.add (f32x4.mul (local.get $h) (v128.load (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 2)))))
                (v128.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $n)))
        (block $nt_done
          (loop $nt
            (br_if $nt_done (i32.ge_u (local.get $j) (local.get $dim)))
            (local.set $o (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $hs (f32.mul (f32.sub (f32.load (i32.add (local.get $x) (local.get $o))) (local.get $mean))
              (local.get $rs)))
            (f32.store (i32.add (local.get $xhat) (local.get $o)) (local.get $hs))
            (f32.store (i32.add (local.get $y) (local.get $o))
              (f32.add (f32.mul (local.get $hs) (f32.load (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 2)))))
                (f32.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $nt)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop))))

  ;; LayerNorm's gradient, float32: with g = dy·γ, dx = rstd·(g − mean(g) − x̂·mean(g·x̂)) per row; dγ = Σ dy·x̂
  ;; and dβ = Σ dy over the rows (dim each, accumulated in place). Outputs must not alias inputs.
  (func (export "layer_norm_grad")
    (param $dy i32) (param $xhat i32) (param $rstd i32) (param $g i32) (param $dx i32) (param $dg i32) (param $db i32)
    (param $rows i32) (param $dim i32)
    (local $r i32) (local $j i32) (local $dim4 i32) (local $o i32) (local $c i32) (local $row i32)
    (local $a1 v128) (local $a2 v128) (local $d v128) (local $gx v128) (local $h v128)
    (local $m1 f32) (local $m2 f32) (local $m1v v128) (local $m2v v128) (local $rs f32) (local $rsv v128)
    (local $ds f32) (local $gs f32) (local $hs f32)
    (memory.fill (local.get $dg) (i32.const 0) (i32.shl (local.get $dim) (i32.const 2)))
    (memory.fill (local.get $db) (i32.const 0) (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $dim4 (i32.and (local.get $dim) (i32.const -4)))
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $row (i32.shl (i32.mul (local.get $r) (local.get $dim)) (i32.const 2)))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $s_done
          (loop $s
            (br_if $s_done (i32.ge_u (local.get $j) (local.get $dim4)))
            (local.set $c (i32.shl (local.get $j) (i32.const 2)))
            (local.set $o (i32.add (local.get $row) (local.get $c)))
            (local.set $d (v128.load (i32.add (local.get $dy) (local.get $o))))
            (local.set $h (v128.load (i32.add (local.get $xhat) (local.get $o))))
            (local.set $gx (f32x4.mul (local.get $d) (v128.load (i32.add (local.get $g) (local.get $c)))))
            (local.set $a1 (f32x4.add (local.get $a1) (local.get $gx)))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $gx) (local.get $h))))
            (v128.store (i32.add (local.get $dg) (local.get $c))
              (f32x4.add (v128.load (i32.add (local.get $dg) (local.get $c))) (f32x4.mul (local.get $d) (local.get $h))))
            (v128.store (i32.add (local.get $db) (local.get $c))
              (f32x4.add (v128.load (i32.add (local.get $db) (local.get $c))) (local.get $d)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $s)))
        (local.set $m1 (call $hsum (local.get $a1)))
        (local.set $m2 (call $hsum (local.get $a2)))
        (block $st_done
          (loop $st
            (br_if $st_done (i32.ge_u (local.get $j) (local.get $dim)))
            (local.set $c (i32.shl (local.get $j) (i32.const 2)))
            (local.set $o (i32.add (local.get $row) (local.get $c)))
            (local.set $ds (f32.load (i32.add (local.get $dy) (local.get $o))))
            (local.set $hs (f32.load (i32.add (local.get $xhat) (local.get $o))))
            (local.set $gs (f32.mul (local.get $ds) (f32.load (i32.add (local.get $g) (local.get $c)))))
            (local.set $m1 (f32.add (local.get $m1) (local.get $gs)))
            (local.set $m2 (f32.add (local.get $m2) (f32.mul (local.get $gs) (local.get $hs))))
            (f32.store (i32.add (local.get $dg) (local.get $c))
              (f32.add (f32.load (i32.add (local.get $dg) (local.get $c))) (f32.mul (local.get $ds) (local.get $hs))))
            (f32.store (i32.add (local.get $db) (local.get $c))
              (f32.add (f32.load (i32.add (local.get $db) (local.get $c))) (local.get $ds)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $st)))
        (local.set $m1 (f32.div (local.get $m1) (f32.convert_i32_u (local.get $dim))))
        (local.set $m2 (f32.div (local.get $m2) (f32.convert_i32_u (local.get $dim))))
        (local.set $m1v (f32x4.splat (local.get $m1)))
        (local.set $m2v (f32x4.splat (local.get $m2)))
        (local.set $rs (f32.load (i32.add (local.get $rstd) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $rsv (f32x4.splat (local.get $rs)))
        (local.set $j (i32.const 0))
        (block $n_done
          (loop $n
            (br_if $n_done (i32.ge_u (local.get $j) (local.get $dim4)))
            (local.set $c (i32.shl (local.get $j) (i32.const 2)))
            (local.set $o (i32.add (local.get $row) (local.get $c)))
            (v128.store (i32.add (local.get $dx) (local.get $o))
              (f32x4.mul (local.get $rsv)
                (f32x4.sub
                  (f32x4.sub
                    (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $o))) (v128.load (i32.add (local.get $g) (local.get $c))))
                    (local.get $m1v))
                  (f32x4.mul (v128.load (i32.add (local.get $xhat) (local.get $o))) (local.get $m2v)))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $n)))
        (block $nt_done
          (loop $nt
            (br_if $nt_done (i32.ge_u (local.get $j) (local.get $dim)))
            (local.set $c (i32.shl (local.get $j) (i32.const 2)))
            (local.set $o (i32.add (local.get $row) (local.get $c)))
            (f32.store (i32.add (local.get $dx) (local.get $o))
              (f32.mul (local.get $rs)
                (f32.sub
                  (f32.sub
                    (f32.mul (f32.load (i32.add (local.get $dy) (local.get $o))) (f32.load (i32.add (local.get $g) (local.get $c))))
                    (local.get $m1))
                  (f32.mul (f32.load (i32.add (local.get $xhat) (local.get $o))) (local.get $m2)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $nt)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop))))

  ;; out (cols) = Σ over rows of x (rows, cols), row-major float32: the sum over leading axes (a bias's gradient).
  ;; Row by row into out, which stays in cache; out must not alias x.
  (func (export "sum_rows") (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $i i32) (local $j i32) (local $cols4 i32) (local $row i32) (local $o i32)
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $row (local.get $x))
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $four_done
          (loop $four
            (br_if $four_done (i32.ge_u (local.get $j) (local.get $cols4)))
            (local.set $o (i32.shl (local.get $j) (i32.const 2)))
            (v128.store (i32.add (local.get $out) (local.get $o))
              (f32x4.add (v128.load (i32.add (local.get $out) (local.get $o)))
                (v128.load (i32.add (local.get $row) (local.get $o)))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $four)))
        (block $one_done
          (loop $one
            (br_if $one_done (i32.ge_u (local.get $j) (local.get $cols)))
            (local.set $o (i32.shl (local.get $j) (i32.const 2)))
            (f32.store (i32.add (local.get $out) (local.get $o))
              (f32.add (f32.load (i32.add (local.get $out) (local.get $o)))
                (f32.load (i32.add (local.get $row) (local.get $o)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $one)))
        (local.set $row (i32.add (local.get $row) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows_loop))))

  ;; ---- Dense products: out (m, n) = a (m, k) · b (k, n) (+ bias), float32, on packed operands ----
  ;; Any strides (so transposed operands need no copy): a[i, kk] at a + 4·(i·sar + kk·sak), b[kk, j] at
  ;; b + 4·(kk·sbk + j·sbn). pack_a4 and pack_b8 copy them into the layout the 4×8 kernel streams through, padded
  ;; with zeros to whole blocks; gemm4x8 then multiplies block by panel with 8 f32x4 accumulators, each k step
  ;; one multiply-add per accumulator (relaxed_madd: fused where the CPU has FMA; the build script also writes a
  ;; variant with a separate multiply and add, for engines without relaxed SIMD).

  ;; ap[blk][kk][r] = a[(4·blk + r)·sar + kk·sak], 0 for rows past m: ceil(m/4)·k·4 floats.
  (func (export "pack_a4") (param $a i32) (param $ap i32) (param $m i32) (param $k i32) (param $sar i32) (param $sak i32)
    (local $blk i32) (local $kk i32) (local $r i32) (local $row i32) (local $dst i32) (local $src i32)
    (local $sar4 i32) (local $sak4 i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $sar4 (i32.shl (local.get $sar) (i32.const 2)))
    (local.set $sak4 (i32.shl (local.get $sak) (i32.const 2)))
    (local.set $dst (local.get $ap))
    (block $blocks_done
      (loop $blocks
        (br_if $blocks_done (i32.ge_u (local.get $row) (local.get $m)))
        (local.set $src (i32.add (local.get $a) (i32.mul (local.get $row) (local.get $sar4))))
        (local.set $kk (i32.const 0))
        (if (i32.and (i32.eq (local.get $sar) (i32.const 1)) (i32.le_u (i32.add (local.get $row) (i32.const 16)) (local.get $m)))
          (then ;; transposed, four blocks at once: the 16 rows at each kk are one 64-byte line, read once
            (local.set $blk (i32.shl (local.get $k) (i32.const 4))) ;; one block's packed bytes
            (block $q_done
              (loop $q
                (br_if $q_done (i32.ge_u (local.get $kk) (local.get $k)))
                (v128.store (local.get $dst) (v128.load (local.get $src)))
                (v128.store (i32.add (local.get $dst) (local.get $blk)) (v128.load offset=16 (local.get $src)))
                (v128.store (i32.add (local.get $dst) (i32.shl (local.get $blk) (i32.const 1))) (v128.load offset=32 (local.get $src)))
                (v128.store (i32.add (local.get $dst) (i32.mul (local.get $blk) (i32.const 3))) (v128.load offset=48 (local.get $src)))
                (local.set $src (i32.add (local.get $src) (local.get $sak4)))
                (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
                (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
                (br $q)))
            (local.set $dst (i32.add (local.get $dst) (i32.mul (local.get $blk) (i32.const 3))))
            (local.set $row (i32.add (local.get $row) (i32.const 16)))
            (br $blocks)))
        (if (i32.and (i32.eq (local.get $sar) (i32.const 1)) (i32.le_u (i32.add (local.get $row) (i32.const 4)) (local.get $m)))
          (then ;; a transposed operand: the block's four rows are adjacent at each kk
            (block $t_done
              (loop $t
                (br_if $t_done (i32.ge_u (local.get $kk) (local.get $k)))
                (v128.store (local.get $dst) (v128.load (local.get $src)))
                (local.set $src (i32.add (local.get $src) (local.get $sak4)))
                (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
                (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
                (br $t))))
          (else
            (if (i32.and (i32.eq (local.get $sak) (i32.const 1)) (i32.le_u (i32.add (local.get $row) (i32.const 4)) (local.get $m)))
              (then ;; a row-major operand: 4 k values of each of the block's 4 rows, transposed in registers
                (block $v_done
                  (loop $v
                    (br_if $v_done (i32.gt_u (i32.add (local.get $kk) (i32.const 4)) (local.get $k)))
                    (local.set $x0 (v128.load (local.get $src)))
                    (local.set $x1 (v128.load (i32.add (local.get $src) (local.get $sar4))))
                    (local.set $x2 (v128.load (i32.add (local.get $src) (i32.mul (local.get $sar4) (i32.const 2)))))
                    (local.set $x3 (v128.load (i32.add (local.get $src) (i32.mul (local.get $sar4) (i32.const 3)))))
                    (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x0) (local.get $x1)))
                    (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x0) (local.get $x1)))
                    (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x2) (local.get $x3)))
                    (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x2) (local.get $x3)))
                    (local.set $x0 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
                    (local.set $x1 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
                    (local.set $x2 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
                    (local.set $x3 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
                    (v128.store offset=0 (local.get $dst) (local.get $x0))
                    (v128.store offset=16 (local.get $dst) (local.get $x1))
                    (v128.store offset=32 (local.get $dst) (local.get $x2))
                    (v128.store offset=48 (local.get $dst) (local.get $x3))
                    (local.set $src (i32.add (local.get $src) (i32.const 16)))
                    (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
                    (local.set $kk (i32.add (local.get $kk) (i32.const 4)))
                    (br $v)))))
            ;; then one value at a time: the last k mod 4 values, or all of a strided or partial block
            (block $k_done
              (loop $ks
                (br_if $k_done (i32.ge_u (local.get $kk) (local.get $k)))
                (local.set $r (i32.const 0))
                (block $r_done
                  (loop $rs
                    (br_if $r_done (i32.ge_u (local.get $r) (i32.const 4)))
                    (f32.store (local.get $dst)
                      (if (result f32) (i32.lt_u (i32.add (local.get $row) (local.get $r)) (local.get $m))
                        (then (f32.load (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $sar4)))))
                        (else (f32.const 0))))
                    (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                    (local.set $r (i32.add (local.get $r) (i32.const 1)))
                    (br $rs)))
                (local.set $src (i32.add (local.get $src) (local.get $sak4)))
                (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
                (br $ks)))))
        (local.set $row (i32.add (local.get $row) (i32.const 4)))
        (br $blocks))))

  ;; bp[p][kk][c] = b[kk·sbk + (8·p + c)·sbn], 0 for columns past n: ceil(n/8)·k·8 floats.
  (func (export "pack_b8") (param $b i32) (param $bp i32) (param $k i32) (param $n i32) (param $sbk i32) (param $sbn i32)
    (local $col i32) (local $kk i32) (local $c i32) (local $dst i32) (local $src i32) (local $sbk4 i32) (local $sbn4 i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $sbk4 (i32.shl (local.get $sbk) (i32.const 2)))
    (local.set $sbn4 (i32.shl (local.get $sbn) (i32.const 2)))
    (local.set $dst (local.get $bp))
    (block $panels_done
      (loop $panels
        (br_if $panels_done (i32.ge_u (local.get $col) (local.get $n)))
        (local.set $src (i32.add (local.get $b) (i32.mul (local.get $col) (local.get $sbn4))))
        (local.set $kk (i32.const 0))
        (if (i32.and (i32.eq (local.get $sbn) (i32.const 1)) (i32.le_u (i32.add (local.get $col) (i32.const 16)) (local.get $n)))
          (then ;; row-major, two panels at once: their 16 columns at each kk are one 64-byte line, read once
            (local.set $c (i32.shl (local.get $k) (i32.const 5))) ;; one panel's packed bytes
            (block $w_done
              (loop $w
                (br_if $w_done (i32.ge_u (local.get $kk) (local.get $k)))
                (v128.store (local.get $dst) (v128.load (local.get $src)))
                (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
                (v128.store (i32.add (local.get $dst) (local.get $c)) (v128.load offset=32 (local.get $src)))
                (v128.store offset=16 (i32.add (local.get $dst) (local.get $c)) (v128.load offset=48 (local.get $src)))
                (local.set $src (i32.add (local.get $src) (local.get $sbk4)))
                (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
                (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
                (br $w)))
            (local.set $dst (i32.add (local.get $dst) (local.get $c)))
            (local.set $col (i32.add (local.get $col) (i32.const 16)))
            (br $panels)))
        (if (i32.and (i32.eq (local.get $sbn) (i32.const 1)) (i32.le_u (i32.add (local.get $col) (i32.const 8)) (local.get $n)))
          (then ;; row-major b: the panel's eight columns are adjacent at each kk
            (block $t_done
              (loop $t
                (br_if $t_done (i32.ge_u (local.get $kk) (local.get $k)))
                (v128.store (local.get $dst) (v128.load (local.get $src)))
                (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
                (local.set $src (i32.add (local.get $src) (local.get $sbk4)))
                (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
                (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
                (br $t))))
          (else
            (if (i32.and (i32.eq (local.get $sbk) (i32.const 1)) (i32.le_u (i32.add (local.get $col) (i32.const 8)) (local.get $n)))
              (then ;; a transposed operand (each column's k values adjacent): 4 k values of the panel's 8 columns
                (block $v_done
                  (loop $v
                    (br_if $v_done (i32.gt_u (i32.add (local.get $kk) (i32.const 4)) (local.get $k)))
                    (local.set $x0 (v128.load (local.get $src)))
                    (local.set $x1 (v128.load (i32.add (local.get $src) (local.get $sbn4))))
                    (local.set $x2 (v128.load (i32.add (local.get $src) (i32.mul (local.get $sbn4) (i32.const 2)))))
                    (local.set $x3 (v128.load (i32.add (local.get $src) (i32.mul (local.get $sbn4) (i32.const 3)))))
                    (local.set $y0 (v128.load (i32.add (local.get $src) (i32.mul (local.get $sbn4) (i32.const 4)))))
                    (local.set $y1 (v128.load (i32.add (local.get $src) (i32.mul (local.get $sbn4) (i32.const 5)))))
                    (local.set $y2 (v128.load (i32.add (local.get $src) (i32.mul (local.get $sbn4) (i32.const 6)))))
                    (local.set $y3 (v128.load (i32.add (local.get $src) (i32.mul (local.get $sbn4) (i32.const 7)))))
                    (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x0) (local.get $x1)))
                    (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x0) (local.get $x1)))
                    (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x2) (local.get $x3)))
                    (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x2) (local.get $x3)))
                    (local.set $x0 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
                    (local.set $x1 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
                    (local.set $x2 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
                    (local.set $x3 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
                    (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $y0) (local.get $y1)))
                    (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $y0) (local.get $y1)))
                    (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $y2) (local.get $y3)))
                    (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $y2) (local.get $y3)))
                    (local.set $y0 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
                    (local.set $y1 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
                    (local.set $y2 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
                    (local.set $y3 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
                    (v128.store offset=0 (local.get $dst) (local.get $x0))
                    (v128.store offset=16 (local.get $dst) (local.get $y0))
                    (v128.store offset=32 (local.get $dst) (local.get $x1))
                    (v128.store offset=48 (local.get $dst) (local.get $y1))
                    (v128.store offset=64 (local.get $dst) (local.get $x2))
                    (v128.store offset=80 (local.get $dst) (local.get $y2))
                    (v128.store offset=96 (local.get $dst) (local.get $x3))
                    (v128.store offset=112 (local.get $dst) (local.get $y3))
                    (local.set $src (i32.add (local.get $src) (i32.const 16)))
                    (local.set $dst (i32.add (local.get $dst) (i32.const 128)))
                    (local.set $kk (i32.add (local.get $kk) (i32.const 4)))
                    (br $v)))))
            ;; then one value at a time: the last k mod 4 values, or all of a strided or partial block
            (block $k_done
              (loop $ks
                (br_if $k_done (i32.ge_u (local.get $kk) (local.get $k)))
                (local.set $c (i32.const 0))
                (block $c_done
                  (loop $cs
                    (br_if $c_done (i32.ge_u (local.get $c) (i32.const 8)))
                    (f32.store (local.get $dst)
                      (if (result f32) (i32.lt_u (i32.add (local.get $col) (local.get $c)) (local.get $n))
                        (then (f32.load (i32.add (local.get $src) (i32.mul (local.get $c) (local.get $sbn4)))))
                        (else (f32.const 0))))
                    (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                    (local.set $c (i32.add (local.get $c) (i32.const 1)))
                    (br $cs)))
                (local.set $src (i32.add (local.get $src) (local.get $sbk4)))
                (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
                (br $ks)))))
        (local.set $col (i32.add (local.get $col) (i32.const 8)))
        (br $panels))))

  ;; out (m, n) row-major = packed a · packed b (+ bias: ceil(n/8)·8 floats, zero-padded; 0 for none), k ≥ 1.
  ;; $tile: 32 floats of scratch for the edge blocks, whose valid part is copied out.
  (func (export "gemm4x8") (param $ap i32) (param $bp i32) (param $bias i32) (param $out i32)
    (param $m i32) (param $k i32) (param $n i32) (param $tile i32)
    (call $gemm (local.get $ap) (local.get $bp) (local.get $bias) (local.get $out)
      (local.get $m) (local.get $k) (local.get $n) (local.get $tile) (local.get $n) (i32.const 0)))

  ;; gemm4x8 with output rows $ldc floats apart (a column block of a wider matrix) and, for attention's square
  ;; causal products (block rows counted from the product's first row), work skipped where it is known zero or
  ;; unused:
  ;;   $mode 0: the whole product;
  ;;   $mode 1: only the blocks on or below the diagonal (out[i, j] for j ≤ i, and whatever else their tiles
  ;;            hold; the blocks wholly above it are not written): scores q·kᵀ, whose upper part is masked;
  ;;   $mode 2: a lower triangular (a[i, kk] = 0 for kk > i): a block of rows r..r+3 sums kk < r + 4 only;
  ;;   $mode 3: a upper triangular (a[i, kk] = 0 for kk < i): a block of rows r..r+3 sums kk ≥ r only.
  (func (export "gemm4x8_ex") (param $ap i32) (param $bp i32) (param $bias i32) (param $out i32)
    (param $m i32) (param $k i32) (param $n i32) (param $tile i32) (param $ldc i32) (param $mode i32)
    (call $gemm (local.get $ap) (local.get $bp) (local.get $bias) (local.get $out)
      (local.get $m) (local.get $k) (local.get $n) (local.get $tile) (local.get $ldc) (local.get $mode)))

  ;; gemm4x8_ex's products. Mode 0 over a big k or m runs in blocks of k steps and of rows (the GotoBLAS order:
  ;; k blocks, then row blocks, then the 8-column panels): a block of packed a (128 rows × 256 k steps, 128 KiB)
  ;; stays in L2 while every panel's 256 k steps (8 KiB, in L1) pass over it, where one pass over all of k per
  ;; panel streamed the whole packed a from L3 for each panel once a outgrew L2 (the LSTM LM's weight gradient,
  ;; (256, 2048)·(2048, 1024): 11 GMAC/s). Later k blocks add to out. The packed layouts hold whole k, so a
  ;; block is an offset into them.
  (func $gemm (param $ap i32) (param $bp i32) (param $bias i32) (param $out i32)
    (param $m i32) (param $k i32) (param $n i32) (param $tile i32) (param $ldc i32) (param $mode i32)
    (local $kb i32) (local $kc i32) (local $rb i32)
    (if (i32.or (local.get $mode) (i32.and (i32.le_u (local.get $k) (i32.const 256)) (i32.le_u (local.get $m) (i32.const 128))))
      (then
        (call $gemm_block (local.get $ap) (local.get $bp) (local.get $bias) (local.get $out) (local.get $m) (local.get $k)
          (local.get $n) (local.get $tile) (local.get $ldc) (local.get $mode) (i32.const 0) (local.get $k) (i32.const 0))
        (return)))
    (block $kbs_done
      (loop $kbs
        (br_if $kbs_done (i32.ge_u (local.get $kb) (local.get $k)))
        (local.set $kc (i32.sub (local.get $k) (local.get $kb)))
        (if (i32.gt_u (local.get $kc) (i32.const 256)) (then (local.set $kc (i32.const 256))))
        (local.set $rb (i32.const 0))
        (block $rbs_done
          (loop $rbs
            (br_if $rbs_done (i32.ge_u (local.get $rb) (local.get $m)))
            (call $gemm_block
              (i32.add (local.get $ap) (i32.shl (i32.mul (local.get $rb) (local.get $k)) (i32.const 2)))
              (local.get $bp) (select (local.get $bias) (i32.const 0) (i32.eqz (local.get $kb)))
              (i32.add (local.get $out) (i32.shl (i32.mul (local.get $rb) (local.get $ldc)) (i32.const 2)))
              (select (i32.const 128) (i32.sub (local.get $m) (local.get $rb)) (i32.gt_u (i32.sub (local.get $m) (local.get $rb)) (i32.const 128)))
              (local.get $k) (local.get $n) (local.get $tile) (local.get $ldc) (i32.const 0)
              (local.get $kb) (local.get $kc) (i32.ne (local.get $kb) (i32.const 0)))
            (local.set $rb (i32.add (local.get $rb) (i32.const 128)))
            (br $rbs)))
        (local.set $kb (i32.add (local.get $kb) (i32.const 256)))
        (br $kbs))))

  ;; The products of $gemm over k steps [kb, kb + kc) only (mode 0; modes 1–3 take kb 0, kc k), each tile
  ;; starting from the bias or, with $acc, from what out already holds.
  (func $gemm_block (param $ap i32) (param $bp i32) (param $bias i32) (param $out i32)
    (param $m i32) (param $k i32) (param $n i32) (param $tile i32) (param $ldc i32) (param $mode i32)
    (param $kb i32) (param $kc i32) (param $acc i32)
    (local $col i32) (local $row i32) (local $kk i32) (local $pa i32) (local $pb i32) (local $po i32) (local $panel i32)
    (local $ldc4 i32) (local $rows i32) (local $cols i32) (local $r i32) (local $c i32) (local $k0 i32)
    (local $x v128) (local $b0 v128) (local $b1 v128) (local $i0 v128) (local $i1 v128)
    (local $c0a v128) (local $c0b v128) (local $c1a v128) (local $c1b v128)
    (local $c2a v128) (local $c2b v128) (local $c3a v128) (local $c3b v128)
    (local.set $ldc4 (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $panel (local.get $bp))
    (block $panels_done
      (loop $panels
        (br_if $panels_done (i32.ge_u (local.get $col) (local.get $n)))
        (local.set $i0 (v128.const i32x4 0 0 0 0))
        (local.set $i1 (v128.const i32x4 0 0 0 0))
        (if (local.get $bias)
          (then
            (local.set $i0 (v128.load (i32.add (local.get $bias) (i32.shl (local.get $col) (i32.const 2)))))
            (local.set $i1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $col) (i32.const 2)))))))
        (local.set $cols (i32.sub (local.get $n) (local.get $col)))
        ;; mode 1: the blocks of rows below $col hold no j ≤ i (col is a multiple of 8, so of 4)
        (local.set $row (select (local.get $col) (i32.const 0) (i32.eq (local.get $mode) (i32.const 1))))
        (block $blocks_done
          (loop $blocks
            (br_if $blocks_done (i32.ge_u (local.get $row) (local.get $m)))
            (local.set $po (i32.add (local.get $out)
              (i32.shl (i32.add (i32.mul (local.get $row) (local.get $ldc)) (local.get $col)) (i32.const 2))))
            (local.set $rows (i32.sub (local.get $m) (local.get $row)))
            (if (local.get $acc)
              (then ;; from out's tile: a whole one directly, an edge one through the zeroed tile
                (if (i32.and (i32.ge_u (local.get $rows) (i32.const 4)) (i32.ge_u (local.get $cols) (i32.const 8)))
                  (then
                    (local.set $c0a (v128.load (local.get $po))) (local.set $c0b (v128.load offset=16 (local.get $po)))
                    (local.set $c1a (v128.load (i32.add (local.get $po) (local.get $ldc4))))
                    (local.set $c1b (v128.load offset=16 (i32.add (local.get $po) (local.get $ldc4))))
                    (local.set $c2a (v128.load (i32.add (local.get $po) (i32.shl (local.get $ldc4) (i32.const 1)))))
                    (local.set $c2b (v128.load offset=16 (i32.add (local.get $po) (i32.shl (local.get $ldc4) (i32.const 1)))))
                    (local.set $c3a (v128.load (i32.add (local.get $po) (i32.mul (local.get $ldc4) (i32.const 3)))))
                    (local.set $c3b (v128.load offset=16 (i32.add (local.get $po) (i32.mul (local.get $ldc4) (i32.const 3))))))
                  (else
                    (local.set $r (i32.const 0))
                    (block $z_done
                      (loop $z
                        (br_if $z_done (i32.ge_u (local.get $r) (i32.const 128)))
                        (v128.store (i32.add (local.get $tile) (local.get $r)) (v128.const i32x4 0 0 0 0))
                        (local.set $r (i32.add (local.get $r) (i32.const 16)))
                        (br $z)))
                    (local.set $r (i32.const 0))
                    (block $lr_done
                      (loop $lr
                        (br_if $lr_done (i32.or (i32.ge_u (local.get $r) (i32.const 4)) (i32.ge_u (local.get $r) (local.get $rows))))
                        (local.set $c (i32.const 0))
                        (block $lc_done
                          (loop $lc
                            (br_if $lc_done (i32.or (i32.ge_u (local.get $c) (i32.const 8)) (i32.ge_u (local.get $c) (local.get $cols))))
                            (f32.store (i32.add (local.get $tile) (i32.shl (i32.add (i32.shl (local.get $r) (i32.const 3)) (local.get $c)) (i32.const 2)))
                              (f32.load (i32.add (i32.add (local.get $po) (i32.mul (local.get $r) (local.get $ldc4))) (i32.shl (local.get $c) (i32.const 2)))))
                            (local.set $c (i32.add (local.get $c) (i32.const 1)))
                            (br $lc)))
                        (local.set $r (i32.add (local.get $r) (i32.const 1)))
                        (br $lr)))
                    (local.set $c0a (v128.load offset=0 (local.get $tile))) (local.set $c0b (v128.load offset=16 (local.get $tile)))
                    (local.set $c1a (v128.load offset=32 (local.get $tile))) (local.set $c1b (v128.load offset=48 (local.get $tile)))
                    (local.set $c2a (v128.load offset=64 (local.get $tile))) (local.set $c2b (v128.load offset=80 (local.get $tile)))
                    (local.set $c3a (v128.load offset=96 (local.get $tile))) (local.set $c3b (v128.load offset=112 (local.get $tile))))))
              (else
                (local.set $c0a (local.get $i0)) (local.set $c0b (local.get $i1))
                (local.set $c1a (local.get $i0)) (local.set $c1b (local.get $i1))
                (local.set $c2a (local.get $i0)) (local.set $c2b (local.get $i1))
                (local.set $c3a (local.get $i0)) (local.set $c3b (local.get $i1))))
            ;; k steps [k0, k0 + kk): [kb, kb + kc), or (modes 2, 3) those a's triangle leaves nonzero
            (local.set $k0 (select (local.get $row) (local.get $kb) (i32.eq (local.get $mode) (i32.const 3))))
            (local.set $kk (i32.sub (i32.add (local.get $kb) (local.get $kc)) (local.get $k0)))
            (if (i32.eq (local.get $mode) (i32.const 2))
              (then (if (i32.lt_u (i32.add (local.get $row) (i32.const 4)) (local.get $k))
                (then (local.set $kk (i32.add (local.get $row) (i32.const 4)))))))
            ;; the block's panel of a starts row·k floats in, 4 floats a k step; the panel of b 8 floats a k step
            (local.set $pa (i32.add (local.get $ap)
              (i32.shl (i32.add (i32.mul (local.get $row) (local.get $k)) (i32.shl (local.get $k0) (i32.const 2))) (i32.const 2))))
            (local.set $pb (i32.add (local.get $panel) (i32.shl (local.get $k0) (i32.const 5))))
            (if (i32.gt_s (local.get $kk) (i32.const 0)) (then
            (loop $ks
              (local.set $b0 (v128.load (local.get $pb)))
              (local.set $b1 (v128.load offset=16 (local.get $pb)))
              (local.set $x (v128.load32_splat offset=0 (local.get $pa)))
              (local.set $c0a (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c0a)))
              (local.set $c0b (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c0b)))
              (local.set $x (v128.load32_splat offset=4 (local.get $pa)))
              (local.set $c1a (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c1a)))
              (local.set $c1b (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c1b)))
              (local.set $x (v128.load32_splat offset=8 (local.get $pa)))
              (local.set $c2a (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c2a)))
              (local.set $c2b (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c2b)))
              (local.set $x (v128.load32_splat offset=12 (local.get $pa)))
              (local.set $c3a (f32x4.relaxed_madd (local.get $x) (local.get $b0) (local.get $c3a)))
              (local.set $c3b (f32x4.relaxed_madd (local.get $x) (local.get $b1) (local.get $c3b)))
              (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
              (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
              (local.set $kk (i32.sub (local.get $kk) (i32.const 1)))
              (br_if $ks (local.get $kk)))))
            (if (i32.and (i32.ge_u (local.get $rows) (i32.const 4)) (i32.ge_u (local.get $cols) (i32.const 8)))
              (then
                (v128.store offset=0 (local.get $po) (local.get $c0a)) (v128.store offset=16 (local.get $po) (local.get $c0b))
                (local.set $po (i32.add (local.get $po) (local.get $ldc4)))
                (v128.store offset=0 (local.get $po) (local.get $c1a)) (v128.store offset=16 (local.get $po) (local.get $c1b))
                (local.set $po (i32.add (local.get $po) (local.get $ldc4)))
                (v128.store offset=0 (local.get $po) (local.get $c2a)) (v128.store offset=16 (local.get $po) (local.get $c2b))
                (local.set $po (i32.add (local.get $po) (local.get $ldc4)))
                (v128.store offset=0 (local.get $po) (local.get $c3a)) (v128.store offset=16 (local.get $po) (local.get $c3b)))
              (else ;; an edge block: through the tile, then its valid rows and columns
                (v128.store offset=0 (local.get $tile) (local.get $c0a)) (v128.store offset=16 (local.get $tile) (local.get $c0b))
                (v128.store offset=32 (local.get $tile) (local.get $c1a)) (v128.store offset=48 (local.get $tile) (local.get $c1b))
                (v128.store offset=64 (local.get $tile) (local.get $c2a)) (v128.store offset=80 (local.get $tile) (local.get $c2b))
                (v128.store offset=96 (local.get $tile) (local.get $c3a)) (v128.store offset=112 (local.get $tile) (local.get $c3b))
                (if (i32.gt_u (local.get $rows) (i32.const 4)) (then (local.set $rows (i32.const 4))))
                (local.set $r (i32.const 0))
                (block $r_done
                  (loop $rs
                    (br_if $r_done (i32.ge_u (local.get $r) (local.get $rows)))
                    (local.set $c (i32.const 0))
                    (block $c_done
                      (loop $cs
                        (br_if $c_done (i32.or (i32.ge_u (local.get $c) (i32.const 8)) (i32.ge_u (local.get $c) (local.get $cols))))
                        (f32.store (i32.add (local.get $po) (i32.shl (local.get $c) (i32.const 2)))
                          (f32.load (i32.add (local.get $tile) (i32.shl (i32.add (i32.shl (local.get $r) (i32.const 3)) (local.get $c)) (i32.const 2)))))
                        (local.set $c (i32.add (local.get $c) (i32.const 1)))
                        (br $cs)))
                    (local.set $po (i32.add (local.get $po) (local.get $ldc4)))
                    (local.set $r (i32.add (local.get $r) (i32.const 1)))
                    (br $rs)))))
            (local.set $row (i32.add (local.get $row) (i32.const 4)))
            (br $blocks)))
        (local.set $panel (i32.add (local.get $panel) (i32.shl (local.get $k) (i32.const 5))))
        (local.set $col (i32.add (local.get $col) (i32.const 8)))
        (br $panels))))

  ;; Attention's masked softmax over one (batch, head) entry's scores, row by row: s (t, t) with rows $ls floats
  ;; apart (scratch: it is overwritten, and its rows hold at least ceil(t/4)·4 floats), keep (ceil(t/4)·4 floats:
  ;; 1 for a key that may be seen, 0 for padding and past t), p (t, t) out, rows t floats apart. Query i sees key
  ;; j where keep[j] ≠ 0 and, when $causal, j ≤ i (the values of s above the diagonal are never read as numbers:
  ;; they may be anything, as mode 1 of gemm4x8_ex leaves them):
  ;;   p[i, j] = e^(scale·s[i, j] − max_i) / Σ_seen e^(scale·s[i, j'] − max_i) where seen, else 0;
  ;; a query that sees no key gets a row of zeros. e^x as in $gelu_any (the argument clamped at −87).
  (func (export "attn_softmax") (param $s i32) (param $ls i32) (param $p i32) (param $keep i32) (param $t i32)
    (param $scale f32) (param $causal i32)
    (local $exp_bias v128)
    (local $i i32) (local $j i32) (local $o i32) (local $lim i32) (local $row i32) (local $prow i32)
    (local $jv v128) (local $niv v128) (local $a v128) (local $x v128) (local $mx v128) (local $sum v128)
    (local $sv v128) (local $mv v128) (local $iv v128) (local $inv f32)
    (local $k v128) (local $q v128) (local $r v128) (local $pe v128)
    (local $one v128) (local $half v128) (local $lo v128) (local $log2e v128) (local $magic v128) (local $ln2hi v128)
    (local $ln2lo v128) (local $e6 v128) (local $e5 v128) (local $e4 v128) (local $e3 v128) (local $big v128)
    (local.set $exp_bias (global.get $c_exp_bias))
    (local.set $one (global.get $c_one))
    (local.set $half (global.get $c_half))
    (local.set $lo (global.get $c_minus87))
    (local.set $log2e (global.get $c_log2e))
    (local.set $magic (global.get $c_magic))
    (local.set $ln2hi (global.get $c_minus_ln2hi))
    (local.set $ln2lo (global.get $c_ln2lo))
    (local.set $e6 (global.get $c_e6))
    (local.set $e5 (global.get $c_e5))
    (local.set $e4 (global.get $c_e4))
    (local.set $e3 (global.get $c_e3))
    (local.set $big (global.get $c_unseen)) ;; an unseen key's scaled score
    (local.set $sv (f32x4.splat (local.get $scale)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $t)))
        (local.set $row (i32.add (local.get $s) (i32.shl (i32.mul (local.get $i) (local.get $ls)) (i32.const 2))))
        (local.set $prow (i32.add (local.get $p) (i32.shl (i32.mul (local.get $i) (local.get $t)) (i32.const 2))))
        ;; keys [0, lim) in whole vectors: those up to i + 1 when causal, else all t (keep is 0 past t)
        (local.set $lim (select (i32.add (local.get $i) (i32.const 1)) (local.get $t) (local.get $causal)))
        (local.set $niv (i32x4.splat (local.get $lim)))
        (local.set $lim (i32.and (i32.add (local.get $lim) (i32.const 3)) (i32.const -4)))
        ;; scaled scores, unseen keys set to −3e38, and their maximum
        (local.set $mx (local.get $big))
        (local.set $jv (v128.const i32x4 0 1 2 3))
        (local.set $j (i32.const 0))
        (block $a_done
          (loop $a_loop
            (br_if $a_done (i32.ge_u (local.get $j) (local.get $lim)))
            (local.set $o (i32.shl (local.get $j) (i32.const 2)))
            (local.set $a (v128.and (f32x4.ne (v128.load (i32.add (local.get $keep) (local.get $o))) (v128.const f32x4 0 0 0 0))
              (i32x4.lt_s (local.get $jv) (local.get $niv))))
            (local.set $x (v128.bitselect (f32x4.mul (v128.load (i32.add (local.get $row) (local.get $o))) (local.get $sv))
              (local.get $big) (local.get $a)))
            (v128.store (i32.add (local.get $row) (local.get $o)) (local.get $x))
            (local.set $mx (f32x4.pmax (local.get $mx) (local.get $x)))
            (local.set $jv (i32x4.add (local.get $jv) (v128.const i32x4 4 4 4 4)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $a_loop)))
        (local.set $mx (f32x4.max (local.get $mx) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $mx) (local.get $mx))))
        (local.set $mx (f32x4.max (local.get $mx) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $mx) (local.get $mx))))
        ;; e^(x − max) where seen (0 elsewhere), in place, and their sum
        (local.set $sum (v128.const f32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $b_done
          (loop $b_loop
            (br_if $b_done (i32.ge_u (local.get $j) (local.get $lim)))
            (local.set $o (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $x (v128.load (local.get $o)))
            (local.set $a (f32x4.gt (local.get $x) (local.get $big)))
            (local.set $x (f32x4.pmax (f32x4.sub (local.get $x) (local.get $mx)) (local.get $lo)))
            (local.set $k (f32x4.relaxed_madd (local.get $x) (local.get $log2e) (local.get $magic)))
            (local.set $q (f32x4.sub (local.get $k) (local.get $magic)))
            (local.set $r (f32x4.relaxed_madd (local.get $q) (local.get $ln2hi) (local.get $x)))
            (local.set $r (f32x4.relaxed_madd (local.get $q) (local.get $ln2lo) (local.get $r)))
            (local.set $pe (f32x4.relaxed_madd (local.get $e6) (local.get $r) (local.get $e5)))
            (local.set $pe (f32x4.relaxed_madd (local.get $pe) (local.get $r) (local.get $e4)))
            (local.set $pe (f32x4.relaxed_madd (local.get $pe) (local.get $r) (local.get $e3)))
            (local.set $pe (f32x4.relaxed_madd (local.get $pe) (local.get $r) (local.get $half)))
            (local.set $pe (f32x4.relaxed_madd (local.get $pe) (local.get $r) (local.get $one)))
            (local.set $pe (f32x4.relaxed_madd (local.get $pe) (local.get $r) (local.get $one)))
            (local.set $x (v128.and (local.get $a)
              (f32x4.mul (local.get $pe) (i32x4.shl (i32x4.add (local.get $k) (local.get $exp_bias)) (i32.const 23)))))
            (v128.store (local.get $o) (local.get $x))
            (local.set $sum (f32x4.add (local.get $sum) (local.get $x)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $b_loop)))
        ;; p = e / Σ over [0, t): zeros past lim; 0 / 0 rows (nothing seen) are zeros too
        (local.set $inv (call $hsum (local.get $sum)))
        (local.set $inv (select (f32.div (f32.const 1) (local.get $inv)) (f32.const 0) (f32.gt (local.get $inv) (f32.const 0))))
        (local.set $iv (f32x4.splat (local.get $inv)))
        (local.set $j (i32.const 0))
        (block $c_done
          (loop $c_loop
            (br_if $c_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $t)))
            (local.set $o (i32.shl (local.get $j) (i32.const 2)))
            (v128.store (i32.add (local.get $prow) (local.get $o))
              (if (result v128) (i32.lt_u (local.get $j) (local.get $lim))
                (then (f32x4.mul (v128.load (i32.add (local.get $row) (local.get $o))) (local.get $iv)))
                (else (v128.const f32x4 0 0 0 0))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $c_loop)))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $j) (local.get $t)))
            (local.set $o (i32.shl (local.get $j) (i32.const 2)))
            (f32.store (i32.add (local.get $prow) (local.get $o))
              (if (result f32) (i32.lt_u (local.get $j) (local.get $lim))
                (then (f32.mul (f32.load (i32.add (local.get $row) (local.get $o))) (local.get $inv)))
                (else (f32.const 0))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tail)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; The softmax's backward for one entry, in place: dp (t, t), rows $ld floats apart (at least ceil(t/4)·4),
  ;; becomes ds[i, j] = scale·p[i, j]·(dp[i, j] − Σ_j' dp[i, j']·p[i, j']) for p (t, t) as attn_softmax wrote it
  ;; (rows t floats apart). When $causal only j ≤ i is read (dp above the diagonal may be anything) and ds there
  ;; is 0, as it is wherever p is 0.
  (func (export "attn_softmax_grad") (param $dp i32) (param $ld i32) (param $p i32) (param $t i32) (param $scale f32)
    (param $causal i32)
    (local $i i32) (local $j i32) (local $o i32) (local $n i32) (local $drow i32) (local $prow i32)
    (local $acc v128) (local $c f32) (local $cv v128) (local $sv v128) (local $pv v128)
    (local.set $sv (f32x4.splat (local.get $scale)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $t)))
        (local.set $drow (i32.add (local.get $dp) (i32.shl (i32.mul (local.get $i) (local.get $ld)) (i32.const 2))))
        (local.set $prow (i32.add (local.get $p) (i32.shl (i32.mul (local.get $i) (local.get $t)) (i32.const 2))))
        (local.set $n (select (i32.add (local.get $i) (i32.const 1)) (local.get $t) (local.get $causal)))
        ;; c = Σ_{j < n} dp·p
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $s_done
          (loop $s_loop
            (br_if $s_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
            (local.set $o (i32.shl (local.get $j) (i32.const 2)))
            (local.set $acc (f32x4.add (local.get $acc)
              (f32x4.mul (v128.load (i32.add (local.get $drow) (local.get $o))) (v128.load (i32.add (local.get $prow) (local.get $o))))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $s_loop)))
        (local.set $c (call $hsum (local.get $acc)))
        (block $st_done
          (loop $st
            (br_if $st_done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $o (i32.shl (local.get $j) (i32.const 2)))
            (local.set $c (f32.add (local.get $c)
              (f32.mul (f32.load (i32.add (local.get $drow) (local.get $o))) (f32.load (i32.add (local.get $prow) (local.get $o))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $st)))
        (local.set $cv (f32x4.splat (local.get $c)))
        ;; ds over j < n, then zeros to t
        (local.set $j (i32.const 0))
        (block $d_done
          (loop $d_loop
            (br_if $d_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
            (local.set $o (i32.shl (local.get $j) (i32.const 2)))
            (local.set $pv (f32x4.mul (v128.load (i32.add (local.get $prow) (local.get $o))) (local.get $sv)))
            (v128.store (i32.add (local.get $drow) (local.get $o))
              (f32x4.mul (local.get $pv) (f32x4.sub (v128.load (i32.add (local.get $drow) (local.get $o))) (local.get $cv))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $d_loop)))
        (block $dt_done
          (loop $dt
            (br_if $dt_done (i32.ge_u (local.get $j) (local.get $t)))
            (local.set $o (i32.shl (local.get $j) (i32.const 2)))
            (f32.store (i32.add (local.get $drow) (local.get $o))
              (if (result f32) (i32.lt_u (local.get $j) (local.get $n))
                (then (f32.mul (f32.mul (f32.load (i32.add (local.get $prow) (local.get $o))) (local.get $scale))
                  (f32.sub (f32.load (i32.add (local.get $drow) (local.get $o))) (local.get $c))))
                (else (f32.const 0))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $dt)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; out = s·σ(s·a) − (s − 1) for a = p + q (q = 0: a = p) over n float32 (n a multiple of 4), four at a time:
  ;; σ(a) = 1/(1 + e^−a) for s = 1, tanh(a) = 2σ(2a) − 1 for s = 2 (absolute error ~1e-7 near 0, where the JS
  ;; loop's Math.tanh is exact). e^x as above, each step a multiply then an add: the same bits as the calls to an
  ;; e^x function with f32x4.nearest it replaces (1.5·2²³ rounds to nearest even too). out may be p (in place).
  (func $sigmoid_run (param $p i32) (param $q i32) (param $out i32) (param $n i32) (param $s f32)
    (local $o i32) (local $end i32) (local $x v128) (local $k v128) (local $nf v128) (local $r v128) (local $e v128)
    (local $sv v128) (local $sm1 v128)
    (local $k_minus87 v128) (local $k_plus88 v128) (local $k_log2e v128) (local $k_magic v128) (local $k_ln2hi v128)
    (local $k_minus_ln2lo v128) (local $k_e6 v128) (local $k_e5 v128) (local $k_e4 v128) (local $k_e3 v128)
    (local $k_half v128) (local $k_one v128) (local $k_exp_bias v128)
    (local.set $k_minus87 (global.get $c_minus87))
    (local.set $k_plus88 (global.get $c_plus88))
    (local.set $k_log2e (global.get $c_log2e))
    (local.set $k_magic (global.get $c_magic))
    (local.set $k_ln2hi (global.get $c_ln2hi))
    (local.set $k_minus_ln2lo (global.get $c_minus_ln2lo))
    (local.set $k_e6 (global.get $c_e6))
    (local.set $k_e5 (global.get $c_e5))
    (local.set $k_e4 (global.get $c_e4))
    (local.set $k_e3 (global.get $c_e3))
    (local.set $k_half (global.get $c_half))
    (local.set $k_one (global.get $c_one))
    (local.set $k_exp_bias (global.get $c_exp_bias))
    (local.set $sv (f32x4.splat (local.get $s)))
    (local.set $sm1 (f32x4.splat (f32.sub (local.get $s) (f32.const 1))))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $x (v128.load (i32.add (local.get $p) (local.get $o))))
        (if (local.get $q) (then (local.set $x (f32x4.add (local.get $x) (v128.load (i32.add (local.get $q) (local.get $o)))))))
        ;; e^(−s·a), the argument clamped to [−87, 88]
        (local.set $x (f32x4.min (f32x4.max (f32x4.neg (f32x4.mul (local.get $x) (local.get $sv))) (local.get $k_minus87)) (local.get $k_plus88)))
        (local.set $k (f32x4.add (f32x4.mul (local.get $x) (local.get $k_log2e)) (local.get $k_magic)))
        (local.set $nf (f32x4.sub (local.get $k) (local.get $k_magic)))
        (local.set $r (f32x4.sub (local.get $x) (f32x4.mul (local.get $nf) (local.get $k_ln2hi))))
        (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $nf) (local.get $k_minus_ln2lo))))
        (local.set $e (f32x4.add (f32x4.mul (local.get $k_e6) (local.get $r)) (local.get $k_e5)))
        (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r)) (local.get $k_e4)))
        (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r)) (local.get $k_e3)))
        (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r)) (local.get $k_half)))
        (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r)) (local.get $k_one)))
        (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r)) (local.get $k_one)))
        (local.set $e (f32x4.mul (local.get $e) (i32x4.shl (i32x4.add (local.get $k) (local.get $k_exp_bias)) (i32.const 23))))
        (v128.store (i32.add (local.get $out) (local.get $o))
          (f32x4.sub
            (f32x4.mul (local.get $sv) (f32x4.div (local.get $k_one) (f32x4.add (local.get $k_one) (local.get $e))))
            (local.get $sm1)))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $four))))

  ;; One masked LSTM step's element-wise part, as lstm-cell.ts' cellForward (units a multiple of 4): for each row b
  ;; and unit j, with a = x + hu in Keras' gate order (i, f, c, o), each a block of `units` columns:
  ;;   gates = [σ(a_i), σ(a_f), tanh(a_c), σ(a_o)], c' = f·c + i·g, tc = tanh(c'),
  ;;   c_next = c + m_b·(c' − c), h_next = h + m_b·(o·tc − h).
  ;; x, hu, gates are (rows, 4·units); c, h, tc, c_next, h_next (rows, units); m (rows). Outputs alias no input.
  ;; Per row: the four gate blocks by $sigmoid_run, then c' (into tc) and c_next, tanh over tc in place, h_next.
  (func (export "lstm_cell")
    (param $x i32) (param $hu i32) (param $c i32) (param $h i32) (param $m i32)
    (param $gates i32) (param $tc i32) (param $c2 i32) (param $h2 i32)
    (param $rows i32) (param $units i32)
    (local $b i32) (local $j i32) (local $hb i32) (local $pg i32) (local $ps i32) (local $row4 i32) (local $row1 i32)
    (local $keep v128) (local $i v128) (local $f v128) (local $g v128) (local $o v128)
    (local $cp v128) (local $cn v128) (local $hp v128)
    (local.set $hb (i32.shl (local.get $units) (i32.const 2))) ;; one gate block, in bytes
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $b) (local.get $rows)))
        (local.set $keep (v128.load32_splat (i32.add (local.get $m) (i32.shl (local.get $b) (i32.const 2)))))
        (local.set $row4 (i32.mul (local.get $b) (i32.shl (local.get $hb) (i32.const 2)))) ;; row b of a (rows, 4·units)
        (local.set $row1 (i32.mul (local.get $b) (local.get $hb))) ;; row b of a (rows, units)
        (local.set $j (i32.const 0))
        (block $gates_done
          (loop $blocks ;; gate blocks i, f, c, o: σ, σ, tanh, σ
            (br_if $gates_done (i32.ge_u (local.get $j) (i32.const 4)))
            (local.set $pg (i32.add (local.get $row4) (i32.mul (local.get $j) (local.get $hb))))
            (call $sigmoid_run
              (i32.add (local.get $x) (local.get $pg)) (i32.add (local.get $hu) (local.get $pg))
              (i32.add (local.get $gates) (local.get $pg)) (local.get $units)
              (select (f32.const 2) (f32.const 1) (i32.eq (local.get $j) (i32.const 2))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $blocks)))
        (local.set $j (i32.const 0))
        (block $cell_done
          (loop $cell ;; c' = f·c + i·g into tc; c_next
            (br_if $cell_done (i32.ge_u (local.get $j) (local.get $hb)))
            (local.set $pg (i32.add (i32.add (local.get $gates) (local.get $row4)) (local.get $j)))
            (local.set $ps (i32.add (local.get $row1) (local.get $j)))
            (local.set $i (v128.load (local.get $pg)))
            (local.set $f (v128.load (i32.add (local.get $pg) (local.get $hb))))
            (local.set $g (v128.load (i32.add (local.get $pg) (i32.shl (local.get $hb) (i32.const 1)))))
            (local.set $cp (v128.load (i32.add (local.get $c) (local.get $ps))))
            (local.set $cn (f32x4.add (f32x4.mul (local.get $f) (local.get $cp)) (f32x4.mul (local.get $i) (local.get $g))))
            (v128.store (i32.add (local.get $tc) (local.get $ps)) (local.get $cn))
            (v128.store (i32.add (local.get $c2) (local.get $ps))
              (f32x4.add (local.get $cp) (f32x4.mul (local.get $keep) (f32x4.sub (local.get $cn) (local.get $cp)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $cell)))
        (call $sigmoid_run
          (i32.add (local.get $tc) (local.get $row1)) (i32.const 0) (i32.add (local.get $tc) (local.get $row1))
          (local.get $units) (f32.const 2))
        (local.set $j (i32.const 0))
        (block $out_done
          (loop $out ;; h_next = h + m·(o·tanh(c') − h)
            (br_if $out_done (i32.ge_u (local.get $j) (local.get $hb)))
            (local.set $ps (i32.add (local.get $row1) (local.get $j)))
            (local.set $o (v128.load (i32.add (i32.add (i32.add (local.get $gates) (local.get $row4)) (local.get $j))
              (i32.mul (local.get $hb) (i32.const 3)))))
            (local.set $hp (v128.load (i32.add (local.get $h) (local.get $ps))))
            (v128.store (i32.add (local.get $h2) (local.get $ps))
              (f32x4.add (local.get $hp)
                (f32x4.mul (local.get $keep)
                  (f32x4.sub (f32x4.mul (local.get $o) (v128.load (i32.add (local.get $tc) (local.get $ps)))) (local.get $hp)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $out)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows))))

  ;; The backward of lstm_cell, as lstm-cell.ts' cellBackward (units a multiple of 4): with dh = dy + dhCarry + dhMat,
  ;; dh' = m_b·dh, dc_in = m_b·dc and dc' = dc_in + dh'·o·(1 − tc²):
  ;;   dA = [dc'·g·i(1−i), dc'·c·f(1−f), dc'·i·(1−g²), dh'·tc·o(1−o)],
  ;;   dc_prev = dc − dc_in + dc'·f, dh_carry = dh − dh'.
  ;; dA and gates are (rows, 4·units); the rest (rows, units); m (rows). Outputs alias no input.
  (func (export "lstm_cell_grad")
    (param $dy i32) (param $dhCarry i32) (param $dhMat i32) (param $dc i32) (param $m i32)
    (param $gates i32) (param $tc i32) (param $c i32)
    (param $dA i32) (param $dcPrev i32) (param $dhPrev i32)
    (param $rows i32) (param $units i32)
    (local $b i32) (local $j i32) (local $hb i32) (local $pg i32) (local $ps i32)
    (local $keep v128) (local $i v128) (local $f v128) (local $g v128) (local $o v128) (local $t v128)
    (local $dh v128) (local $dhn v128) (local $dcv v128) (local $dci v128) (local $dcn v128)
    (local.set $hb (i32.shl (local.get $units) (i32.const 2)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $b) (local.get $rows)))
        (local.set $keep (v128.load32_splat (i32.add (local.get $m) (i32.shl (local.get $b) (i32.const 2)))))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $units)))
            (local.set $pg (i32.shl
              (i32.add (i32.mul (local.get $b) (i32.shl (local.get $units) (i32.const 2))) (local.get $j))
              (i32.const 2)))
            (local.set $ps (i32.shl (i32.add (i32.mul (local.get $b) (local.get $units)) (local.get $j)) (i32.const 2)))
            (local.set $i (v128.load (i32.add (local.get $gates) (local.get $pg))))
            (local.set $f (v128.load (i32.add (local.get $gates) (i32.add (local.get $pg) (local.get $hb)))))
            (local.set $g (v128.load (i32.add (local.get $gates) (i32.add (local.get $pg) (i32.shl (local.get $hb) (i32.const 1))))))
            (local.set $o (v128.load (i32.add (local.get $gates)
              (i32.add (local.get $pg) (i32.mul (local.get $hb) (i32.const 3))))))
            (local.set $t (v128.load (i32.add (local.get $tc) (local.get $ps))))
            (local.set $dh (f32x4.add
              (f32x4.add (v128.load (i32.add (local.get $dy) (local.get $ps))) (v128.load (i32.add (local.get $dhCarry) (local.get $ps))))
              (v128.load (i32.add (local.get $dhMat) (local.get $ps)))))
            (local.set $dhn (f32x4.mul (local.get $keep) (local.get $dh)))
            (local.set $dcv (v128.load (i32.add (local.get $dc) (local.get $ps))))
            (local.set $dci (f32x4.mul (local.get $keep) (local.get $dcv)))
            (local.set $dcn (f32x4.add (local.get $dci)
              (f32x4.mul (f32x4.mul (local.get $dhn) (local.get $o))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $t) (local.get $t))))))
            (v128.store (i32.add (local.get $dA) (local.get $pg))
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dcn) (local.get $g)) (local.get $i))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $i))))
            (v128.store (i32.add (local.get $dA) (i32.add (local.get $pg) (local.get $hb)))
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dcn) (v128.load (i32.add (local.get $c) (local.get $ps)))) (local.get $f))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $f))))
            (v128.store (i32.add (local.get $dA) (i32.add (local.get $pg) (i32.shl (local.get $hb) (i32.const 1))))
              (f32x4.mul (f32x4.mul (local.get $dcn) (local.get $i))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $g) (local.get $g)))))
            (v128.store (i32.add (local.get $dA) (i32.add (local.get $pg) (i32.mul (local.get $hb) (i32.const 3))))
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dhn) (local.get $t)) (local.get $o))
                (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $o))))
            (v128.store (i32.add (local.get $dcPrev) (local.get $ps))
              (f32x4.add (f32x4.sub (local.get $dcv) (local.get $dci)) (f32x4.mul (local.get $dcn) (local.get $f))))
            (v128.store (i32.add (local.get $dhPrev) (local.get $ps)) (f32x4.sub (local.get $dh) (local.get $dhn)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $cols)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows))))

  ;; One masked GRU step (Keras' reset_after=false, gates z, r, h, each a block of `units` columns), as
  ;; core/layers/fused-gru.ts writes it, in two halves around the product (r·h)·U_h (units a multiple of 4):
  ;;   gru_gates: z = σ(x_z + hu_z), r = σ(x_r + hu_r) into gates' first two blocks, rh = r·h;
  ;;   gru_out:   hc = tanh(x_h + hh) into gates' third block, h_next = h + m_b·(hc + z·(h − hc) − h).
  ;; x and gates are (rows, 3·units), hu (rows, 2·units), h, rh, hh, h_next (rows, units), m (rows).
  (func (export "gru_gates") (param $x i32) (param $hu i32) (param $h i32) (param $gates i32) (param $rh i32)
    (param $rows i32) (param $units i32)
    (local $b i32) (local $j i32) (local $hb i32) (local $row3 i32) (local $row2 i32) (local $row1 i32)
    (local.set $hb (i32.shl (local.get $units) (i32.const 2)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $b) (local.get $rows)))
        (local.set $row1 (i32.mul (local.get $b) (local.get $hb)))
        (local.set $row2 (i32.shl (local.get $row1) (i32.const 1)))
        (local.set $row3 (i32.add (local.get $row2) (local.get $row1)))
        (call $sigmoid_run (i32.add (local.get $x) (local.get $row3)) (i32.add (local.get $hu) (local.get $row2))
          (i32.add (local.get $gates) (local.get $row3)) (local.get $units) (f32.const 1))
        (call $sigmoid_run (i32.add (i32.add (local.get $x) (local.get $row3)) (local.get $hb))
          (i32.add (i32.add (local.get $hu) (local.get $row2)) (local.get $hb))
          (i32.add (i32.add (local.get $gates) (local.get $row3)) (local.get $hb)) (local.get $units) (f32.const 1))
        (local.set $j (i32.const 0))
        (block $rh_done
          (loop $rh_loop ;; rh = r·h
            (br_if $rh_done (i32.ge_u (local.get $j) (local.get $hb)))
            (v128.store (i32.add (local.get $rh) (i32.add (local.get $row1) (local.get $j)))
              (f32x4.mul
                (v128.load (i32.add (i32.add (local.get $gates) (local.get $row3)) (i32.add (local.get $hb) (local.get $j))))
                (v128.load (i32.add (local.get $h) (i32.add (local.get $row1) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $rh_loop)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows))))

  (func (export "gru_out") (param $x i32) (param $hh i32) (param $h i32) (param $m i32) (param $gates i32)
    (param $h2 i32) (param $rows i32) (param $units i32)
    (local $b i32) (local $j i32) (local $hb i32) (local $row3 i32) (local $row1 i32) (local $ps i32)
    (local $keep v128) (local $z v128) (local $hc v128) (local $hp v128)
    (local.set $hb (i32.shl (local.get $units) (i32.const 2)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $b) (local.get $rows)))
        (local.set $keep (v128.load32_splat (i32.add (local.get $m) (i32.shl (local.get $b) (i32.const 2)))))
        (local.set $row1 (i32.mul (local.get $b) (local.get $hb)))
        (local.set $row3 (i32.mul (local.get $row1) (i32.const 3)))
        (call $sigmoid_run (i32.add (i32.add (local.get $x) (local.get $row3)) (i32.shl (local.get $hb) (i32.const 1)))
          (i32.add (local.get $hh) (local.get $row1))
          (i32.add (i32.add (local.get $gates) (local.get $row3)) (i32.shl (local.get $hb) (i32.const 1)))
          (local.get $units) (f32.const 2))
        (local.set $j (i32.const 0))
        (block $out_done
          (loop $out ;; h_next = h + m·(hc + z·(h − hc) − h)
            (br_if $out_done (i32.ge_u (local.get $j) (local.get $hb)))
            (local.set $ps (i32.add (local.get $row1) (local.get $j)))
            (local.set $z (v128.load (i32.add (i32.add (local.get $gates) (local.get $row3)) (local.get $j))))
            (local.set $hc (v128.load (i32.add (i32.add (local.get $gates) (local.get $row3))
              (i32.add (i32.shl (local.get $hb) (i32.const 1)) (local.get $j)))))
            (local.set $hp (v128.load (i32.add (local.get $h) (local.get $ps))))
            (v128.store (i32.add (local.get $h2) (local.get $ps))
              (f32x4.add (local.get $hp) (f32x4.mul (local.get $keep)
                (f32x4.sub (f32x4.add (local.get $hc) (f32x4.mul (local.get $z) (f32x4.sub (local.get $hp) (local.get $hc))))
                  (local.get $hp)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $out)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows))))

  ;; The backward of one GRU step, in two halves around the product d(rh) = dA_h·U_hᵀ (fused-gru.ts' formulas):
  ;;   gru_grad_a: dh = dy + dhCarry + dhMat, dh' = m_b·dh, dA_z = dh'·(h − hc)·z(1 − z),
  ;;               dA_h = dh'·(1 − z)·(1 − hc²), dhPrev = dh − dh' + dh'·z, rh = r·h (for U_h's gradient);
  ;;   gru_grad_b: dA_r = d(rh)·h·r(1 − r), dhPrev += d(rh)·r (in place).
  ;; dA and gates are (rows, 3·units); the rest (rows, units); m (rows). Outputs alias no input but dhPrev in b.
  (func (export "gru_grad_a") (param $dy i32) (param $dhCarry i32) (param $dhMat i32) (param $m i32)
    (param $gates i32) (param $h i32) (param $dA i32) (param $dhPrev i32) (param $rh i32)
    (param $rows i32) (param $units i32)
    (local $b i32) (local $j i32) (local $hb i32) (local $pg i32) (local $ps i32)
    (local $keep v128) (local $z v128) (local $hc v128) (local $hp v128) (local $dh v128) (local $dhn v128)
    (local $one v128)
    (local.set $one (v128.const f32x4 1 1 1 1))
    (local.set $hb (i32.shl (local.get $units) (i32.const 2)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $b) (local.get $rows)))
        (local.set $keep (v128.load32_splat (i32.add (local.get $m) (i32.shl (local.get $b) (i32.const 2)))))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $hb)))
            (local.set $ps (i32.add (i32.mul (local.get $b) (local.get $hb)) (local.get $j)))
            (local.set $pg (i32.add (i32.mul (i32.mul (local.get $b) (local.get $hb)) (i32.const 3)) (local.get $j)))
            (local.set $z (v128.load (i32.add (local.get $gates) (local.get $pg))))
            (local.set $hc (v128.load (i32.add (local.get $gates) (i32.add (local.get $pg) (i32.shl (local.get $hb) (i32.const 1))))))
            (local.set $hp (v128.load (i32.add (local.get $h) (local.get $ps))))
            (local.set $dh (f32x4.add
              (f32x4.add (v128.load (i32.add (local.get $dy) (local.get $ps))) (v128.load (i32.add (local.get $dhCarry) (local.get $ps))))
              (v128.load (i32.add (local.get $dhMat) (local.get $ps)))))
            (local.set $dhn (f32x4.mul (local.get $keep) (local.get $dh)))
            (v128.store (i32.add (local.get $dA) (local.get $pg))
              (f32x4.mul (f32x4.mul (local.get $dhn) (f32x4.sub (local.get $hp) (local.get $hc)))
                (f32x4.mul (local.get $z) (f32x4.sub (local.get $one) (local.get $z)))))
            (v128.store (i32.add (local.get $dA) (i32.add (local.get $pg) (i32.shl (local.get $hb) (i32.const 1))))
              (f32x4.mul (f32x4.mul (local.get $dhn) (f32x4.sub (local.get $one) (local.get $z)))
                (f32x4.sub (local.get $one) (f32x4.mul (local.get $hc) (local.get $hc)))))
            (v128.store (i32.add (local.get $dhPrev) (local.get $ps))
              (f32x4.add (f32x4.sub (local.get $dh) (local.get $dhn)) (f32x4.mul (local.get $dhn) (local.get $z))))
            (v128.store (i32.add (local.get $rh) (local.get $ps))
              (f32x4.mul (v128.load (i32.add (local.get $gates) (i32.add (local.get $pg) (local.get $hb)))) (local.get $hp)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $cols)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows))))

  (func (export "gru_grad_b") (param $drh i32) (param $gates i32) (param $h i32) (param $dA i32) (param $dhPrev i32)
    (param $rows i32) (param $units i32)
    (local $b i32) (local $j i32) (local $hb i32) (local $pr i32) (local $ps i32) (local $r v128) (local $d v128)
    (local.set $hb (i32.shl (local.get $units) (i32.const 2)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $b) (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $hb)))
            (local.set $ps (i32.add (i32.mul (local.get $b) (local.get $hb)) (local.get $j)))
            ;; the r block of row b: 3·b + 1 blocks in
            (local.set $pr (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (i32.const 3)) (i32.const 1)) (local.get $hb)) (local.get $j)))
            (local.set $r (v128.load (i32.add (local.get $gates) (local.get $pr))))
            (local.set $d (v128.load (i32.add (local.get $drh) (local.get $ps))))
            (v128.store (i32.add (local.get $dA) (local.get $pr))
              (f32x4.mul (f32x4.mul (local.get $d) (v128.load (i32.add (local.get $h) (local.get $ps))))
                (f32x4.mul (local.get $r) (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $r)))))
            (v128.store (i32.add (local.get $dhPrev) (local.get $ps))
              (f32x4.add (v128.load (i32.add (local.get $dhPrev) (local.get $ps))) (f32x4.mul (local.get $d) (local.get $r))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $cols)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows))))

  ;; One masked simple-RNN step, as core/layers/fused-rnn.ts writes it (units a multiple of 4):
  ;;   rnn_cell:      act = tanh(x + hu), h_next = h + m_b·(act − h);
  ;;   rnn_cell_grad: dh = dy + dhCarry + dhMat, dh' = m_b·dh, dA = dh'·(1 − act²), dhPrev = dh − dh'
  ;;                  (the caller adds dA·Uᵀ).
  ;; Every array is (rows, units) but m (rows). Outputs alias no input.
  (func (export "rnn_cell") (param $x i32) (param $hu i32) (param $h i32) (param $m i32) (param $act i32)
    (param $h2 i32) (param $rows i32) (param $units i32)
    (local $b i32) (local $j i32) (local $hb i32) (local $row i32) (local $ps i32) (local $keep v128) (local $hp v128)
    (local.set $hb (i32.shl (local.get $units) (i32.const 2)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $b) (local.get $rows)))
        (local.set $keep (v128.load32_splat (i32.add (local.get $m) (i32.shl (local.get $b) (i32.const 2)))))
        (local.set $row (i32.mul (local.get $b) (local.get $hb)))
        (call $sigmoid_run (i32.add (local.get $x) (local.get $row)) (i32.add (local.get $hu) (local.get $row))
          (i32.add (local.get $act) (local.get $row)) (local.get $units) (f32.const 2))
        (local.set $j (i32.const 0))
        (block $out_done
          (loop $out
            (br_if $out_done (i32.ge_u (local.get $j) (local.get $hb)))
            (local.set $ps (i32.add (local.get $row) (local.get $j)))
            (local.set $hp (v128.load (i32.add (local.get $h) (local.get $ps))))
            (v128.store (i32.add (local.get $h2) (local.get $ps))
              (f32x4.add (local.get $hp) (f32x4.mul (local.get $keep)
                (f32x4.sub (v128.load (i32.add (local.get $act) (local.get $ps))) (local.get $hp)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $out)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows))))

  (func (export "rnn_cell_grad") (param $dy i32) (param $dhCarry i32) (param $dhMat i32) (param $m i32)
    (param $act i32) (param $dA i32) (param $dhPrev i32) (param $rows i32) (param $units i32)
    (local $b i32) (local $j i32) (local $hb i32) (local $ps i32) (local $keep v128) (local $dh v128)
    (local $dhn v128) (local $a v128)
    (local.set $hb (i32.shl (local.get $units) (i32.const 2)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $b) (local.get $rows)))
        (local.set $keep (v128.load32_splat (i32.add (local.get $m) (i32.shl (local.get $b) (i32.const 2)))))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $hb)))
            (local.set $ps (i32.add (i32.mul (local.get $b) (local.get $hb)) (local.get $j)))
            (local.set $dh (f32x4.add
              (f32x4.add (v128.load (i32.add (local.get $dy) (local.get $ps))) (v128.load (i32.add (local.get $dhCarry) (local.get $ps))))
              (v128.load (i32.add (local.get $dhMat) (local.get $ps)))))
            (local.set $dhn (f32x4.mul (local.get $keep) (local.get $dh)))
            (local.set $a (v128.load (i32.add (local.get $act) (local.get $ps))))
            (v128.store (i32.add (local.get $dA) (local.get $ps))
              (f32x4.mul (local.get $dhn) (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $a) (local.get $a)))))
            (v128.store (i32.add (local.get $dhPrev) (local.get $ps)) (f32x4.sub (local.get $dh) (local.get $dhn)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $cols)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows))))

  ;; Softmax cross-entropy's row passes (core/kernels/cross-entropy.ts) over x (rows, k), rows k floats apart:
  ;;   row_max: out[r] = max_j x[r, j];
  ;;   row_exp: for j < k4 = k − k mod 4, e = scale[r]·e^(x[r, j] − shift[r]) (scale 0: a scale of 1), stored
  ;;            into out (rows, k) unless out is 0, and sums[r] = Σ_{j<k4} e unless sums is 0.
  ;; The caller finishes columns k4..k−1 (and works row starts not 16-byte aligned: loads are unaligned).
  ;; e^x as in $gelu_any, the argument clamped at −87.
  (func (export "row_max") (param $x i32) (param $out i32) (param $rows i32) (param $k i32)
    (local $r i32) (local $j i32) (local $k4 i32) (local $row i32) (local $mv v128) (local $m f32)
    (local.set $k4 (i32.and (local.get $k) (i32.const -4)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $row (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r) (local.get $k)) (i32.const 2))))
        (local.set $mv (v128.const f32x4 -inf -inf -inf -inf))
        (local.set $j (i32.const 0))
        (block $v_done
          (loop $v
            (br_if $v_done (i32.ge_u (local.get $j) (local.get $k4)))
            (local.set $mv (f32x4.max (local.get $mv) (v128.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2))))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $v)))
        (local.set $m (f32.max (f32.max (f32x4.extract_lane 0 (local.get $mv)) (f32x4.extract_lane 1 (local.get $mv)))
          (f32.max (f32x4.extract_lane 2 (local.get $mv)) (f32x4.extract_lane 3 (local.get $mv)))))
        (block $s_done
          (loop $s
            (br_if $s_done (i32.ge_u (local.get $j) (local.get $k)))
            (local.set $m (f32.max (local.get $m) (f32.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $s)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2))) (local.get $m))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  (func (export "row_exp") (param $x i32) (param $shift i32) (param $scale i32) (param $out i32) (param $sums i32)
    (param $rows i32) (param $k i32)
    (local $exp_bias v128)
    (local $r i32) (local $j i32) (local $k4 i32) (local $o i32) (local $sv v128) (local $cv v128) (local $sum v128)
    (local $v v128) (local $kk v128) (local $q v128) (local $rr v128) (local $pe v128)
    (local $one v128) (local $half v128) (local $lo v128) (local $log2e v128) (local $magic v128) (local $ln2hi v128)
    (local $ln2lo v128) (local $e6 v128) (local $e5 v128) (local $e4 v128) (local $e3 v128)
    (local.set $exp_bias (global.get $c_exp_bias))
    (local.set $one (global.get $c_one))
    (local.set $half (global.get $c_half))
    (local.set $lo (global.get $c_minus87))
    (local.set $log2e (global.get $c_log2e))
    (local.set $magic (global.get $c_magic))
    (local.set $ln2hi (global.get $c_minus_ln2hi))
    (local.set $ln2lo (global.get $c_ln2lo))
    (local.set $e6 (global.get $c_e6))
    (local.set $e5 (global.get $c_e5))
    (local.set $e4 (global.get $c_e4))
    (local.set $e3 (global.get $c_e3))
    (local.set $k4 (i32.and (local.get $k) (i32.const -4)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $sv (v128.load32_splat (i32.add (local.get $shift) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $cv (if (result v128) (local.get $scale)
          (then (v128.load32_splat (i32.add (local.get $scale) (i32.shl (local.get $r) (i32.const 2)))))
          (else (local.get $one))))
        (local.set $sum (v128.const f32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $v_done
          (loop $v
            (br_if $v_done (i32.ge_u (local.get $j) (local.get $k4)))
            (local.set $o (i32.shl (i32.add (i32.mul (local.get $r) (local.get $k)) (local.get $j)) (i32.const 2)))
            (local.set $v (f32x4.pmax (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $o))) (local.get $sv)) (local.get $lo)))
            (local.set $kk (f32x4.relaxed_madd (local.get $v) (local.get $log2e) (local.get $magic)))
            (local.set $q (f32x4.sub (local.get $kk) (local.get $magic)))
            (local.set $rr (f32x4.relaxed_madd (local.get $q) (local.get $ln2hi) (local.get $v)))
            (local.set $rr (f32x4.relaxed_madd (local.get $q) (local.get $ln2lo) (local.get $rr)))
            (local.set $pe (f32x4.relaxed_madd (local.get $e6) (local.get $rr) (local.get $e5)))
            (local.set $pe (f32x4.relaxed_madd (local.get $pe) (local.get $rr) (local.get $e4)))
            (local.set $pe (f32x4.relaxed_madd (local.get $pe) (local.get $rr) (local.get $e3)))
            (local.set $pe (f32x4.relaxed_madd (local.get $pe) (local.get $rr) (local.get $half)))
            (local.set $pe (f32x4.relaxed_madd (local.get $pe) (local.get $rr) (local.get $one)))
            (local.set $pe (f32x4.relaxed_madd (local.get $pe) (local.get $rr) (local.get $one)))
            (local.set $v (f32x4.mul (local.get $cv)
              (f32x4.mul (local.get $pe) (i32x4.shl (i32x4.add (local.get $kk) (local.get $exp_bias)) (i32.const 23)))))
            (if (local.get $out) (then (v128.store (i32.add (local.get $out) (local.get $o)) (local.get $v))))
            (local.set $sum (f32x4.add (local.get $sum) (local.get $v)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $v)))
        (if (local.get $sums)
          (then (f32.store (i32.add (local.get $sums) (i32.shl (local.get $r) (i32.const 2))) (call $hsum (local.get $sum)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))
)
