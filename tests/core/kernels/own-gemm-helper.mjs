// A helper thread for tests/core/kernels/own-gemm-threads.test.ts: loads core/ TypeScript through tsx (as
// core/host-node/gemm-worker.mjs does), then serves our GEMM on the shared memory it is given, as the app's
// renderer/workers/own-gemm.worker.ts does. `silent` makes a helper that says it is ready and never takes a job;
// `stuck`, one that takes the first job and never answers.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { helperReadyIndex, serveOwnGemm } = await import('../../../core/kernels/own-gemm-threads.ts');
if (workerData.silent) {
  Atomics.store(new Int32Array(workerData.init.control), helperReadyIndex(workerData.init.slot), 1); // ready, then nothing
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
} else {
  serveOwnGemm(workerData.init, workerData.stuck === true);
}
