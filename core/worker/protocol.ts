import type { Graph } from '../graph/model';
import type { GenerateOptions } from '../infer/generate';
import type { AttentionMap, Prediction } from '../infer/types';
import type { RunFiles } from '../run/files';
import type { RunManifest } from '../run/manifest';
import type { TrainConfig, TrainEvent } from '../train/protocol';

/** Where a run's text comes from: a bundled set (the host loads it) or a file/paste the user gave. */
export type DataChoice =
  | { kind: 'bundled'; name: string }
  | { kind: 'text'; name: string; text: string; task?: 'next-token' | 'classify' | 'tag' | 'prompt-completion' };

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
/** Fastest first (DESIGN §1). */
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** What `export` writes (DESIGN §5): a tf.js folder, a PyTorch folder, or one `.wordloom` bundle. */
export type ExportFormat = 'tfjs' | 'pytorch' | 'bundle';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['tfjs', 'pytorch', 'bundle'];

/** Messages to the training worker. Every field is structured-clone safe; a Graph goes in, never a tf object. */
export type WorkerRequest =
  | { kind: 'init'; backend?: BackendName }
  | {
      kind: 'start';
      runId: string;
      name: string;
      graph: Graph;
      data: DataChoice;
      tokenizer: string;
      config: TrainConfig;
    }
  | { kind: 'pause' | 'resume' | 'stop'; runId: string }
  | { kind: 'predict'; runId: string; requestId: number; text: string; topK: number }
  | { kind: 'attention'; runId: string; requestId: number; text: string }
  | { kind: 'generate'; runId: string; requestId: number; prompt: string; options: GenerateOptions }
  | { kind: 'save'; runId: string; requestId: number }
  | { kind: 'open'; runId: string; requestId: number; files: RunFiles }
  | { kind: 'dispose'; runId: string }
  | { kind: 'export'; runId: string; requestId: number; format: ExportFormat }
  | { kind: 'tokenize'; requestId: number; data: DataChoice; tokenizer: string; sample: string };

/** Messages from the worker. */
export type WorkerResponse =
  | { kind: 'backend'; name: string; tried: { name: BackendName; error?: string }[] }
  | { kind: 'event'; runId: string; event: TrainEvent }
  | {
      kind: 'prepared';
      runId: string;
      vocabSize: number;
      numClasses: number;
      labels: string[];
      trainTokens: number;
      task: string;
    }
  | { kind: 'probe'; runId: string; step: number; prediction: Prediction }
  | { kind: 'prediction'; runId: string; requestId: number; prediction: Prediction }
  | { kind: 'attention'; runId: string; requestId: number; maps: AttentionMap[] }
  | { kind: 'token'; runId: string; requestId: number; text: string; done: boolean }
  | { kind: 'saved'; runId: string; requestId: number; files: RunFiles; manifest: RunManifest }
  | { kind: 'opened'; runId: string; requestId: number; manifest: RunManifest }
  /** File names are relative, `/`-separated (a bundle is one `<name>.wordloom` file). */
  | { kind: 'exported'; runId: string; requestId: number; format: ExportFormat; files: Record<string, Uint8Array> }
  | { kind: 'tokenized'; requestId: number; vocabSize: number; pieces: string[]; ids: number[] }
  | { kind: 'error'; runId?: string; requestId?: number; message: string };
