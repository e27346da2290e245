/**
 * The training worker's lifecycle and its messages → store actions (docs/architecture.md#renderer). The store never sees the
 * Worker; components call this client, and everything the worker says arrives in the store through actions.
 * Run messages are folded in batches (one store update per task), so a burst of events is one render.
 */
import type { RunFiles } from '../../core/run/files';
import type { RunManifest } from '../../core/run/manifest';
import { wasmThreadsFor } from '../../core/kernels/own-gemm-threads';
import { withTrainDefaults } from '../../core/train/protocol';
import type { BackendName, WorkerRequest, WorkerResponse } from '../../core/worker/protocol';
import { inspectedRun } from '../lib/inspectedRun';
import { newRunId, runName } from '../lib/runRecord';
import type { AppStoreApi } from '../store';
import type { BackendChoice } from '../store/runSlice';
import { tokenizerName } from '../lib/trainSetup';
import { dataChoiceOf } from '../store/trainingSlice';

/** What the client needs of a Worker (a fake one in tests). */
export interface WorkerLike {
  postMessage(msg: WorkerRequest): void;
  onmessage: ((e: MessageEvent<WorkerResponse>) => void) | null;
  terminate(): void;
}

export interface TrainingClient {
  chooseBackend(choice: BackendChoice): void;
  /** Starts a run of the graph on screen with the training setup in the store. */
  start(): void;
  pause(): void;
  resume(): void;
  stop(): void;
  previewTokens(sample: string): void;
  predict(text: string): void;
  attention(text: string): void;
  generate(): void;
  /** Ask tab: the prompt framed as training framed it, the answer streamed until <|endoftext|>. */
  ask(): void;
  /** Ask tab: greedy answers to `count` held-out validation prompts, beside their references. */
  heldOut(count: number): Promise<void>;
  save(runId: string): Promise<{ files: RunFiles; manifest: RunManifest }>;
  open(runId: string, files: RunFiles): Promise<RunManifest>;
  /** Called once a run ends (done or stopped) with its id; the archive keeps its weights. */
  onRunEnded(listener: (runId: string) => void): () => void;
  /** Test builds: makes a backend return wrong results, so the verified pick's refusal can be seen. */
  corruptBackend(backend: BackendName): void;
  dispose(): void;
}

/** Key of a tokenizer preview (dataset, tokenizer, sample on three lines): answers for another are stale. */
export const previewKey = (dataset: string, tokenizer: string, sample: string): string =>
  `${dataset}\n${tokenizer}\n${sample}`;

const dataKeyOf = (key: string): string => key.split('\n').slice(0, 2).join('\n');

/** Threads for wasm on this machine's cores (the rule: wasmThreadsFor in own-gemm-threads.ts). */
export const wasmThreadCount = (cores = globalThis.navigator?.hardwareConcurrency ?? 1): number =>
  wasmThreadsFor(cores);

type Pending = { resolve: (m: WorkerResponse) => void; reject: (e: Error) => void };

export function createTrainingClient(store: AppStoreApi, createWorker: () => WorkerLike): TrainingClient {
  const worker = createWorker();
  let nextRequest = 1;
  const latest = { predict: 0, attention: 0, generate: 0, tokenize: 0, ask: 0 };
  const previewKeys = new Map<number, string>();
  const pending = new Map<number, Pending>();
  const endListeners = new Set<(runId: string) => void>();
  let batch: WorkerResponse[] = [];
  /**
   * V as training measured it, by dataset + tokenizer: the preview tokenizes a prefix of the text (fast), which
   * can miss rare symbols, so once a run has prepared the full set its V is the one shown and used for shapes.
   */
  const preparedVocab = new Map<string, number>();
  let runDataKey = '';
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  const post = (msg: WorkerRequest): void => worker.postMessage(msg);
  // The worker handles messages concurrently: a model opened while a backend is still starting would load onto
  // the wrong one, so 'open' waits until the worker has said which backend it runs on.
  let markReady = (): void => {};
  let backendReady = Promise.resolve();
  const init = (choice: BackendChoice): void => {
    backendReady = new Promise((resolve) => (markReady = resolve));
    const threads = wasmThreadCount();
    post(choice === 'auto' ? { kind: 'init', threads } : { kind: 'init', backend: choice, threads });
  };
  const runId = (): string | undefined => store.getState().run?.id;
  /** The run the inspection tabs look at, when its model is loaded (the picker's choice, else the current run). */
  const inspected = () => {
    const r = inspectedRun(store.getState());
    return r?.hasModel ? r : null;
  };

  const flush = (): void => {
    flushTimer = undefined;
    const messages = batch;
    batch = [];
    for (const m of messages) {
      if (m.kind !== 'prepared' || m.runId !== runId()) continue;
      preparedVocab.set(runDataKey, m.vocabSize);
      const preview = store.getState().tokenPreview;
      if (preview && dataKeyOf(preview.key) === runDataKey)
        store.getState().setTokenPreview({ ...preview, vocabSize: m.vocabSize });
    }
    const before = store.getState().run;
    store.getState().receive(messages);
    const after = store.getState().run;
    if (!after || after.id !== before?.id) return;
    const ended = (after.status === 'done' || after.status === 'stopped') && before.status !== after.status;
    if (ended) endListeners.forEach((l) => l(after.id));
    // At each evaluation (a probe) and at the end, the user's own text is asked again, so it improves on screen.
    if (ended || messages.some((m) => m.kind === 'probe')) refreshInsights();
  };

  const control = (kind: 'pause' | 'resume' | 'stop'): void => {
    const id = runId();
    if (id) post({ kind, runId: id });
  };

  const refreshInsights = (): void => {
    const s = store.getState();
    if (s.predictText.trim()) client.predict(s.predictText);
    if (s.dockTab === 'attention' && s.predictText.trim()) client.attention(s.predictText);
  };

  const request = (
    kind: 'save' | 'open' | 'held-out',
    msg: (requestId: number) => WorkerRequest,
  ): Promise<WorkerResponse> => {
    const requestId = nextRequest++;
    return new Promise<WorkerResponse>((resolve, reject) => {
      pending.set(requestId, { resolve, reject });
      post(msg(requestId));
    }).then((m) => {
      if (m.kind === 'error') throw new Error(m.message);
      if (m.kind !== (kind === 'save' ? 'saved' : kind === 'open' ? 'opened' : 'held-out'))
        throw new Error(`The worker answered ${m.kind} to ${kind}.`);
      return m;
    });
  };

  const answer = (m: WorkerResponse): void => {
    const s = store.getState();
    switch (m.kind) {
      case 'tokenized': {
        const key = previewKeys.get(m.requestId);
        previewKeys.delete(m.requestId);
        if (!key || m.requestId !== latest.tokenize) return;
        const vocabSize = preparedVocab.get(dataKeyOf(key)) ?? m.vocabSize;
        s.setTokenPreview({ key, vocabSize, pieces: m.pieces, ids: m.ids });
        // The canvas's shapes and costs use the real V as soon as the dataset and tokenizer are chosen.
        s.setBinding({ vocabSize, numClasses: s.binding.numClasses });
        return;
      }
      case 'prediction':
        if (m.requestId === latest.predict) s.setPrediction(m.prediction);
        return;
      case 'attention':
        if (m.requestId === latest.attention) s.setAttention(m.maps);
        return;
      case 'token':
        if (m.requestId === latest.generate) s.appendGenerated(m.text, m.done);
        if (m.requestId === latest.ask) s.appendAnswer(m.text, m.done);
        return;
      case 'error':
        if (m.requestId === latest.generate) s.appendGenerated('', true);
        if (m.requestId === latest.ask) s.appendAnswer('', true);
        if (m.requestId === latest.tokenize) previewKeys.delete(m.requestId);
        s.notify('error', m.message);
        return;
    }
  };

  worker.onmessage = (e) => {
    const m = e.data;
    const requestId = 'requestId' in m ? m.requestId : undefined;
    const waiting = requestId === undefined ? undefined : pending.get(requestId);
    if (requestId !== undefined && waiting) {
      pending.delete(requestId);
      return waiting.resolve(m);
    }
    if (requestId !== undefined) return answer(m);
    if (m.kind === 'backend' || (m.kind === 'error' && !('runId' in m && m.runId))) markReady();
    if (m.kind === 'backend-check') return store.getState().receive([m]);
    batch.push(m);
    flushTimer ??= setTimeout(flush, 0);
  };

  const client: TrainingClient = {
    chooseBackend(choice) {
      store.getState().chooseBackend(choice);
      init(choice);
    },
    start() {
      const parent = store.getState().fineTune;
      // The run trains with the parent's tokenizer: the setup says so too, so the V shown is the V used.
      if (parent) store.getState().updateTraining({ tokenizer: parent.tokenizer });
      const s = store.getState();
      const previous = s.run;
      // A fine-tune's parent stays loaded: its weights are what the new run starts from.
      if (
        previous?.hasModel &&
        previous.status !== 'training' &&
        previous.status !== 'paused' &&
        previous.id !== parent?.runId
      ) {
        post({ kind: 'dispose', runId: previous.id });
        s.markRunLoaded(previous.id, false);
      }
      // The inspection tabs follow the new run (the picker can go back to an older one).
      s.pickRun(null);
      const t = s.training;
      const config = withTrainDefaults({
        batchSize: s.batchSize,
        ...(t.steps !== undefined && { steps: t.steps }),
        ...(t.learningRate !== undefined && { learningRate: t.learningRate }),
        ...(t.warmupSteps !== undefined && { warmupSteps: t.warmupSteps }),
        ...(t.seed !== undefined && { seed: t.seed }),
        ...(t.evalEvery !== undefined && { evalEvery: t.evalEvery }),
        ...(t.evalBatches !== undefined && { evalBatches: t.evalBatches }),
      });
      const data = dataChoiceOf(t, s.userData, s.analysis.task);
      const now = new Date();
      const id = newRunId(now);
      const name = runName(s.graph.name, data.name, now);
      const tokenizer = parent?.tokenizer ?? tokenizerName(t, data.name);
      runDataKey = `${data.name}\n${tokenizer}`;
      s.beginRun({
        id,
        name: parent ? `${name} (fine-tuned)` : name,
        totalSteps: config.steps,
        tokenizer,
        ...(parent && { parent: { runId: parent.runId, name: parent.name, step: parent.step } }),
      });
      s.setPrediction(null);
      s.setAttention([]);
      s.setHeldOut(null);
      const from = parent && { parent: { runId: parent.runId, freeze: [...s.frozen] } };
      post({
        kind: 'start',
        runId: id,
        name: parent ? `${name} (fine-tuned)` : name,
        graph: s.graph,
        data,
        tokenizer,
        config,
        ...from,
      });
      if (parent) s.cancelFineTune();
    },
    pause: () => control('pause'),
    resume: () => control('resume'),
    stop: () => control('stop'),
    previewTokens(sample) {
      const s = store.getState();
      const data = dataChoiceOf(s.training, s.userData, s.analysis.task);
      const tokenizer = tokenizerName(s.training, data.name);
      const requestId = (latest.tokenize = nextRequest++);
      previewKeys.set(requestId, previewKey(data.name, tokenizer, sample));
      post({ kind: 'tokenize', requestId, data, tokenizer, sample });
    },
    predict(text) {
      const id = inspected()?.id;
      if (!id) return;
      post({ kind: 'predict', runId: id, requestId: (latest.predict = nextRequest++), text, topK: 5 });
    },
    attention(text) {
      const id = inspected()?.id;
      if (!id) return;
      post({ kind: 'attention', runId: id, requestId: (latest.attention = nextRequest++), text });
    },
    generate() {
      const s = store.getState();
      const run = inspected();
      if (!run) return;
      s.beginGeneration();
      const requestId = (latest.generate = nextRequest++);
      post({ kind: 'generate', runId: run.id, requestId, prompt: s.prompt, options: s.generateOptions });
    },
    ask() {
      const s = store.getState();
      const run = inspected();
      if (!run || !s.askPrompt.trim()) return;
      s.beginAsk();
      const requestId = (latest.ask = nextRequest++);
      const { tokens, temperature, topK } = s.generateOptions;
      post({
        kind: 'generate',
        runId: run.id,
        requestId,
        prompt: s.askPrompt,
        options: { tokens, temperature, topK },
      });
    },
    async heldOut(count) {
      const s = store.getState();
      const run = inspected();
      if (!run) return;
      const data = dataChoiceOf(s.training, s.userData, s.analysis.task);
      const m = await request('held-out', (requestId) => ({
        kind: 'held-out',
        runId: run.id,
        requestId,
        count,
        ...(data.kind === 'text' && { data }),
      }));
      if (m.kind !== 'held-out') throw new Error('unreachable');
      if (inspectedRun(store.getState())?.id === run.id) store.getState().setHeldOut(m.pairs);
    },
    async save(id) {
      const m = await request('save', (requestId) => ({ kind: 'save', runId: id, requestId }));
      if (m.kind !== 'saved') throw new Error('unreachable');
      return { files: m.files, manifest: m.manifest };
    },
    async open(id, files) {
      await backendReady;
      const m = await request('open', (requestId) => ({ kind: 'open', runId: id, requestId, files }));
      if (m.kind !== 'opened') throw new Error('unreachable');
      store.getState().markModelLoaded(id);
      store.getState().markRunLoaded(id, true);
      return m.manifest;
    },
    corruptBackend(backend) {
      post({ kind: 'test-corrupt', backend });
    },
    onRunEnded(listener) {
      endListeners.add(listener);
      return () => endListeners.delete(listener);
    },
    dispose() {
      clearTimeout(flushTimer);
      for (const p of pending.values()) p.reject(new Error('The training worker was closed.'));
      pending.clear();
      worker.terminate();
    },
  };
  init(store.getState().backend.choice);
  return client;
}
