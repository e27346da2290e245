import * as tf from '@tensorflow/tfjs';
import { inspectionModel } from '../compile/artifacts';
import { bundledDataset, bundledSource } from '../data/bundled/manifest';
import { prepareDataset, type PreparedDataset } from '../data/prepare';
import type { Tokenizer } from '../data/tokenizers/types';
import { generate } from '../predict/generate';
import { attentionMaps, predict, type Predictor } from '../predict/predict';
import { corruptBackend } from '../kernels/corrupt';
import { loadRun, predictorOf } from '../run/load';
import type { Graph } from '../graph/model';
import type { RunManifest } from '../run/manifest';
import { CHRF_MAX_TOKENS, runFiles, trainRun, type TrainedRun } from '../run/session';
import { greedyAnswers, heldOutPairs } from '../eval/answers';
import { TrainControl } from '../train/control';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig, type TrainEvent } from '../train/protocol';
import {
  checkBackends,
  makeReport,
  pickFastest,
  pickKey,
  probeBackend,
  startBackend,
  type BackendEnvironment,
  type WasmThreadChoice,
} from './backends';
import { exportFormat } from './export';
import {
  BACKEND_ORDER,
  type BackendName,
  type BackendReport,
  type BackendVerdict,
  type DataChoice,
  type WorkerRequest,
  type WorkerResponse,
} from './protocol';

/** Where the worker remembers backend checks (IndexedDB in the app; memory in Node). */
export interface PickCache {
  get(key: string): Promise<BackendReport | undefined>;
  set(key: string, report: BackendReport): Promise<void>;
}

export const memoryPickCache = (): PickCache => {
  const m = new Map<string, BackendReport>();
  return { get: async (k) => m.get(k), set: async (k, v) => void m.set(k, v) };
};

export interface HostDeps {
  post: (msg: WorkerResponse) => void;
  /** The text of a bundled dataset file (the worker fetches its asset; Node reads the file). */
  loadBundled: (file: string) => Promise<string>;
  /** How often buffered step events are posted (ms); charts redraw from the store, not once per step. */
  throttleMs?: number;
  /** Remembered backend checks, per machine and model shape. */
  cache?: PickCache;
  /** Facts only the page knows (wasm threads). */
  environment?: BackendEnvironment;
  /** Sets the wasm thread count before wasm starts (the worker adapter owns tfjs-backend-wasm and the threads). */
  setWasmThreads?: (threads: number) => void;
  /** Runs wasm on `threads` threads from now on; resolves once they are ready. Where absent, the count is fixed. */
  useWasmThreads?: (threads: number) => Promise<void>;
  /** Honour test-only requests (test-corrupt); only test builds set it. */
  testHooks?: boolean;
  now?: () => number;
}

interface HostRun {
  manifest: RunManifest;
  model: tf.LayersModel;
  predictor: Predictor;
  inspection?: tf.LayersModel;
  control?: TrainControl;
  trained?: TrainedRun;
}

/**
 * Everything the training worker does, as plain code over messages: the worker file only wires
 * `onmessage` to `handle` and `postMessage` to `post`, so this runs in Node tests on the cpu backend.
 */
export class WorkerHost {
  private readonly runs = new Map<string, HostRun>();
  private readonly datasets = new Map<string, PreparedDataset>();
  private backend = '';
  /** What the user chose: a backend, or the verified, timed pick ('auto'). */
  private choice: BackendName | 'auto' = 'auto';
  /** Every backend as probed at init, then with the verdicts of the last model checked. */
  private verdicts: BackendVerdict[] = [];
  private report: BackendReport | undefined;
  /** Verdicts of forced backends by model key (a forced check is not a full pick, so it is not cached). */
  private readonly forcedVerdicts = new Map<string, BackendVerdict>();
  private readonly cache: PickCache;
  private tried: { name: BackendName; error?: string }[] = [];
  private threadsSet = false;
  /** The wasm thread count the page asked for (its rule from the core count); picks may time fewer. */
  private offeredThreads: number | undefined;
  /** Every backend as first probed: the machine part of a pick's key, whatever count wasm runs at later. */
  private machine: BackendVerdict[] = [];
  /** Backend picks run one after another: a choice made while the automatic pick runs must win, not race it. */
  private backendQueue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: HostDeps) {
    this.cache = deps.cache ?? memoryPickCache();
  }

  async handle(msg: WorkerRequest): Promise<void> {
    try {
      await this.dispatch(msg);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.deps.post({
        kind: 'error',
        message,
        ...('runId' in msg ? { runId: msg.runId } : {}),
        ...('requestId' in msg ? { requestId: msg.requestId } : {}),
      });
    }
  }

  private async dispatch(msg: WorkerRequest): Promise<void> {
    switch (msg.kind) {
      case 'init':
        if (msg.threads !== undefined && !this.threadsSet) {
          this.deps.setWasmThreads?.(msg.threads);
          this.threadsSet = true;
          this.offeredThreads = msg.threads;
        }
        return this.pickBackend(msg.backend);
      case 'test-corrupt': {
        if (!this.deps.testHooks) throw new Error('test-corrupt is only served by test builds.');
        await this.backendQueue.catch(() => undefined);
        if (!this.verdicts.length) await this.pickBackend();
        const previous = this.backend;
        await startBackend(msg.backend);
        if (!corruptBackend(msg.backend)) throw new Error(`${msg.backend} has no matmul kernel to corrupt.`);
        if (previous) await startBackend(previous as BackendName);
        return;
      }
      case 'check-backends': {
        await this.backendQueue.catch(() => undefined);
        if (!this.verdicts.length) await this.pickBackend();
        const data = await this.prepare(msg.data, msg.tokenizer, msg.config.seed);
        const reference = this.reference();
        const wanted = msg.backends;
        const candidates = wanted
          ? this.verdicts.filter((v) => v.name === reference || wanted.includes(v.name))
          : this.autoCandidates(reference);
        const threadsBefore = this.wasmThreadsNow();
        const verdicts = await checkBackends({
          graph: msg.graph,
          data,
          config: msg.config,
          candidates,
          reference,
          time: true,
          now: this.now,
          timedSteps: msg.timedSteps,
          // Named backends are measured as asked; wasm at both thread counts where auto picks or it is asked.
          ...((!wanted || msg.wasmThreadTimes) && { wasmThreads: this.wasmThreadChoice() }),
          onProgress: (message) => this.deps.post({ kind: 'backend-check', message }),
        });
        this.deps.post({ kind: 'backend-check', message: '' });
        if (threadsBefore !== undefined) await this.useWasmThreads(threadsBefore);
        if (this.backend) await startBackend(this.backend as BackendName);
        const picked = pickFastest(verdicts, reference);
        return this.deps.post({ kind: 'backends-checked', requestId: msg.requestId, verdicts, picked });
      }
      case 'start':
        return this.start(msg);
      case 'pause':
        return this.run(msg.runId).control?.pause();
      case 'resume':
        return this.run(msg.runId).control?.resume();
      case 'stop':
        return this.run(msg.runId).control?.stop();
      case 'predict': {
        const prediction = await predict(this.run(msg.runId).predictor, msg.text, msg.topK);
        return this.deps.post({ kind: 'prediction', runId: msg.runId, requestId: msg.requestId, prediction });
      }
      case 'attention': {
        const r = this.run(msg.runId);
        const maps = r.inspection ? await attentionMaps(r.predictor, r.inspection, r.manifest.attention, msg.text) : [];
        return this.deps.post({ kind: 'attention', runId: msg.runId, requestId: msg.requestId, maps });
      }
      case 'generate': {
        for await (const text of generate(this.run(msg.runId).predictor, msg.prompt, msg.options)) {
          this.deps.post({ kind: 'token', runId: msg.runId, requestId: msg.requestId, text, done: false });
        }
        return this.deps.post({ kind: 'token', runId: msg.runId, requestId: msg.requestId, text: '', done: true });
      }
      case 'held-out':
        return this.heldOut(msg);
      case 'save': {
        const r = this.run(msg.runId);
        const files = await runFiles(
          { manifest: r.manifest, model: r.model, attention: r.manifest.attention },
          r.predictor,
        );
        return this.deps.post({
          kind: 'saved',
          runId: msg.runId,
          requestId: msg.requestId,
          files,
          manifest: r.manifest,
        });
      }
      case 'open': {
        const loaded = await loadRun(msg.files, msg.runId);
        this.dispose(msg.runId);
        this.runs.set(msg.runId, {
          manifest: loaded.manifest,
          model: loaded.model,
          predictor: loaded.predictor,
          inspection: loaded.inspection,
        });
        return this.deps.post({
          kind: 'opened',
          runId: msg.runId,
          requestId: msg.requestId,
          manifest: loaded.manifest,
        });
      }
      case 'dispose':
        return this.dispose(msg.runId);
      case 'export': {
        const r = this.run(msg.runId);
        if (r.control) throw new Error(`Run "${r.manifest.name}" is still training; export it once it ends.`);
        const run = { ...r, tokenizer: r.predictor.tokenizer };
        const own = () =>
          runFiles({ manifest: r.manifest, model: r.model, attention: r.manifest.attention }, r.predictor);
        const files = await exportFormat(msg.format, run, own);
        const { runId, requestId, format } = msg;
        return this.deps.post({ kind: 'exported', runId, requestId, format, files });
      }
      case 'tokenize': {
        // The tokenizer the run would train with (learned on the training split), so the V shown is the V used.
        const tok = (await this.prepare(msg.data, msg.tokenizer, DEFAULT_TRAIN_CONFIG.seed)).tokenizer;
        const ids = tok.encode(msg.sample);
        return this.deps.post({
          kind: 'tokenized',
          requestId: msg.requestId,
          vocabSize: tok.vocabSize,
          ids,
          pieces: tok.pieces(ids),
        });
      }
    }
  }

  private pickBackend(preferred?: BackendName): Promise<void> {
    const next = this.backendQueue.catch(() => undefined).then(() => this.init(preferred));
    this.backendQueue = next;
    return next;
  }

  private readonly now = (): number => (this.deps.now ?? (() => performance.now()))();

  /**
   * Probes every backend once (does it start, take a gradient, on what renderer, with how many threads), then
   * sets the one in use: the user's choice where it starts; for 'auto' the reference (wasm, else cpu) until a
   * model has been checked, since a backend that starts is not yet a backend that is right.
   */
  private async init(preferred?: BackendName): Promise<void> {
    this.choice = preferred ?? 'auto';
    if (!this.verdicts.length) {
      for (const name of BACKEND_ORDER) this.verdicts.push(await probeBackend(name, this.deps.environment ?? {}));
      this.machine = [...this.verdicts];
    }
    const started = this.verdicts.filter((v) => v.started).map((v) => v.name);
    if (!started.length)
      throw new Error(
        `No tf.js backend could start (${this.verdicts.map((v) => `${v.name}: ${v.error}`).join('; ')}).`,
      );
    const first = preferred && started.includes(preferred) ? preferred : undefined;
    const name = first ?? (this.report && started.includes(this.report.picked) ? this.report.picked : this.reference());
    await startBackend(name);
    this.backend = name;
    const order = preferred ? [preferred, ...BACKEND_ORDER.filter((b) => b !== preferred)] : BACKEND_ORDER;
    this.tried = [];
    for (const b of order) {
      const v = this.verdicts.find((x) => x.name === b)!;
      this.tried.push(v.started ? { name: b } : { name: b, error: v.error });
      if (b === name) break;
    }
    this.postBackend();
  }

  /** The backend whose results are the truth: wasm where it starts, else cpu. */
  private reference(): BackendName {
    return this.verdicts.some((v) => v.name === 'wasm' && v.started) ? 'wasm' : 'cpu';
  }

  private postBackend(warning?: string): void {
    // The label names the count wasm runs at now; a model's check may have timed others.
    const threads = this.wasmThreadsNow();
    if (this.backend === 'wasm' && threads !== undefined)
      this.verdicts = this.verdicts.map((v) => (v.name === 'wasm' ? { ...v, threads } : v));
    this.deps.post({
      kind: 'backend',
      name: this.backend,
      tried: this.tried,
      verdicts: this.verdicts,
      ...(this.deps.environment?.isolated !== undefined && { isolated: this.deps.environment.isolated }),
      ...(this.report && { report: this.report }),
      ...(warning && { warning }),
    });
  }

  /**
   * Before a run: the backend for this model. 'auto' checks every started backend on the model (or recalls the
   * check from the cache) and takes the fastest verified one; a forced backend is checked alone and used even if
   * it fails, with a warning said before training.
   */
  private async backendForRun(graph: Graph, data: PreparedDataset, config: TrainConfig): Promise<void> {
    const key = pickKey(graph, data, config.batchSize, this.machine);
    const reference = this.reference();
    const progress = (message: string): void => this.deps.post({ kind: 'backend-check', message });
    let warning: string | undefined;
    if (this.choice === 'auto') {
      let report = validReport(await this.cache.get(key).catch(() => undefined), key);
      if (!report) {
        const candidates = this.autoCandidates(reference);
        const threads = this.wasmThreadChoice();
        await threads?.use(threads.current() ?? threads.counts[0]); // its helper threads ready before timing
        const verdicts = await checkBackends({
          graph,
          data,
          config,
          candidates,
          reference,
          time: true,
          now: this.now,
          wasmThreads: threads,
          onProgress: progress,
        });
        report = makeReport(key, reference, verdicts, pickFastest(verdicts, reference), new Date().toISOString());
        // A check whose reference failed (the graph does not compile, memory ran out) says nothing about the backends.
        if (verdicts.find((v) => v.name === reference)?.verified)
          await this.cache.set(key, report).catch(() => undefined);
      }
      this.report = report;
      this.mergeVerdicts(report.verdicts);
      // wasm runs at the count its check found fastest on this model (the check may have left another current).
      const wasm = report.verdicts.find((v) => v.name === 'wasm');
      await this.useWasmThreads(report.picked === 'wasm' ? this.timedThreads(wasm) : this.offeredThreads);
      await startBackend(report.picked);
      this.backend = report.picked;
    } else {
      const forced = this.choice;
      const known =
        this.forcedVerdicts.get(`${key}/${forced}`) ??
        validReport(await this.cache.get(key).catch(() => undefined), key)?.verdicts.find(
          (v) => v.name === forced && v.verified !== undefined,
        );
      let verdict = known;
      if (!verdict && forced === reference)
        verdict = { ...this.verdicts.find((v) => v.name === forced)!, verified: true };
      if (!verdict) {
        const candidates = this.verdicts.filter((v) => v.started && (v.name === forced || v.name === reference));
        const verdicts = await checkBackends({
          graph,
          data,
          config,
          candidates,
          reference,
          time: false,
          now: this.now,
          onProgress: progress,
        });
        verdict = verdicts.find((v) => v.name === forced);
        if (verdict) this.forcedVerdicts.set(`${key}/${forced}`, verdict);
      }
      if (verdict) this.mergeVerdicts([verdict]);
      if (forced === 'wasm') {
        const checked = validReport(await this.cache.get(key).catch(() => undefined), key);
        await this.useWasmThreads(this.timedThreads(checked?.verdicts.find((v) => v.name === 'wasm')));
      }
      await startBackend(forced);
      this.backend = forced;
      if (verdict?.verified === false)
        warning = `${forced} failed verification on this model (${verdict.reason}); training on it because you chose it: expect wrong results, or choose auto.`;
    }
    progress('');
    this.postBackend(warning);
  }

  /** What auto judges: every started backend; cpu (the plain-JS fallback of the kernels wasm runs compiled) only where wasm is missing. */
  private autoCandidates(reference: BackendName): BackendVerdict[] {
    return this.verdicts.filter((v) => v.started && (v.name !== 'cpu' || reference === 'cpu'));
  }

  private mergeVerdicts(checked: readonly BackendVerdict[]): void {
    this.verdicts = this.verdicts.map((v) => {
      const c = checked.find((x) => x.name === v.name);
      // Keep what was probed in this page (renderer) and take the model's verdict; wasm's count is the one it
      // was timed fastest at, where the check timed several.
      const threads = c?.threadTimes ? c.threads : v.threads;
      return c ? { ...c, started: v.started, threads, renderer: v.renderer, software: v.software } : v;
    });
  }

  /** The thread count wasm runs on now (undefined before wasm starts, or outside a page). */
  private wasmThreadsNow(): number | undefined {
    return this.deps.environment?.wasmThreads?.();
  }

  /**
   * Thread counts a pick times wasm at: the page's count and 1, where the worker can change the count, is
   * cross-origin isolated and was offered more than one thread.
   */
  private wasmThreadChoice(): WasmThreadChoice | undefined {
    const use = this.deps.useWasmThreads;
    const offered = this.offeredThreads;
    if (!use || !offered || offered < 2 || this.deps.environment?.isolated === false) return undefined;
    return { counts: [offered, 1], current: () => this.wasmThreadsNow(), use };
  }

  /** The count a check timed wasm fastest at on a model, if it timed several (and the count is one offered). */
  private timedThreads(wasm: BackendVerdict | undefined): number | undefined {
    const offered = this.offeredThreads;
    const t = wasm?.threadTimes ? wasm.threads : undefined;
    return t !== undefined && offered !== undefined && Number.isInteger(t) && t >= 1 && t <= offered ? t : offered;
  }

  /** Makes wasm run on `threads` threads unless it already does, or the count cannot change. */
  private async useWasmThreads(threads: number | undefined): Promise<void> {
    const use = this.deps.useWasmThreads;
    if (use && threads !== undefined && this.wasmThreadsNow() !== threads) await use(threads);
  }

  private async dataText(d: DataChoice): Promise<string> {
    if (d.kind === 'text') return d.text;
    const set = bundledDataset(d.name);
    if (!set) throw new Error(`There is no bundled dataset "${d.name}".`);
    return this.deps.loadBundled(set.file);
  }

  private async prepare(d: DataChoice, tokenizer: string, seed: number, reuse?: Tokenizer): Promise<PreparedDataset> {
    const key = `${d.kind}:${d.name}:${reuse ? `reuse:${JSON.stringify(reuse.toJSON())}` : tokenizer}:${seed}:${d.kind === 'text' ? d.text.length : ''}`;
    const cached = this.datasets.get(key);
    if (cached) return cached;
    const text = await this.dataText(d);
    const set = d.kind === 'bundled' ? bundledDataset(d.name) : undefined;
    const source = set
      ? bundledSource(set, text)
      : { name: d.name, text, task: d.kind === 'text' ? d.task : undefined };
    const prepared = prepareDataset(source, { tokenizer, seed, reuseTokenizer: reuse });
    this.datasets.clear(); // keep one: datasets can be large
    this.datasets.set(key, prepared);
    return prepared;
  }

  private async start(msg: Extract<WorkerRequest, { kind: 'start' }>): Promise<void> {
    await this.backendQueue.catch(() => undefined);
    if (!this.backend) await this.pickBackend();
    const parent = msg.parent && this.run(msg.parent.runId);
    if (parent?.control) throw new Error(`Run "${parent.manifest.name}" is still training; fine-tune it once it ends.`);
    const data = await this.prepare(msg.data, msg.tokenizer, msg.config.seed, parent?.predictor.tokenizer);
    const pick = this.backendQueue.catch(() => undefined).then(() => this.backendForRun(msg.graph, data, msg.config));
    this.backendQueue = pick;
    await pick;
    this.deps.post({
      kind: 'prepared',
      runId: msg.runId,
      vocabSize: data.binding.vocabSize,
      numClasses: data.binding.numClasses,
      labels: data.labels,
      trainTokens: data.stats.trainTokens,
      task: data.task,
      promptCompletion: data.promptCompletion,
    });
    const control = new TrainControl();
    const probe = probeText(data);
    const buffer = new EventBuffer(
      (events) => events.forEach((event) => this.deps.post({ kind: 'event', runId: msg.runId, event })),
      this.deps.throttleMs ?? 100,
    );
    let live: HostRun | undefined;
    const trained = await trainRun({
      graph: msg.graph,
      data,
      config: msg.config,
      backend: this.backend,
      id: msg.runId,
      name: msg.name,
      control,
      ...(parent && { parent: { manifest: parent.manifest, model: parent.model }, freeze: msg.parent?.freeze }),
      emit: (e: TrainEvent) => {
        buffer.push(e);
        if (e.event === 'eval' && live) void this.postProbe(msg.runId, live.predictor, probe, e.step);
      },
      onCompiled: (run) => {
        if (run.warmStart) this.deps.post({ kind: 'warm-start', runId: msg.runId, report: run.warmStart });
        live = this.register(msg.runId, run, data, control);
      },
    });
    buffer.flush();
    const final = this.register(msg.runId, trained, data, undefined); // same model: keeps its inspection view
    await this.postProbe(msg.runId, final.predictor, probe, trained.manifest.result?.steps ?? 0);
  }

  /** The run's own validation prompts (its data split again with its tokenizer and seed), answered greedily. */
  private async heldOut(msg: Extract<WorkerRequest, { kind: 'held-out' }>): Promise<void> {
    const r = this.run(msg.runId);
    const m = r.manifest;
    const choice: DataChoice | undefined =
      msg.data ?? (bundledDataset(m.data.source) ? { kind: 'bundled', name: m.data.source } : undefined);
    if (!choice)
      throw new Error(
        `Held-out prompts need the data "${m.data.source}" that trained "${m.name}"; choose it in the Train tab.`,
      );
    const data = await this.prepare(choice, m.tokenizer, m.training.seed, r.predictor.tokenizer);
    const pairs = heldOutPairs(data, msg.count);
    const answers = await greedyAnswers(
      r.predictor,
      pairs.map((p) => p.prompt),
      Math.min(CHRF_MAX_TOKENS * 2, 256),
    );
    const tok = r.predictor.tokenizer;
    return this.deps.post({
      kind: 'held-out',
      runId: msg.runId,
      requestId: msg.requestId,
      pairs: pairs.map((p, i) => ({
        prompt: tok.decode(p.prompt),
        reference: tok.decode(p.reference),
        answer: tok.decode(answers[i]),
      })),
    });
  }

  private register(runId: string, run: TrainedRun, data: PreparedDataset, control: TrainControl | undefined): HostRun {
    const existing = this.runs.get(runId);
    if (existing && existing.model !== run.model) this.dispose(runId);
    const entry: HostRun = {
      manifest: run.manifest,
      model: run.model,
      control,
      trained: run,
      predictor: predictorOf(run.manifest, data.tokenizer, run.model),
      inspection:
        existing?.model === run.model
          ? existing.inspection
          : run.attention.length
            ? inspectionModel(run.model, run.attention)
            : undefined,
    };
    this.runs.set(runId, entry);
    return entry;
  }

  private async postProbe(runId: string, predictor: Predictor, text: string, step: number): Promise<void> {
    if (!text) return;
    try {
      this.deps.post({ kind: 'probe', runId, step, prediction: await predict(predictor, text, 5) });
    } catch {
      // A probe is a courtesy view; a text the model cannot read is not worth a failed run.
    }
  }

  private run(runId: string): HostRun {
    const r = this.runs.get(runId);
    if (!r) throw new Error(`Run "${runId}" is not loaded; train it or open it first.`);
    return r;
  }

  private dispose(runId: string): void {
    const r = this.runs.get(runId);
    if (!r) return;
    r.control?.stop();
    r.model.dispose();
    this.runs.delete(runId);
  }
}

/** A remembered report, if it is one for this key (the cache is the browser's: anything may be in it). */
function validReport(value: unknown, key: string): BackendReport | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const r = value as Partial<BackendReport>;
  if (r.key !== key || !Array.isArray(r.verdicts) || typeof r.picked !== 'string') return undefined;
  if (!BACKEND_ORDER.includes(r.picked)) return undefined;
  return r as BackendReport;
}

/** A fixed probe: the start of the validation text, so the user watches the same words improve. */
export function probeText(data: PreparedDataset): string {
  const v = data.val;
  const ids =
    v.kind === 'stream' ? Array.from(v.ids.subarray(0, 48)) : v.rows.length ? Array.from(v.rows[0]).slice(0, 48) : [];
  return data.task === 'tag' ? data.tokenizer.decode(ids).trim() : data.tokenizer.decode(ids);
}

/** Posts step events at most every `ms`; evals, done and errors go at once (with what was buffered). */
class EventBuffer {
  private pending: TrainEvent[] = [];
  private timer: unknown = null;
  constructor(
    private readonly send: (events: TrainEvent[]) => void,
    private readonly ms: number,
  ) {}
  push(e: TrainEvent): void {
    this.pending.push(e);
    if (e.event !== 'step') return this.flush();
    if (this.timer === null) this.timer = setTimeout(() => this.flush(), this.ms);
  }
  flush(): void {
    this.timer = null;
    const events = this.pending;
    this.pending = [];
    if (events.length) this.send(events);
  }
}
