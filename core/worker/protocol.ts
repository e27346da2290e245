import type { Graph } from '../graph/model';
import type { GenerateOptions } from '../predict/generate';
import type { AttentionMap, Prediction } from '../predict/types';
import type { RunFiles } from '../run/files';
import type { RunManifest } from '../run/manifest';
import type { WarmStartReport } from '../run/warm-start';
import type { TrainConfig, TrainEvent } from '../train/protocol';

/** Where a run's text comes from: a bundled set (the host loads it) or a file/paste the user gave. */
export type DataChoice =
  | { kind: 'bundled'; name: string }
  | { kind: 'text'; name: string; text: string; task?: 'next-token' | 'classify' | 'tag' | 'prompt-completion' };

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
/** Fastest first (docs/architecture.md). */
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** What the worker knows of one backend: whether it starts, what it runs on, and its verdict on a model. */
export interface BackendVerdict {
  name: BackendName;
  started: boolean;
  /** Why it did not start. */
  error?: string;
  /** The GPU renderer or adapter a GPU backend reports. */
  renderer?: string;
  /** Set when that renderer emulates a GPU on the CPU ("SwiftShader", "llvmpipe"). */
  software?: string;
  /** wasm's thread pool size. */
  threads?: number;
  /** Undefined until checked on a model; false when its results differ from the reference's. */
  verified?: boolean;
  /** Why it is not verified ("results differ from the reference: loss 30,396 vs 4.21"). */
  reason?: string;
  loss?: number;
  referenceLoss?: number;
  gradNorm?: number;
  referenceGradNorm?: number;
  /** Median of a few real training steps on the model (verified backends only); wasm: at `threads`. */
  msPerStep?: number;
  tokensPerSec?: number;
  /** wasm timed at each thread count it was checked with (its `threads` is the fastest of them). */
  threadTimes?: { threads: number; msPerStep: number; tokensPerSec: number }[];
}

/** One model's check on this machine: remembered by `key` so it runs once, not every run. */
export interface BackendReport {
  key: string;
  reference: BackendName;
  verdicts: BackendVerdict[];
  picked: BackendName;
  measuredAt: string;
}

/** What `export` writes (docs/cli.md): a tf.js folder, a PyTorch folder, or one `.wordloom` bundle. */
export type ExportFormat = 'tfjs' | 'pytorch' | 'bundle';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['tfjs', 'pytorch', 'bundle'];

/** Messages to the training worker. Every field is structured-clone safe; a Graph goes in, never a tf object. */
export type WorkerRequest =
  /** Starts (or switches) the backend: `backend` forces one, none means the verified, timed pick. */
  | { kind: 'init'; backend?: BackendName; threads?: number }
  /** Test builds only: makes a backend return wrong results (its matmuls scaled), to test the refusal. */
  | { kind: 'test-corrupt'; backend: BackendName }
  /** Runs the backend check for a model without training (the bench and the status bar's "Check now"). */
  | {
      kind: 'check-backends';
      requestId: number;
      graph: Graph;
      data: DataChoice;
      tokenizer: string;
      config: TrainConfig;
      backends?: BackendName[];
      timedSteps?: number;
      /** Time wasm at 1 thread and at the worker's count, step by step alternately, as auto's pick does. */
      wasmThreadTimes?: boolean;
    }
  | {
      kind: 'start';
      runId: string;
      name: string;
      graph: Graph;
      data: DataChoice;
      tokenizer: string;
      config: TrainConfig;
      /** Fine-tuning: a loaded run whose weights load by node id first (its tokenizer replaces `tokenizer`), and the nodes to freeze. */
      parent?: { runId: string; freeze: string[] };
    }
  | { kind: 'pause' | 'resume' | 'stop'; runId: string }
  | { kind: 'predict'; runId: string; requestId: number; text: string; topK: number }
  | { kind: 'attention'; runId: string; requestId: number; text: string }
  | { kind: 'generate'; runId: string; requestId: number; prompt: string; options: GenerateOptions }
  /** Ask tab: greedy answers to the first `count` validation prompts of a prompt/completion run, beside the references. */
  | { kind: 'held-out'; runId: string; requestId: number; count: number; data?: DataChoice }
  | { kind: 'save'; runId: string; requestId: number }
  | { kind: 'open'; runId: string; requestId: number; files: RunFiles }
  | { kind: 'dispose'; runId: string }
  | { kind: 'export'; runId: string; requestId: number; format: ExportFormat }
  | { kind: 'tokenize'; requestId: number; data: DataChoice; tokenizer: string; sample: string };

/** Messages from the worker. */
export type WorkerResponse =
  | {
      kind: 'backend';
      name: string;
      tried: { name: BackendName; error?: string }[];
      /** Every backend with what is known of it (the menu lists them). */
      verdicts: BackendVerdict[];
      /** Whether the worker is cross-origin isolated (wasm can run threads only then). */
      isolated?: boolean;
      /** The check of the current model, once one ran (or was remembered). */
      report?: BackendReport;
      /** Said before a run on a backend the user forced although it failed verification. */
      warning?: string;
    }
  /** Progress of a backend check ("Checking webgl on this model…"); an empty message ends it. */
  | { kind: 'backend-check'; message: string }
  | { kind: 'backends-checked'; requestId: number; verdicts: BackendVerdict[]; picked: BackendName }
  | { kind: 'event'; runId: string; event: TrainEvent }
  | {
      kind: 'prepared';
      runId: string;
      vocabSize: number;
      numClasses: number;
      labels: string[];
      trainTokens: number;
      task: string;
      /** Next-token rows framed `prompt <|sep|> completion <|endoftext|>`. */
      promptCompletion?: boolean;
    }
  /** What a fine-tuned run took from its parent, before its first step. */
  | { kind: 'warm-start'; runId: string; report: WarmStartReport }
  | { kind: 'probe'; runId: string; step: number; prediction: Prediction }
  | { kind: 'prediction'; runId: string; requestId: number; prediction: Prediction }
  | { kind: 'attention'; runId: string; requestId: number; maps: AttentionMap[] }
  | { kind: 'token'; runId: string; requestId: number; text: string; done: boolean }
  | {
      kind: 'held-out';
      runId: string;
      requestId: number;
      pairs: { prompt: string; reference: string; answer: string }[];
    }
  | { kind: 'saved'; runId: string; requestId: number; files: RunFiles; manifest: RunManifest }
  | { kind: 'opened'; runId: string; requestId: number; manifest: RunManifest }
  /** File names are relative, `/`-separated (a bundle is one `<name>.wordloom` file). */
  | { kind: 'exported'; runId: string; requestId: number; format: ExportFormat; files: Record<string, Uint8Array> }
  | { kind: 'tokenized'; requestId: number; vocabSize: number; pieces: string[]; ids: number[] }
  | { kind: 'error'; runId?: string; requestId?: number; message: string };
