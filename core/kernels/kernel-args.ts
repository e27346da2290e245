import type * as tf from '@tensorflow/tfjs';

/** The argument every tf.js kernel function receives. */
export type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Input `name` of a kernel call; tf.js always passes declared inputs, so a missing one is a bug. */
export function kernelInput(args: KernelArgs, name: string): tf.TensorInfo {
  const info = args.inputs[name];
  if (info === undefined) throw new Error(`Kernel input "${name}" is missing.`);
  return info;
}

/** Boolean attribute `name`, false when absent. */
export function boolAttr(args: KernelArgs, name: string): boolean {
  return args.attrs?.[name] === true;
}

/** Integer attribute `name`; tf.js ops validate attributes before the kernel runs, so a bad one is a bug. */
export function intAttr(args: KernelArgs, name: string): number {
  const value = args.attrs?.[name];
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new Error(`Kernel attribute "${name}" must be an integer, got ${String(value)}.`);
  return value;
}

/** Number of elements in a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

/** Checks that a kernel input is float32 of exactly `shape`; else one sentence naming the kernel and the input. */
export function expectFloat32(t: tf.TensorInfo, shape: number[], what: string, kernel: string): void {
  if (t.dtype !== 'float32' || t.shape.join() !== shape.join())
    throw new Error(`${kernel}: ${what} must be float32 [${shape}], got ${t.dtype} [${t.shape}].`);
}
