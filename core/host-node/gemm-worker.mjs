// A matmul helper thread in Node (core/kernels/gemm-pool.ts): plain JS that lets Node load core/ TypeScript
// through tsx, as bin/wordloom.js does, then serves products on its own wasm backend until terminated.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import('@tensorflow/tfjs-backend-wasm');
const { serveGemmWithTfjs } = await import('../kernels/gemm-serve.ts');
await serveGemmWithTfjs(workerData);
