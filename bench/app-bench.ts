/**
 * `npm run bench:app`: the app's own training worker, in Chromium (the web build, served like the desktop app:
 * cross-origin isolated, strict CSP), timing the three bench templates on every backend that starts here —
 * webgpu (Chromium's software adapter on a machine without a GPU), webgl, wasm with 1 thread and with N threads
 * (timed alternately, step by step, in one worker), cpu — through the worker's own backend check: each row is verified against the wasm reference on the model's
 * initial weights and one fixed batch, then timed over real AdamW steps (median). Then a fresh worker makes the
 * automatic pick for each template, as the app does before a first run. Prints a table, writes
 * bench/app-results.json. Run it on an idle machine: every figure is a ratio within this one run.
 *
 * `npx tsx bench/app-bench.ts [--steps N] [--only mini-gpt,lstm-lm,bow-classifier] [--backends webgpu,webgl,wasm,cpu]`
 */
import { writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { serveTestBuild } from './serve-build';
import { chromium, type Page } from 'playwright-core';
import type { Graph } from '../core/graph/model';
import { withTrainDefaults, type TrainConfig } from '../core/train/protocol';
import type { BackendName, BackendVerdict, DataChoice, WorkerRequest } from '../core/worker/protocol';
import { wasmThreadCount } from '../renderer/services/trainingClient';
import { chromiumLaunch } from '../tests/e2e/chromium';

const PORT = 4182;
/** Chromium's software WebGPU adapter, so webgpu runs (slowly, in real shaders) on a machine without a GPU. */
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'];

interface Case {
  model: string;
  data: DataChoice;
  tokenizer: string;
  batchSize: number;
}

/** The same three models and batches as `npm run bench`. */
const CASES: Case[] = [
  { model: 'mini-gpt', data: { kind: 'bundled', name: 'shakespeare' }, tokenizer: 'char', batchSize: 12 },
  { model: 'lstm-lm', data: { kind: 'bundled', name: 'shakespeare' }, tokenizer: 'char', batchSize: 32 },
  { model: 'bow-classifier', data: { kind: 'bundled', name: 'sentiment' }, tokenizer: 'word', batchSize: 64 },
];

interface Row {
  model: string;
  /** "wasm-1t", "wasm-2t" for wasm with a thread count; the backend's name otherwise. */
  backend: string;
  threads: number | null;
  started: boolean;
  software: string | null;
  verified: boolean;
  reason: string | null;
  msPerStep: number | null;
  tokensPerSec: number | null;
}

const template = (name: string): Graph => JSON.parse(readFileSync(`templates/${name}.json`, 'utf8')) as Graph;

/**
 * In a fresh worker (its own wasm thread pool): init on `backend` with `threads`, then the worker's backend check
 * of the model restricted to `backends` (the reference is always checked too). Returns the verdicts and pick.
 */
function checkInWorker(
  page: Page,
  init: Extract<WorkerRequest, { kind: 'init' }>,
  check: Extract<WorkerRequest, { kind: 'check-backends' }>,
): Promise<{ verdicts: BackendVerdict[]; picked: BackendName; error?: string }> {
  return page.evaluate(
    ([init, check]) =>
      new Promise((resolve) => {
        const hook = window.__wordloom;
        if (!hook) throw new Error('the build has no test hook');
        const w = hook.createWorker();
        let checking = false;
        w.onmessage = (e: MessageEvent) => {
          const m = e.data as {
            kind: string;
            requestId?: number;
            verdicts?: unknown;
            picked?: string;
            message?: string;
          };
          if (m.kind === 'backend' && !checking) {
            checking = true;
            w.postMessage(check);
          } else if (m.kind === 'backends-checked') {
            w.terminate();
            resolve(m as never);
          } else if (m.kind === 'error') {
            w.terminate();
            resolve({ verdicts: [], picked: 'wasm', error: m.message } as never);
          }
        };
        w.postMessage(init);
      }),
    [init, check] as const,
  );
}

const rowOf = (model: string, v: BackendVerdict, threads?: number): Row => ({
  model,
  backend: v.name === 'wasm' ? `wasm-${threads ?? v.threads ?? 1}t` : v.name,
  threads: v.name === 'wasm' ? (threads ?? v.threads ?? 1) : null,
  started: v.started,
  software: v.software ?? null,
  verified: v.verified === true,
  reason: v.reason ?? (v.started ? null : (v.error ?? 'does not start')),
  msPerStep: v.msPerStep ?? null,
  tokensPerSec: v.tokensPerSec ?? null,
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { steps: { type: 'string', default: '5' }, only: { type: 'string' }, backends: { type: 'string' } },
  });
  const timedSteps = Number.parseInt(values.steps ?? '5', 10);
  const only = values.only?.split(',');
  const backends = values.backends?.split(',');
  const served = await serveTestBuild(PORT);
  const launch = chromiumLaunch(WEBGPU_FLAGS);
  const browser = await chromium.launch({ ...launch, headless: true });
  const rows: Row[] = [];
  const picks: {
    model: string;
    picked: string;
    pickedTokensPerSec: number | null;
    fastestVerified: string;
    fastestTokensPerSec: number | null;
    ratio: number | null;
  }[] = [];
  let maxThreads = 1;
  let appThreads: number;
  try {
    const page = await browser.newPage();
    await page.goto(served.url);
    await page.waitForFunction(() => window.__wordloom !== undefined);
    const isolated = await page.evaluate(() => self.crossOriginIsolated);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    // The scaling rows: 1 thread and one per core (at most 4); the auto row: the app's own count.
    maxThreads = Math.max(1, Math.min(4, cores));
    appThreads = wasmThreadCount(cores);
    for (const c of CASES.filter((x) => !only || only.includes(x.model))) {
      const config: TrainConfig = withTrainDefaults({ batchSize: c.batchSize, seed: 1 });
      const check = (
        backends: BackendName[] | undefined,
        wasmThreadTimes = false,
      ): Extract<WorkerRequest, { kind: 'check-backends' }> => ({
        kind: 'check-backends',
        requestId: 1,
        graph: template(c.model),
        data: c.data,
        tokenizer: c.tokenizer,
        config,
        ...(backends && { backends }),
        timedSteps,
        wasmThreadTimes,
      });
      const runs: { backend: BackendName; threads: number }[] = [
        { backend: 'webgpu', threads: maxThreads },
        { backend: 'webgl', threads: maxThreads },
        // 1 thread and maxThreads in one worker, timed step by step alternately (the machine's slow moments fall on
        // both counts, not on whichever ran then), as the app's pick times them.
        { backend: 'wasm', threads: maxThreads },
        { backend: 'cpu', threads: maxThreads },
      ];
      for (const r of runs.filter((x) => !backends || backends.includes(x.backend))) {
        process.stderr.write(
          `${c.model}: ${r.backend}${r.backend === 'wasm' ? ` (1 and ${r.threads} threads)` : ''}…\n`,
        );
        const res = await checkInWorker(
          page,
          { kind: 'init', backend: r.backend, threads: r.threads },
          check([r.backend], r.backend === 'wasm'),
        );
        const v = res.verdicts.find((x) => x.name === r.backend);
        if (res.error || !v) {
          rows.push({
            model: c.model,
            backend: r.backend,
            threads: null,
            started: false,
            software: null,
            verified: false,
            reason: res.error ?? 'no verdict',
            msPerStep: null,
            tokensPerSec: null,
          });
          continue;
        }
        if (v.threadTimes?.length) rows.push(...v.threadTimes.map((t) => rowOf(c.model, { ...v, ...t }, t.threads)));
        else rows.push(rowOf(c.model, v, r.backend === 'wasm' ? 1 : undefined));
      }
      // The pick the app makes before a first run: all backends, the app's thread count, the worker's own rule.
      process.stderr.write(`${c.model}: auto…\n`);
      const auto = await checkInWorker(page, { kind: 'init', threads: appThreads }, check(undefined));
      const mine = rows.filter((r) => r.model === c.model && r.verified && r.tokensPerSec !== null);
      const fastest = mine.reduce<Row | undefined>(
        (a, b) => (!a || b.tokensPerSec! > a.tokensPerSec! ? b : a),
        undefined,
      );
      // The app times wasm at its thread count and at 1, and trains at the faster: the pick names its count.
      const autoThreads = auto.verdicts.find((v) => v.name === 'wasm')?.threads ?? appThreads;
      const pickedName = auto.picked === 'wasm' ? `wasm-${autoThreads}t` : auto.picked;
      const pickedRow = mine.find((r) => r.backend === pickedName);
      picks.push({
        model: c.model,
        picked: pickedName,
        pickedTokensPerSec: pickedRow?.tokensPerSec ?? null,
        fastestVerified: fastest?.backend ?? 'none',
        fastestTokensPerSec: fastest?.tokensPerSec ?? null,
        ratio: pickedRow && fastest ? pickedRow.tokensPerSec! / fastest.tokensPerSec! : null,
      });
    }
    const speedups = CASES.map((c) => {
      const one = rows.find((r) => r.model === c.model && r.backend === 'wasm-1t');
      const many = rows.find((r) => r.model === c.model && r.backend === `wasm-${maxThreads}t`);
      return {
        model: c.model,
        threads: maxThreads,
        speedup: one?.msPerStep && many?.msPerStep ? one.msPerStep / many.msPerStep : null,
      };
    }).filter((s) => s.speedup !== null);
    const machine = {
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? '',
      loadavg: loadavg(),
      chromium: browser.version(),
      isolated,
      timedSteps,
      date: new Date().toISOString(),
    };
    printTable(rows, picks, speedups);
    await writeFile('bench/app-results.json', `${JSON.stringify({ machine, rows, picks, speedups }, null, 2)}\n`);
    process.stderr.write('wrote bench/app-results.json\n');
  } finally {
    await browser.close();
    await served.close();
  }
}

const fmt = (x: number | null, digits = 0): string =>
  x === null ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function printTable(
  rows: Row[],
  picks: { model: string; picked: string; fastestVerified: string; ratio: number | null }[],
  speedups: { model: string; threads: number; speedup: number | null }[],
): void {
  const lines = [
    '| model | backend | software | verified | ms/step | tokens/s | note |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.model} | ${r.backend} | ${r.software ?? ''} | ${r.started ? (r.verified ? '✓' : '✗') : '—'} | ${fmt(r.msPerStep, 1)} | ${fmt(r.tokensPerSec)} | ${r.reason ?? ''} |`,
    ),
    '',
    '| model | auto picked | fastest verified | picked / fastest |',
    '|---|---|---|---|',
    ...picks.map((p) => `| ${p.model} | ${p.picked} | ${p.fastestVerified} | ${fmt(p.ratio, 2)} |`),
    '',
    '| model | wasm N threads / 1 thread |',
    '|---|---|',
    ...speedups.map((s) => `| ${s.model} | ${fmt(s.speedup, 2)}× (${s.threads} threads) |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
