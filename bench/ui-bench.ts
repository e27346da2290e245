/**
 * Editor responsiveness on a 300-node graph: `npm run bench:ui` (or `npx tsx bench/ui-bench.ts [--url URL]`).
 *
 * Builds the renderer with the test hook (VITE_WORDLOOM_TEST_HOOK=1) into a temporary folder, serves it with
 * `vite preview`, and drives it in Chromium through playwright-core with the executable and flags of
 * playwright.config.ts. It opens a generated 300-node graph through window.__wordloom.loadGraph, pans and
 * zooms while a PerformanceObserver records long tasks (none may exceed 50 ms), then times edits: the store
 * action plus core re-inference (median must be under 16 ms, one frame) and the edit until the next painted
 * frame. Prints a table and writes bench/ui-results.json. With --url it benchmarks an already-served build.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { serveTestBuild } from './serve-build';
import { chromium, type Page } from 'playwright-core';
import type { Graph, GraphNode, Edge } from '../core/graph/model';
import playwrightConfig from '../playwright.config';

const LONG_TASK_LIMIT_MS = 50;
const EDIT_LIMIT_MS = 16;
const EDITS = 40;
const PORT = 4181;

/** TokenInput → Embedding → 148 × (FeedForward + residual Add) → LayerNorm → NextTokenHead: 300 nodes, all valid. */
export function benchGraph(): Graph {
  const nodes: GraphNode[] = [];
  const edges: Edge[] = [];
  const at = (i: number): { x: number; y: number } => ({ x: (i % 15) * 260, y: Math.floor(i / 15) * 200 });
  const add = (id: string, type: string, params: GraphNode['params'] = {}): string => {
    nodes.push({ id, type, params, position: at(nodes.length) });
    return id;
  };
  const link = (from: string, to: string, port = 'in'): void => {
    edges.push({ id: `e${edges.length + 1}`, from: { node: from, port: 'out' }, to: { node: to, port } });
  };
  let x = add('in', 'TokenInput', { seqLen: 64 });
  link(x, add('emb', 'Embedding', { dim: 64 }));
  x = 'emb';
  for (let b = 1; b <= 148; b++) {
    const ff = add(`ff${b}`, 'FeedForward', { hidden: 128, activation: 'gelu' });
    const sum = add(`add${b}`, 'Add');
    link(x, ff);
    link(x, sum, 'a');
    link(ff, sum, 'b');
    x = sum;
  }
  link(x, add('ln', 'LayerNorm'));
  link('ln', add('head', 'NextTokenHead'));
  return { format: 'wordloom-graph', version: 1, name: 'Bench: 300 nodes', nodes, edges };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Long tasks (ms) observed in the page since the last call. */
const takeLongTasks = (page: Page): Promise<number[]> =>
  page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[] };
    return w.__longTasks.splice(0);
  });

/** A point on empty canvas (the pane itself), so a drag pans the view instead of moving a block. */
async function emptySpot(page: Page): Promise<{ x: number; y: number }> {
  const spot = await page.evaluate(() => {
    const r = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    if (!r) return null;
    for (let fy = 0.5; fy < 0.95; fy += 0.05) {
      for (let fx = 0.3; fx < 0.7; fx += 0.02) {
        const x = r.left + r.width * fx;
        const y = r.top + r.height * fy;
        if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
      }
    }
    return null;
  });
  if (!spot) throw new Error('No empty spot on the canvas to pan from.');
  return spot;
}

/** Waits until the page has been free of long tasks for a while (measuring and fitting 300 nodes after
 * open); returns the long tasks seen, which belong to opening, not to panning. */
async function settle(page: Page): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < 40; i++) {
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    const tasks = await takeLongTasks(page);
    seen.push(...tasks);
    if (tasks.length === 0 && i > 0) return seen;
  }
  throw new Error('The editor never settled after opening the graph.');
}

async function panAndZoom(page: Page): Promise<void> {
  for (let i = 0; i < 6; i++) {
    const { x, y } = await emptySpot(page);
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + (i % 2 ? -250 : 250), y + (i % 2 ? -60 : 60), { steps: 20 });
    await page.mouse.up();
  }
  const { x, y } = await emptySpot(page);
  for (let i = 0; i < 12; i++) {
    await page.mouse.move(x, y);
    await page.mouse.wheel(0, i < 6 ? -240 : 240);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  }
}

/** Edits the FeedForward widths one after another: each is one store action plus a full inferGraph. */
async function timeEdits(page: Page): Promise<{ infer: number[]; frame: number[] }> {
  return page.evaluate(async (n) => {
    const hook = window.__wordloom;
    if (!hook) throw new Error('window.__wordloom is missing: the build lacks VITE_WORDLOOM_TEST_HOOK=1.');
    const infer: number[] = [];
    const frame: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      hook.store.getState().setParam(`ff${(i % 148) + 1}`, 'hidden', 96 + (i % 4) * 32);
      infer.push(performance.now() - t0);
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      frame.push(performance.now() - t0);
    }
    return { infer, frame };
  }, EDITS);
}

async function main(): Promise<void> {
  const urlArg = process.argv.indexOf('--url');
  const served = urlArg > 0 ? { url: process.argv[urlArg + 1], close: async () => {} } : await serveTestBuild(PORT);
  const browser = await chromium.launch({ ...playwrightConfig.use?.launchOptions, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(served.url);
    await page.waitForFunction(() => window.__wordloom !== undefined);
    const graph = benchGraph();
    const t0 = Date.now();
    const problems = await page.evaluate((g) => window.__wordloom?.loadGraph(g) ?? ['no hook'], graph);
    if (problems.length) throw new Error(`The bench graph does not parse: ${problems[0]}`);
    await page
      .locator('.layer-node')
      .nth(graph.nodes.length - 1)
      .waitFor({ state: 'attached' });
    await page.getByTestId('status-ok').waitFor();
    const openMs = Date.now() - t0;
    const openTasks = await settle(page);

    await panAndZoom(page);
    const panTasks = await takeLongTasks(page);
    const edits = await timeEdits(page);

    const results = {
      date: new Date().toISOString(),
      // Long tasks measure the main thread's wall time: on a busy machine other processes lengthen them.
      cpus: cpus().length,
      loadAverage1m: Number(loadavg()[0].toFixed(2)),
      nodes: graph.nodes.length,
      edges: graph.edges.length,
      openMs,
      openLongestTaskMs: Math.max(0, ...openTasks),
      panZoomLongTasks: panTasks.length,
      panZoomLongTasksOver50ms: panTasks.filter((d) => d > LONG_TASK_LIMIT_MS).length,
      panZoomLongestTaskMs: Math.max(0, ...panTasks),
      editInferMedianMs: median(edits.infer),
      editInferMaxMs: Math.max(...edits.infer),
      editToFrameMedianMs: median(edits.frame),
    };
    const pass = results.panZoomLongTasksOver50ms === 0 && results.editInferMedianMs < EDIT_LIMIT_MS;
    const r1 = (v: number): string => v.toFixed(1);
    console.table({
      'open 300-node graph (ms)': { value: results.openMs, limit: '—' },
      'longest task while opening (ms)': { value: r1(results.openLongestTaskMs), limit: '—' },
      'pan/zoom long tasks > 50 ms': { value: results.panZoomLongTasksOver50ms, limit: 0 },
      'pan/zoom longest task (ms)': { value: r1(results.panZoomLongestTaskMs), limit: LONG_TASK_LIMIT_MS },
      'edit → re-infer, median (ms)': { value: r1(results.editInferMedianMs), limit: EDIT_LIMIT_MS },
      'edit → re-infer, max (ms)': { value: r1(results.editInferMaxMs), limit: '—' },
      'edit → next frame, median (ms)': { value: r1(results.editToFrameMedianMs), limit: '—' },
    });
    await writeFile(
      new URL('./ui-results.json', import.meta.url),
      `${JSON.stringify({ ...results, pass }, null, 2)}\n`,
    );
    console.log(`machine: ${results.cpus} cores, 1-minute load average ${results.loadAverage1m}`);
    console.log(pass ? 'PASS' : 'FAIL: a pan/zoom task exceeded 50 ms or the median edit exceeded 16 ms.');
    if (!pass) process.exitCode = 1;
  } finally {
    await browser.close();
    await served.close();
  }
}

await main();
