import * as tf from '@tensorflow/tfjs';

/**
 * A fresh instance of tf.js' wasm backend, to run a model at another thread count.
 *
 * tf.js fixes wasm's thread pool when the backend's module starts, so a count that suits one model (a Mini GPT
 * gains from a second thread; a bag of words loses to its hand-offs) cannot follow the next one in place. Here
 * the 'wasm' entry of the engine's registry is cleared and started again from its registered factory, which
 * reads the thread count set just before. The tensors of earlier runs stay on the old instance and stay
 * readable: variables (weights, optimizer state) are moved to the new instance at once, and any other tensor
 * when it is next used (tf.js' DataStorage asks the engine to move it, as on any backend switch). The old
 * instance is kept until nothing lives on it, then disposed (its heap and its threads).
 */
const retired: tf.KernelBackend[] = [];

/**
 * Sets the thread count with `setThreads` (the adapter that owns tfjs-backend-wasm) and makes a new wasm
 * instance current. Throws when it does not start; the old one is then put back.
 */
export async function restartWasm(setThreads: (threads: number) => void, threads: number): Promise<void> {
  const engine = tf.engine();
  const old = engine.registry.wasm;
  const previous = tf.getBackend();
  setThreads(threads);
  if (old) delete engine.registry.wasm;
  const started = await tf.setBackend('wasm').catch(() => false);
  if (!started) {
    if (old) engine.registry.wasm = old;
    if (previous) await tf.setBackend(previous);
    throw new Error(`wasm did not start again with ${threads} thread${threads === 1 ? '' : 's'}`);
  }
  if (old) {
    retired.push(old);
    moveVariables(old);
  }
  sweepRetiredWasm();
}

/**
 * Moves every variable that lives on `from` (models' weights, optimizers' moments: nearly all of what a worker
 * keeps) to the current backend now, so the old instance can be disposed without waiting for each run to be used.
 */
function moveVariables(from: tf.KernelBackend): void {
  const engine = tf.engine();
  const to = engine.backend;
  for (const v of Object.values(engine.registeredVariables)) {
    if (!v.isDisposed && engine.state.tensorInfo.get(v.dataId)?.backend === from) engine.moveData(to, v.dataId);
  }
}

/** Disposes the retired wasm instances that hold no tensor any more; returns how many are still kept. */
export function sweepRetiredWasm(): number {
  for (let i = retired.length - 1; i >= 0; i--) {
    if (retired[i].numDataIds() > 0) continue;
    retired[i].dispose();
    retired.splice(i, 1);
  }
  return retired.length;
}
