import * as tf from '@tensorflow/tfjs';
import { inspectionModel } from '../compile/artifacts';
import { bundledDataset, bundledSource } from '../data/bundled/manifest';
import { prepareDataset, type PreparedDataset } from '../data/prepare';
import { generate } from '../infer/generate';
import { attentionMaps, predict, type Predictor } from '../infer/predict';
import { registerWordloomKernels } from '../kernels/index';
import { loadRun, predictorOf } from '../run/load';
import type { RunManifest } from '../run/manifest';
import { runFiles, trainRun, type TrainedRun } from '../run/session';
import { TrainControl } from '../train/control';
import { DEFAULT_TRAIN_CONFIG, type TrainEvent } from '../train/protocol';
import { exportFormat } from './export';
import { BACKEND_ORDER, type BackendName, type DataChoice, type WorkerRequest, type WorkerResponse } from './protocol';

export interface HostDeps {
  post: (msg: WorkerResponse) => void;
  /** The text of a bundled dataset file (the worker fetches its asset; Node reads the file). */
  loadBundled: (file: string) => Promise<string>;
  /** How often buffered step events are posted (ms); charts redraw from the store, not once per step. */
  throttleMs?: number;
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
  /** Backend picks run one after another: a choice made while the automatic pick runs must win, not race it. */
  private backendQueue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: HostDeps) {}

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
        return this.pickBackend(msg.backend);
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

  /** Picks the fastest backend that starts and can take a gradient: webgpu → webgl → wasm → cpu. */
  private async init(preferred?: BackendName): Promise<void> {
    const order = preferred ? [preferred, ...BACKEND_ORDER.filter((b) => b !== preferred)] : BACKEND_ORDER;
    const tried: { name: BackendName; error?: string }[] = [];
    for (const name of order) {
      try {
        if (!(await tf.setBackend(name))) throw new Error('not available here');
        await tf.ready();
        registerWordloomKernels(name);
        const g = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.matMul(x, x)))(tf.ones([4, 4])));
        await g.data();
        g.dispose();
        tried.push({ name });
        this.backend = name;
        return this.deps.post({ kind: 'backend', name, tried });
      } catch (e) {
        tried.push({ name, error: e instanceof Error ? e.message : String(e) });
      }
    }
    throw new Error(`No tf.js backend could start (${tried.map((t) => `${t.name}: ${t.error}`).join('; ')}).`);
  }

  private async dataText(d: DataChoice): Promise<string> {
    if (d.kind === 'text') return d.text;
    const set = bundledDataset(d.name);
    if (!set) throw new Error(`There is no bundled dataset "${d.name}".`);
    return this.deps.loadBundled(set.file);
  }

  private async prepare(d: DataChoice, tokenizer: string, seed: number): Promise<PreparedDataset> {
    const key = `${d.kind}:${d.name}:${tokenizer}:${seed}:${d.kind === 'text' ? d.text.length : ''}`;
    const cached = this.datasets.get(key);
    if (cached) return cached;
    const text = await this.dataText(d);
    const set = d.kind === 'bundled' ? bundledDataset(d.name) : undefined;
    const source = set
      ? bundledSource(set, text)
      : { name: d.name, text, task: d.kind === 'text' ? d.task : undefined };
    const prepared = prepareDataset(source, { tokenizer, seed });
    this.datasets.clear(); // keep one: datasets can be large
    this.datasets.set(key, prepared);
    return prepared;
  }

  private async start(msg: Extract<WorkerRequest, { kind: 'start' }>): Promise<void> {
    await this.backendQueue.catch(() => undefined);
    if (!this.backend) await this.pickBackend();
    const data = await this.prepare(msg.data, msg.tokenizer, msg.config.seed);
    this.deps.post({
      kind: 'prepared',
      runId: msg.runId,
      vocabSize: data.binding.vocabSize,
      numClasses: data.binding.numClasses,
      labels: data.labels,
      trainTokens: data.stats.trainTokens,
      task: data.task,
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
      emit: (e: TrainEvent) => {
        buffer.push(e);
        if (e.event === 'eval' && live) void this.postProbe(msg.runId, live.predictor, probe, e.step);
      },
      onCompiled: (run) => {
        live = this.register(msg.runId, run, data, control);
      },
    });
    buffer.flush();
    const final = this.register(msg.runId, trained, data, undefined); // same model: keeps its inspection view
    await this.postProbe(msg.runId, final.predictor, probe, trained.manifest.result?.steps ?? 0);
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
