import type { Prediction } from '../../core/predict/types';
import type { ProjectRun } from '../../core/project/project';
import type { EvalPoint, StepPoint } from '../../core/run/manifest';
import type { TrainEvent } from '../../core/train/protocol';
import type { BackendName, BackendReport, BackendVerdict, WorkerResponse } from '../../core/worker/protocol';
import { parentOfRecord, probeOfRecord } from '../lib/runRecord';
import type { SliceCreator } from './types';

export type BackendChoice = 'auto' | BackendName;
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

/** The tf.js backend the worker runs on; `name` is null until the worker says which one started. */
export interface BackendState {
  choice: BackendChoice;
  name: string | null;
  tried: { name: BackendName; error?: string }[];
  isStarting: boolean;
  /** Every backend with what the worker knows of it (started, renderer, threads, verdict on the last model). */
  verdicts: BackendVerdict[];
  /** The check behind the current pick, once a model was checked. */
  report?: BackendReport;
  /** Set while the worker checks backends on a model ("Checking webgl on this model…"). */
  checking?: string;
  /** Whether the worker is cross-origin isolated (wasm threads need it). */
  isolated?: boolean;
  /** The last warning about a forced backend that failed verification. */
  warning?: string;
}

export type RunStatus = 'preparing' | 'training' | 'paused' | 'done' | 'stopped' | 'error';

/** The run on screen: live from the worker, or restored from a project's run record. */
export interface LiveRun {
  id: string;
  name: string;
  status: RunStatus;
  totalSteps: number;
  /** Last step the worker reported. */
  step: number;
  steps: StepPoint[];
  evals: EvalPoint[];
  task?: string;
  labels: string[];
  trainTokens?: number;
  params?: number;
  /** Classifiers and taggers: the latest evaluation's confusion counts [true][predicted] (live runs only). */
  confusion?: { step: number; counts: number[][] };
  /** The latest predictions on the fixed probe text, with the step they were made at. */
  probe?: { step: number; prediction: Prediction };
  error?: string;
  /** True when the worker holds this run's model (trained here, or opened from saved weights). */
  hasModel: boolean;
  /** A fine-tuned run: the run it started from and that run's last step. */
  parent?: { runId: string; name: string; step: number };
  /** Next-token rows framed `prompt <|sep|> completion <|endoftext|>` (the Ask tab asks such models). */
  promptCompletion?: boolean;
  /** The tokenizer spec it trained with (a fine-tune reuses it). */
  tokenizer?: string;
}

export interface RunSlice {
  backend: BackendState;
  run: LiveRun | null;
  chooseBackend: (choice: BackendChoice) => void;
  /** A run was asked of the worker; everything else arrives through `receive`. */
  beginRun: (run: {
    id: string;
    name: string;
    totalSteps: number;
    parent?: LiveRun['parent'];
    tokenizer?: string;
  }) => void;
  /** Folds worker messages (backend, prepared, events, probes, run errors) into the state. */
  receive: (messages: readonly WorkerResponse[]) => void;
  /** Shows a saved run: its curves and last probe, without a model until its weights are opened (null: none). */
  showRunRecord: (record: ProjectRun | null) => void;
  /** The worker holds the model of run `id` (after 'opened'). */
  markModelLoaded: (id: string) => void;
}

const isPoint = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const num = (v: unknown): number => (typeof v === 'number' ? v : NaN);

/** One training event applied to a run: new arrays each time, so selectors see the change. */
export function applyEvent(run: LiveRun, e: TrainEvent): LiveRun {
  switch (e.event) {
    case 'start':
      return { ...run, status: 'training', totalSteps: e.totalSteps, params: e.params, task: e.task };
    case 'step': {
      const point: StepPoint = {
        step: e.step,
        loss: e.loss,
        lr: e.lr,
        tokensPerSec: e.tokensPerSec,
        elapsed: e.elapsed,
        tokens: e.tokens,
      };
      return {
        ...run,
        step: e.step,
        steps: [...run.steps, point],
        status: run.status === 'paused' ? 'paused' : 'training',
      };
    }
    case 'eval': {
      const point: EvalPoint = { step: e.step, valLoss: e.valLoss, elapsed: e.elapsed };
      if (e.valAccuracy !== undefined) point.valAccuracy = e.valAccuracy;
      if (e.perplexity !== undefined) point.perplexity = e.perplexity;
      if (e.chrf !== undefined) point.chrf = e.chrf;
      return {
        ...run,
        evals: [...run.evals, point],
        ...(e.confusion && { confusion: { step: e.step, counts: e.confusion } }),
      };
    }
    case 'paused':
      return { ...run, status: 'paused', step: e.step };
    case 'resumed':
      return { ...run, status: 'training', step: e.step };
    case 'done':
      return { ...run, status: e.stopped ? 'stopped' : 'done', step: e.steps };
    case 'error':
      return { ...run, status: 'error', error: e.message };
  }
}

/** A run record's curves (loose project data) as chart points; a diverged loss saved as null becomes NaN. */
export function liveRunFromRecord(record: ProjectRun): LiveRun {
  const steps = record.metrics.steps.filter(isPoint).map((p): StepPoint => ({
    step: p.step,
    loss: num(p.loss),
    lr: num(p.lr),
    tokensPerSec: num(p.tokensPerSec),
    elapsed: num(p.elapsed),
    tokens: num(p.tokens),
  }));
  const evals = record.metrics.evals.map((p): EvalPoint => ({
    ...p,
    valLoss: num(p.valLoss),
    elapsed: num(p.elapsed),
  }));
  const last = steps[steps.length - 1]?.step ?? 0;
  return {
    id: record.id,
    name: record.name,
    status: 'done',
    totalSteps: record.training.steps ?? last,
    step: last,
    steps,
    evals,
    task: typeof record.task === 'string' ? record.task : undefined,
    labels: Array.isArray(record.labels) ? record.labels.filter((l): l is string => typeof l === 'string') : [],
    probe: probeOfRecord(record),
    hasModel: false,
    ...(parentOfRecord(record) && { parent: parentOfRecord(record) }),
    ...(typeof record.promptCompletion === 'boolean' && { promptCompletion: record.promptCompletion }),
    ...(typeof record.training.tokenizer === 'string' && { tokenizer: record.training.tokenizer }),
  };
}

export const createRunSlice: SliceCreator<RunSlice> = (set, get) => {
  /** Applies one message to the current state; returns the partial state to set. */
  const fold = (s: Pick<RunSlice, 'backend' | 'run'>, m: WorkerResponse): Pick<RunSlice, 'backend' | 'run'> => {
    const run = s.run && 'runId' in m && m.runId === s.run.id ? s.run : null;
    switch (m.kind) {
      case 'backend':
        return {
          ...s,
          backend: {
            ...s.backend,
            name: m.name,
            tried: m.tried,
            verdicts: m.verdicts,
            isolated: m.isolated,
            report: m.report ?? s.backend.report,
            warning: m.warning,
            isStarting: false,
          },
        };
      case 'backend-check':
        return { ...s, backend: { ...s.backend, checking: m.message || undefined } };
      case 'event':
        return run ? { ...s, run: applyEvent(run, m.event) } : s;
      case 'prepared':
        return run
          ? {
              ...s,
              run: {
                ...run,
                labels: m.labels,
                trainTokens: m.trainTokens,
                task: m.task,
                hasModel: true,
                ...(m.promptCompletion !== undefined && { promptCompletion: m.promptCompletion }),
              },
            }
          : s;
      case 'probe':
        return run ? { ...s, run: { ...run, probe: { step: m.step, prediction: m.prediction } } } : s;
      case 'error':
        if (run && m.requestId === undefined) return { ...s, run: { ...run, status: 'error', error: m.message } };
        if (!('runId' in m) && m.requestId === undefined && s.backend.isStarting)
          return { ...s, backend: { ...s.backend, isStarting: false } };
        return s;
      default:
        return s;
    }
  };

  return {
    backend: { choice: 'auto', name: null, tried: [], verdicts: [], isStarting: true },
    run: null,
    chooseBackend: (choice) => set((s) => ({ backend: { ...s.backend, choice, isStarting: true } })),
    beginRun: ({ id, name, totalSteps, parent, tokenizer }) =>
      set({
        run: {
          id,
          name,
          status: 'preparing',
          totalSteps,
          step: 0,
          steps: [],
          evals: [],
          labels: [],
          hasModel: false,
          ...(parent && { parent }),
          ...(tokenizer && { tokenizer }),
        },
      }),
    receive: (messages) => {
      let next: Pick<RunSlice, 'backend' | 'run'> = { backend: get().backend, run: get().run };
      for (const m of messages) {
        next = fold(next, m);
        if (m.kind === 'prepared' && next.run?.id === m.runId)
          // A next-token set has no classes: keep C as it was, so a classifier graph on screen keeps its shapes.
          get().setBinding({ vocabSize: m.vocabSize, numClasses: m.numClasses || get().binding.numClasses });
        if (m.kind === 'error' && m.requestId === undefined) get().notify('error', m.message);
        if (m.kind === 'backend' && m.warning) get().notify('error', m.warning);
      }
      set(next);
    },
    showRunRecord: (record) => set({ run: record ? liveRunFromRecord(record) : null }),
    markModelLoaded: (id) => set((s) => (s.run?.id === id ? { run: { ...s.run, hasModel: true } } : {})),
  };
};
