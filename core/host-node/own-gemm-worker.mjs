// A helper thread of our GEMM in Node (core/kernels/own-gemm-threads.ts): plain JS that lets Node load core/
// TypeScript through tsx, as bin/wordloom.js does, then computes its share of each big product on the shared
// heap it is given, as the app's renderer/workers/own-gemm.worker.ts does, until terminated.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { serveOwnGemm } = await import('../kernels/own-gemm-threads.ts');
serveOwnGemm(workerData);
