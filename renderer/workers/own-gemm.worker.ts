/**
 * A helper thread for our GEMM (core/kernels/own-gemm-threads.ts): the training worker starts one per extra wasm
 * thread and posts it tf.js' shared heap and our compiled kernels; it then computes its share of each big product
 * in place, until the training worker terminates it.
 */
import { serveOwnGemm, type OwnGemmHelperInit } from '../../core/kernels/own-gemm-threads';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (e: MessageEvent<OwnGemmHelperInit>) => serveOwnGemm(e.data);
