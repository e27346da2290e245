import * as tf from '@tensorflow/tfjs';
import { isWasmBackend, wasmRecord } from './backend-access';
import { hasKernels, runFloatKernel, type OwnKernel } from './float-kernel';
import { kernelInput, type KernelArgs } from './kernel-args';
import { rowKernelSplit } from './own-gemm-threads';
import { ownWasmHeap, ownWasmKernels, type OwnWasmKernels } from './own-wasm';

/**
 * The element-wise part of one masked LSTM step, forward and backward, as one kernel call each (cpu and wasm):
 * the fused LSTM (core/layers/fused-lstm.ts) otherwise spends ~20 small tf.js kernels per step on gate math
 * (3,300 kernel calls per LSTM LM training step at T = 64), each paying dispatch for a few thousand elements.
 * With these, a step is one matmul plus one cell kernel each way.
 *
 * Shapes: B rows, H units; gates in Keras order (i, f, c, o), each a block of H columns.
 *
 * WordloomLstmCell — inputs x (B, 4H) = x_t·W + b, hu (B, 4H) = h·U, c, h (B, H), m (B, 1) of 0/1.
 *   Outputs: gates (B, 4H) = [σ(a_i), σ(a_f), tanh(a_c), σ(a_o)] for a = x + hu; tc = tanh(c'); c_next; h_next,
 *   where c' = f⊙c + i⊙g, h' = o⊙tc, and padding (m = 0) carries the state: c_next = c + m(c' − c), likewise h.
 *
 * WordloomLstmCellGrad — inputs dy (B, H), the gradient reaching h_next from the outputs; dhCarry (B, H) and
 *   dhMat (B, H), the two parts of it from the later step (their sum is that step's dh_prev: dhMat = dA·Uᵀ);
 *   dc (B, H) reaching c_next; m; gates; tc; c (the cell state before the step).
 *   Outputs: dA (B, 4H), the gradient of the pre-activations; dcPrev; dhCarry for the step before
 *   ((1 − m)·dh, what reaches h through the carried state; the caller adds dA·Uᵀ as that step's dhMat).
 */
export const LSTM_CELL_KERNEL = 'WordloomLstmCell';
export const LSTM_CELL_GRAD_KERNEL = 'WordloomLstmCellGrad';

type Floats = Float32Array;

const sigmoid = (a: number): number => 1 / (1 + Math.exp(-a));

function cellForward(
  x: Floats,
  hu: Floats,
  c: Floats,
  h: Floats,
  m: Floats,
  out: { gates: Floats; tc: Floats; c2: Floats; h2: Floats },
  rows: number,
  units: number,
): void {
  const { gates, tc, c2, h2 } = out;
  const width = 4 * units;
  for (let b = 0; b < rows; b++) {
    const keep = m[b];
    const row = b * width;
    for (let j = 0; j < units; j++) {
      const k = row + j;
      const i = sigmoid(x[k] + hu[k]);
      const f = sigmoid(x[k + units] + hu[k + units]);
      const g = Math.tanh(x[k + 2 * units] + hu[k + 2 * units]);
      const o = sigmoid(x[k + 3 * units] + hu[k + 3 * units]);
      gates[k] = i;
      gates[k + units] = f;
      gates[k + 2 * units] = g;
      gates[k + 3 * units] = o;
      const s = b * units + j;
      const cPrev = c[s];
      const cNew = f * cPrev + i * g;
      const t = Math.tanh(cNew);
      tc[s] = t;
      c2[s] = cPrev + keep * (cNew - cPrev);
      h2[s] = h[s] + keep * (o * t - h[s]);
    }
  }
}

function cellBackward(
  inp: { dy: Floats; dhCarry: Floats; dhMat: Floats; dc: Floats; m: Floats; gates: Floats; tc: Floats; c: Floats },
  out: { dA: Floats; dcPrev: Floats; dhPrev: Floats },
  rows: number,
  units: number,
): void {
  const { dy, dhCarry, dhMat, dc, m, gates, tc, c } = inp;
  const { dA, dcPrev, dhPrev } = out;
  const width = 4 * units;
  for (let b = 0; b < rows; b++) {
    const keep = m[b];
    const row = b * width;
    for (let j = 0; j < units; j++) {
      const s = b * units + j;
      const k = row + j;
      const [i, f, g, o] = [gates[k], gates[k + units], gates[k + 2 * units], gates[k + 3 * units]];
      const t = tc[s];
      const dhAll = dy[s] + dhCarry[s] + dhMat[s];
      const dhNew = keep * dhAll; // through h' (real tokens only)
      const dcIn = keep * dc[s];
      const dcNew = dcIn + dhNew * o * (1 - t * t);
      dA[k] = dcNew * g * i * (1 - i);
      dA[k + units] = dcNew * c[s] * f * (1 - f);
      dA[k + 2 * units] = dcNew * i * (1 - g * g);
      dA[k + 3 * units] = dhNew * t * o * (1 - o);
      dcPrev[s] = dc[s] - dcIn + dcNew * f; // carried (1 − m)·dc, plus through f⊙c
      dhPrev[s] = dhAll - dhNew; // carried (1 − m)·dh; the caller adds dA·Uᵀ
    }
  }
}

/** Rows and units of one LSTM step's inputs: `narrow` ones (B, H), `wide` ones (B, 4H) and `m` (B, 1), float32. */
function dims(args: KernelArgs, narrow: string[], wide: string[], kernel: string): { rows: number; units: number } {
  const [rows, units] = kernelInput(args, narrow[0]).shape;
  const fits = (name: string, cols: number) => {
    const t = kernelInput(args, name);
    return t.dtype === 'float32' && t.shape.length === 2 && t.shape[0] === rows && t.shape[1] === cols;
  };
  const ok = narrow.every((name) => fits(name, units)) && wide.every((name) => fits(name, 4 * units)) && fits('m', 1);
  if (!ok) throw new Error(`${kernel}: inputs do not have the (B, H), (B, 4H) and (B, 1) shapes of one LSTM step.`);
  return { rows, units };
}

/**
 * On wasm with our SIMD kernels (own-kernels.wat: σ and tanh four at a time, where the JS loop's Math.exp and
 * Math.tanh were a third of an LSTM LM step) and `units` a multiple of 4: makes the outputs and calls `run` with
 * the heap offsets of the inputs named, then of the outputs. Undefined elsewhere: the JS loop runs.
 */
function onOwnKernels(
  args: KernelArgs,
  names: string[],
  outShapes: number[][],
  units: number,
  run: (own: OwnWasmKernels, pointers: number[]) => void,
): tf.TensorInfo[] | undefined {
  const { backend } = args;
  if (!isWasmBackend(backend) || units % 4 !== 0) return undefined;
  const own = ownWasmKernels(backend);
  if (!own) return undefined;
  const outs = outShapes.map((shape) => backend.makeOutput(shape, 'float32'));
  const at = (t: tf.TensorInfo): number => wasmRecord(backend, t).memoryOffset;
  run(own, [...names.map((n) => at(kernelInput(args, n))), ...outs.map(at)]);
  return outs;
}

export function lstmCellKernel(args: KernelArgs): tf.TensorInfo[] {
  const { rows, units } = dims(args, ['c', 'h'], ['x', 'hu'], LSTM_CELL_KERNEL);
  const names = ['x', 'hu', 'c', 'h', 'm'];
  const state = [rows, units];
  const outShapes = [[rows, 4 * units], state, state, state];
  const heap = isWasmBackend(args.backend) ? ownWasmHeap(args.backend) : undefined;
  const simd = onOwnKernels(args, names, outShapes, units, (own, pointers) =>
    rowKernelSplit(own, heap, 'lstm_cell', pointers, rows, units),
  );
  if (simd) return simd;
  return runFloatKernel(
    args,
    LSTM_CELL_KERNEL,
    names.map((n) => kernelInput(args, n)),
    outShapes,
    ([x, hu, c, h, m], [gates, tc, c2, h2]) => cellForward(x, hu, c, h, m, { gates, tc, c2, h2 }, rows, units),
  );
}

export function lstmCellGradKernel(args: KernelArgs): tf.TensorInfo[] {
  const { rows, units } = dims(args, ['dy', 'dhCarry', 'dhMat', 'dc', 'tc', 'c'], ['gates'], LSTM_CELL_GRAD_KERNEL);
  const names = ['dy', 'dhCarry', 'dhMat', 'dc', 'm', 'gates', 'tc', 'c'];
  const state = [rows, units];
  const outShapes = [[rows, 4 * units], state, state];
  const heap = isWasmBackend(args.backend) ? ownWasmHeap(args.backend) : undefined;
  const simd = onOwnKernels(args, names, outShapes, units, (own, pointers) =>
    rowKernelSplit(own, heap, 'lstm_cell_grad', pointers, rows, units),
  );
  if (simd) return simd;
  return runFloatKernel(
    args,
    LSTM_CELL_GRAD_KERNEL,
    names.map((n) => kernelInput(args, n)),
    outShapes,
    ([dy, dhCarry, dhMat, dc, m, gates, tc, c], [dA, dcPrev, dhPrev]) =>
      cellBackward({ dy, dhCarry, dhMat, dc, m, gates, tc, c }, { dA, dcPrev, dhPrev }, rows, units),
  );
}

/** The two kernels, for registration (core/kernels/index.ts, and the exported runtime). */
export const LSTM_CELL_KERNELS: OwnKernel[] = [
  [LSTM_CELL_KERNEL, lstmCellKernel],
  [LSTM_CELL_GRAD_KERNEL, lstmCellGradKernel],
];

/** Whether the current backend has the LSTM cell kernels (cpu and wasm once Wordloom's kernels are registered). */
export const hasLstmCellKernels = (): boolean => hasKernels(LSTM_CELL_KERNELS);

/** One forward step: [gates, tc, cNext, hNext]. */
export function lstmCell(x: tf.Tensor, hu: tf.Tensor, c: tf.Tensor, h: tf.Tensor, m: tf.Tensor): tf.Tensor[] {
  return tf.engine().runKernel(LSTM_CELL_KERNEL, { x, hu, c, h, m }, {}) as tf.Tensor[];
}

/** One backward step: [dA, dcPrev, dhCarry]. */
export function lstmCellGrad(inputs: {
  dy: tf.Tensor;
  dhCarry: tf.Tensor;
  dhMat: tf.Tensor;
  dc: tf.Tensor;
  m: tf.Tensor;
  gates: tf.Tensor;
  tc: tf.Tensor;
  c: tf.Tensor;
}): tf.Tensor[] {
  return tf.engine().runKernel(LSTM_CELL_GRAD_KERNEL, inputs, {}) as tf.Tensor[];
}
