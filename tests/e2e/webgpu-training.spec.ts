import { webgpuLaunch } from './webgpu';
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';

/**
 * The app's training worker on the webgpu backend (Chromium's software WebGPU adapter) learns what it learns on
 * wasm: same template, seed, batch order and initial weights, so every step's loss must agree within 2%. Before
 * Wordloom's webgpu kernels (core/kernels) Mini GPT's loss was 24,387 at step 6 here; see webgpu-kernels.spec.ts
 * for the kernels one by one. No adapter, or a worker that fell back to another backend, fails the test.
 *
 * Software WebGPU is slow here (SwiftShader on two shared cores): Mini GPT takes about 6 s a step at batch 1, and
 * the LSTM about 24 s a step at T = 64 whatever the batch (64 time steps of small kernels, forward and backward),
 * so the LSTM LM runs with its window cut to 16 tokens (same layers and sizes otherwise). Both stay under ~2 min.
 */

const STEPS = 10;
/** The acceptance bound: webgpu may differ from wasm in summation order, not in what it computes. */
const MAX_RELATIVE_DIFF = 0.02;
/**
 * Measured on this adapter: ≤ 4e-7 with Wordloom's kernels, 5.6e-3 for Mini GPT with tf.js's stock AddN (whose
 * dropped shader leaves stale memory that Adam's scale-free update mostly hides at batch 1; batch 12 diverged to
 * a loss of 24,387). 2% alone would pass the broken kernels, so the software adapter is held to 1e-4.
 */
const MAX_RELATIVE_DIFF_SOFTWARE = 1e-4;

interface Case {
  template: string;
  batch: number;
  /** Overrides the TokenInput's window (seqLen) of the template; undefined keeps it. */
  seqLen?: number;
}
const CASES: Case[] = [
  { template: 'mini-gpt', batch: 1 },
  { template: 'lstm-lm', batch: 2, seqLen: 16 },
];

test.describe.configure({ mode: 'serial' });
test.use({ trace: 'off', launchOptions: webgpuLaunch() });

async function openTemplate(page: Page, { template, batch, seqLen }: Case): Promise<void> {
  await page.goto('/');
  await page.getByTestId(`template-${template}`).click();
  await expect(page.getByTestId('start-screen')).toBeHidden();
  if (seqLen !== undefined) {
    const graph = JSON.parse(await readFile(`templates/${template}.json`, 'utf8'));
    for (const node of graph.nodes) if (node.type === 'TokenInput') node.params.seqLen = seqLen;
    const problems = await page.evaluate((g) => window.__wordloom?.loadGraph(g), graph);
    expect(problems).toEqual([]);
  }
  await page.getByTestId('dock-tab-train').click();
  await page.getByTestId('dataset-select').selectOption('shakespeare');
  await page.getByTestId('tokenizer-select').selectOption('char');
  await expect(page.getByTestId('vocab-size')).toHaveText(/^V = [\d,]+$/, { timeout: 30_000 });
  await page.getByTestId('hp-steps').fill(String(STEPS));
  await page.getByTestId('hp-batch').fill(String(batch));
  await page.getByTestId('hp-eval').fill(String(STEPS));
  // One validation batch: the losses compared are the training steps', and a whole-split evaluation of Mini GPT
  // on the software adapter would take minutes.
  await page.evaluate(() => window.__wordloom?.store.getState().updateTraining({ evalBatches: 1 }));
}

/** Trains the open template on `backend` through the app's worker; returns the loss of every step. */
async function trainOn(page: Page, backend: 'webgpu' | 'wasm'): Promise<number[]> {
  await page.getByTestId('backend-select').selectOption(backend);
  // The page's first (automatic) init may answer after the choice was made; the worker queues picks, so the
  // chosen backend's answer comes last.
  await expect(page.getByTestId('backend-name')).toHaveText(new RegExp(`^${backend}\\b`), { timeout: 60_000 });
  const state = await page.evaluate(() => window.__wordloom?.store.getState().backend);
  expect(state?.name, `the worker started ${state?.name}; tried ${JSON.stringify(state?.tried)}`).toBe(backend);
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('run-status')).toHaveText('Done', { timeout: 240_000 });
  const steps = await page.evaluate(() => window.__wordloom?.store.getState().run?.steps ?? []);
  expect(steps.map((p) => p.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
  return steps.map((p) => p.loss);
}

function compare(webgpu: number[], wasm: number[]): { maxRelativeDiff: number; table: string } {
  const rel = webgpu.map((loss, i) => Math.abs(loss - wasm[i]) / Math.abs(wasm[i]));
  const table = rel
    .map(
      (r, i) => `step ${i + 1}: webgpu ${webgpu[i].toFixed(5)} wasm ${wasm[i].toFixed(5)} (${(100 * r).toFixed(3)}%)`,
    )
    .join('\n');
  const maxRelativeDiff = Math.max(...rel);
  return { maxRelativeDiff, table: `${table}\nmax relative diff ${maxRelativeDiff.toExponential(2)}` };
}

for (const c of CASES) {
  const { template } = c;
  const what = `${template}${c.seqLen ? ` (T = ${c.seqLen})` : ''}, batch ${c.batch}`;
  test(`${what} trains ${STEPS} steps on webgpu with every step's loss within 2% of wasm's`, async ({ page }, info) => {
    test.setTimeout(420_000);
    await page.goto('/');
    const adapter = await page.evaluate(async () => {
      const a = await navigator.gpu?.requestAdapter();
      return a ? `${a.info.vendor} ${a.info.architecture}` : null;
    });
    expect(
      adapter,
      'no WebGPU adapter: this Chromium does not give one with the flags in tests/e2e/webgpu.ts',
    ).not.toBeNull();

    await openTemplate(page, c);
    const t0 = Date.now();
    const webgpu = await trainOn(page, 'webgpu');
    const webgpuSeconds = (Date.now() - t0) / 1000;
    const wasm = await trainOn(page, 'wasm');
    const { maxRelativeDiff, table } = compare(webgpu, wasm);
    await info.attach('losses', {
      body: `${table}\nwebgpu run: ${webgpuSeconds.toFixed(1)} s`,
      contentType: 'text/plain',
    });
    console.log(`${what} (adapter ${adapter}), webgpu ${webgpuSeconds.toFixed(1)} s\n${table}`);

    expect(webgpu[0], 'the first loss should be near ln V').toBeLessThan(5);
    expect(webgpu[STEPS - 1]).toBeLessThan(webgpu[0]);
    expect(maxRelativeDiff, table).toBeLessThanOrEqual(MAX_RELATIVE_DIFF);
    if (adapter?.includes('swiftshader'))
      expect(maxRelativeDiff, table).toBeLessThanOrEqual(MAX_RELATIVE_DIFF_SOFTWARE);
  });
}
