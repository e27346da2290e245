/**
 * A second training worker for comparing runs: it trains race runs, reopens kept runs from their weights so
 * they can answer side by side, and runs the exporters. The Train tab's worker (trainingClient) keeps the run
 * on screen; this one never touches it. It starts on first use, with the user's backend choice.
 */
import type { GenerateOptions } from '../../core/predict/generate';
import type { Prediction } from '../../core/predict/types';
import type { RunFiles } from '../../core/run/files';
import type { RunManifest } from '../../core/run/manifest';
import type { ExportFormat, WorkerRequest, WorkerResponse } from '../../core/worker/protocol';
import type { AppStoreApi } from '../store';
import { wasmThreadCount, type WorkerLike } from './trainingClient';

type StartRequest = Extract<WorkerRequest, { kind: 'start' }>;

export interface CompareClient {
  /** Trains one run; resolves when it ends (done or stopped), rejects with the run's error sentence. */
  train(request: Omit<StartRequest, 'kind'>, onStarted?: () => void): Promise<void>;
  stop(runId: string): void;
  save(runId: string): Promise<{ files: RunFiles; manifest: RunManifest }>;
  open(runId: string, files: RunFiles): Promise<RunManifest>;
  /** True when the worker holds run `runId`'s model. */
  holds(runId: string): boolean;
  predict(runId: string, text: string): Promise<Prediction>;
  /** Streams generated text to `onText`; resolves when the generation ends. */
  generate(runId: string, prompt: string, options: GenerateOptions, onText: (text: string) => void): Promise<void>;
  exportRun(runId: string, format: ExportFormat): Promise<Record<string, Uint8Array>>;
  dispose(): void;
}

interface Pending {
  resolve: (m: WorkerResponse) => void;
  reject: (e: Error) => void;
  onToken?: (text: string) => void;
}

interface Training {
  resolve: () => void;
  reject: (e: Error) => void;
  onStarted?: () => void;
}

const isKind = <K extends WorkerResponse['kind']>(
  m: WorkerResponse,
  kind: K,
): m is Extract<WorkerResponse, { kind: K }> => m.kind === kind;

export function createCompareClient(store: AppStoreApi, createWorker: () => WorkerLike): CompareClient {
  let worker: WorkerLike | null = null;
  let nextRequest = 1;
  const pending = new Map<number, Pending>();
  const training = new Map<string, Training>();
  const held = new Set<string>();
  let batch: WorkerResponse[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  const flush = (): void => {
    flushTimer = undefined;
    const messages = batch;
    batch = [];
    store.getState().raceReceive(messages);
  };

  /** Run messages: the store folds them; the run's promise settles on its end. */
  const onRunMessage = (m: WorkerResponse): void => {
    batch.push(m);
    flushTimer ??= setTimeout(flush, 0);
    if (!('runId' in m) || m.runId === undefined) {
      // No run and no request: the worker itself failed (no backend could start); the next call starts afresh.
      if (m.kind === 'error') closeWorker(new Error(m.message));
      return;
    }
    const t = training.get(m.runId);
    if (m.kind === 'event' && m.event.event === 'start') t?.onStarted?.();
    const end =
      m.kind === 'error'
        ? m.message
        : m.kind === 'event' && m.event.event === 'error'
          ? m.event.message
          : m.kind === 'event' && m.event.event === 'done'
            ? null
            : undefined;
    if (end === undefined || !t) return;
    training.delete(m.runId);
    if (end === null) {
      held.add(m.runId);
      t.resolve();
    } else t.reject(new Error(end));
  };

  /** Ends the worker: everything waiting on it fails with `reason`. */
  const closeWorker = (reason: Error): void => {
    for (const p of pending.values()) p.reject(reason);
    for (const t of training.values()) t.reject(reason);
    pending.clear();
    training.clear();
    held.clear();
    worker?.terminate();
    worker = null;
    ready = null;
  };

  const onMessage = (m: WorkerResponse): void => {
    const requestId = 'requestId' in m ? m.requestId : undefined;
    const waiting = requestId === undefined ? undefined : pending.get(requestId);
    if (requestId === undefined) return onRunMessage(m);
    if (!waiting) return;
    if (m.kind === 'token' && !m.done) return waiting.onToken?.(m.text);
    pending.delete(requestId);
    if (m.kind === 'error') waiting.reject(new Error(m.message));
    else waiting.resolve(m);
  };

  /**
   * Messages wait until the worker has its backend: the host handles messages concurrently, so a 'start' sent
   * during 'init' would start a second, automatic backend probe that can overtake the chosen one.
   */
  let ready: Promise<void> | null = null;
  let onReady: (() => void) | null = null;
  const post = (msg: WorkerRequest): void => {
    if (!worker || !ready) {
      const w = createWorker();
      w.onmessage = (e) => {
        if (e.data.kind === 'backend') onReady?.();
        onMessage(e.data);
      };
      // The user's choice: a forced backend, or the verified, timed pick per model (the checks are remembered in
      // IndexedDB, which both workers share, so a model the Train tab checked is not checked again).
      const choice = store.getState().backend.choice;
      ready = new Promise<void>((resolve) => (onReady = resolve));
      const threads = wasmThreadCount();
      w.postMessage(choice === 'auto' ? { kind: 'init', threads } : { kind: 'init', backend: choice, threads });
      worker = w;
    }
    void ready.then(() => worker?.postMessage(msg));
  };

  /** Sends a request and waits for its answer of kind `kind` (an error answer rejects with its sentence). */
  const ask = <K extends WorkerResponse['kind']>(
    kind: K,
    msg: (requestId: number) => WorkerRequest,
    onToken?: (text: string) => void,
  ): Promise<Extract<WorkerResponse, { kind: K }>> => {
    const requestId = nextRequest++;
    return new Promise<WorkerResponse>((resolve, reject) => {
      pending.set(requestId, { resolve, reject, onToken });
      post(msg(requestId));
    }).then((m) => {
      if (!isKind(m, kind)) throw new Error(`The compare worker answered ${m.kind} to ${kind}.`);
      return m;
    });
  };

  return {
    train(request, onStarted) {
      return new Promise<void>((resolve, reject) => {
        training.set(request.runId, { resolve, reject, onStarted });
        post({ kind: 'start', ...request });
      });
    },
    stop: (runId) => post({ kind: 'stop', runId }),
    async save(runId) {
      const m = await ask('saved', (requestId) => ({ kind: 'save', runId, requestId }));
      return { files: m.files, manifest: m.manifest };
    },
    async open(runId, files) {
      const m = await ask('opened', (requestId) => ({ kind: 'open', runId, requestId, files }));
      held.add(runId);
      return m.manifest;
    },
    holds: (runId) => held.has(runId),
    async predict(runId, text) {
      const m = await ask('prediction', (requestId) => ({ kind: 'predict', runId, requestId, text, topK: 3 }));
      return m.prediction;
    },
    async generate(runId, prompt, options, onText) {
      await ask('token', (requestId) => ({ kind: 'generate', runId, requestId, prompt, options }), onText);
    },
    async exportRun(runId, format) {
      const m = await ask('exported', (requestId) => ({ kind: 'export', runId, requestId, format }));
      return m.files;
    },
    dispose() {
      clearTimeout(flushTimer);
      closeWorker(new Error('The compare worker was closed.'));
    },
  };
}
