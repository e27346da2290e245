import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { BackendState } from '../../renderer/store/runSlice';

/**
 * The backend the app trains on, in Chromium on this machine: cross-origin isolated so wasm runs threads, a pick
 * verified on the user's model and timed, a backend that computes wrong results refused with its reason, and a
 * warning when the user forces it anyway.
 */

const backendState = (page: Page): Promise<BackendState> =>
  page.evaluate(() => {
    const hook = window.__wordloom;
    if (!hook) throw new Error('no test hook');
    return hook.store.getState().backend;
  });

async function openTemplate(page: Page, id: string): Promise<void> {
  await page.getByTestId(`template-${id}`).click();
  await expect(page.getByTestId('start-screen')).toBeHidden();
  await page.getByTestId('dock-tab-train').click();
}

async function setUp(page: Page, o: { dataset: string; tokenizer: string; steps: number; batch: number }) {
  await page.getByTestId('dataset-select').selectOption(o.dataset);
  await page.getByTestId('tokenizer-select').selectOption(o.tokenizer);
  await expect(page.getByTestId('vocab-size')).toHaveText(/^V = [\d,]+$/, { timeout: 30_000 });
  await page.getByTestId('hp-steps').fill(String(o.steps));
  await page.getByTestId('hp-batch').fill(String(o.batch));
}

/** Trains and waits for the run to end; returns the backend state once the pick is made. */
async function trainAndWait(page: Page): Promise<BackendState> {
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('run-status')).toHaveText(/Done|Stopped/, { timeout: 300_000 });
  return backendState(page);
}

test.use({ trace: 'off' });
test.describe.configure({ mode: 'serial' });

test.describe('the training backend', () => {
  test('the page and its worker are cross-origin isolated, and wasm runs its threaded build', async ({ page }) => {
    await page.goto('/');
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    await expect.poll(async () => (await backendState(page)).isStarting, { timeout: 60_000 }).toBe(false);
    const s = await backendState(page);
    expect(s.isolated).toBe(true);
    const wasm = s.verdicts.find((v) => v.name === 'wasm');
    expect(wasm?.started).toBe(true);
    // The app's count: half the cores, but 2 wherever there are 2 cores (bench:app: a second thread pays), at most 4.
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const expected = cores < 2 ? 1 : Math.min(4, Math.max(2, Math.floor(cores / 2)));
    expect(expected, 'this machine has 2 cores or more').toBeGreaterThanOrEqual(2);
    expect(wasm?.threads).toBe(expected);
    // Before any model is checked, auto trains on the reference, and says how many threads it has.
    await expect(page.getByTestId('backend-name')).toHaveText(new RegExp(`^wasm · ${expected} threads?$`));
    // Every backend is in the menu with what is known of it; webgl here is SwiftShader and says so.
    await expect(page.getByTestId('backend-option-webgl')).toContainText('software renderer (SwiftShader)');

    // The threaded build really runs threads here: a worker asked for 2 gets a pool of 2.
    const threads = await page.evaluate(
      () =>
        new Promise<number | undefined>((resolve) => {
          const w = window.__wordloom!.createWorker();
          w.onmessage = (e: MessageEvent<{ kind: string; verdicts?: { name: string; threads?: number }[] }>) => {
            if (e.data.kind !== 'backend') return;
            w.terminate();
            resolve(e.data.verdicts?.find((v) => v.name === 'wasm')?.threads);
          };
          w.postMessage({ kind: 'init', backend: 'wasm', threads: 2 });
        }),
    );
    expect(threads).toBe(2);
  });

  test('auto picks, for the Mini GPT template, the fastest verified backend that bench:app measured', async ({
    page,
  }) => {
    test.setTimeout(420_000);
    await page.goto('/');
    await openTemplate(page, 'mini-gpt');
    // bench:app's Mini GPT case: batch 12, char tokens on Shakespeare.
    await setUp(page, { dataset: 'shakespeare', tokenizer: 'char', steps: 2, batch: 12 });
    const s = await trainAndWait(page);
    const report = s.report;
    expect(report).toBeDefined();
    const picked = report!.picked;
    expect(report!.verdicts.find((v) => v.name === picked)?.verified).toBe(true);
    await expect(page.getByTestId(`backend-option-${picked}`)).toContainText('✓ picked');
    // wasm was timed at the page's count and at 1 (step by step, alternately), and the menu says both.
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const offered = Math.min(4, Math.max(2, Math.floor(cores / 2)));
    const wasm = report!.verdicts.find((v) => v.name === 'wasm')!;
    expect(wasm.threadTimes?.map((t) => t.threads)).toEqual([1, offered]);
    const fastestCount = wasm.threadTimes!.reduce((a, b) => (b.msPerStep < a.msPerStep ? b : a)).threads;
    expect(wasm.threads).toBe(fastestCount);
    const other = fastestCount === 1 ? `${offered} threads` : '1 thread';
    await expect(page.getByTestId('backend-option-wasm')).toContainText(new RegExp(`\\(${other}: [\\d,]+ tokens/s\\)`));
    if (picked === 'wasm') {
      // The worker really runs the count it picked: its wasm instance reports that pool size.
      expect(s.verdicts.find((v) => v.name === 'wasm')?.threads).toBe(fastestCount);
      await expect(page.getByTestId('backend-name')).toHaveText(
        `wasm · ${fastestCount} thread${fastestCount === 1 ? '' : 's'}`,
      );
    }
    await page.locator('.backend-status').screenshot({ path: test.info().outputPath('backend-status.png') });
    console.log(await page.getByTestId('backend-select').locator('option').allTextContents());

    const bench = JSON.parse(readFileSync('bench/app-results.json', 'utf8')) as {
      rows: { model: string; backend: string; verified: boolean; tokensPerSec: number | null }[];
    };
    const gpt = bench.rows.filter((r) => r.model === 'mini-gpt' && r.verified && r.tokensPerSec);
    const fastest = gpt.reduce((a, b) => (b.tokensPerSec! > a.tokensPerSec! ? b : a));
    // The bench names wasm by its thread count ("wasm-2t"); the app's pick is "wasm" at the count it timed fastest.
    const threads = report!.verdicts.find((v) => v.name === 'wasm')?.threads;
    const pickedName = picked === 'wasm' ? `wasm-${threads}t` : picked;
    const pickedRow = gpt.find((r) => r.backend === pickedName);
    expect(pickedRow, `bench:app has no verified ${picked} row`).toBeDefined();
    expect(pickedRow!.tokensPerSec!).toBeGreaterThanOrEqual(0.9 * fastest.tokensPerSec!);
  });

  test('a backend made to return wrong results is refused with its reason; forcing it shows the warning', async ({
    page,
  }) => {
    test.setTimeout(420_000);
    await page.goto('/');
    await expect.poll(async () => (await backendState(page)).isStarting, { timeout: 60_000 }).toBe(false);
    await page.evaluate(() => window.__wordloom?.corruptBackend('webgl'));
    await openTemplate(page, 'bow-classifier');
    await setUp(page, { dataset: 'sentiment', tokenizer: 'word', steps: 2, batch: 16 });
    const s = await trainAndWait(page);
    const webgl = s.report?.verdicts.find((v) => v.name === 'webgl');
    expect(webgl?.verified).toBe(false);
    expect(s.report?.picked).not.toBe('webgl');
    await expect(page.getByTestId('backend-option-webgl')).toContainText('results differ from the reference');
    await expect(page.getByTestId('backend-warning')).toHaveCount(0);

    // Forced: the app trains on it, and says before training that its results are wrong.
    await page.getByTestId('backend-select').selectOption('webgl');
    await expect(page.getByTestId('backend-name')).toHaveText(/^webgl\b/, { timeout: 60_000 });
    await page.getByTestId('train-start').click();
    await expect(page.getByTestId('backend-warning')).toBeVisible({ timeout: 120_000 });
    await expect(page.getByTestId('backend-warning')).toHaveAttribute(
      'aria-label',
      /^webgl failed verification on this model \(results differ from the reference: .*\); training on it because you chose it/,
    );
    await expect(page.getByTestId('toast').filter({ hasText: 'webgl failed verification' })).toBeVisible();
  });
});
