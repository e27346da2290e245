import { chromiumLaunch } from './chromium';
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';

/**
 * Training in the app, in headless Chromium: the worker trains on the webgl backend (SwiftShader renders WebGL
 * in software here), the charts stream, the UI thread never blocks, and the trained model answers: per-token
 * predictions, attention heatmaps, generation. The run is kept with the project and comes back on reopen.
 * Set WORDLOOM_SCREENSHOTS=1 to refresh docs/training.png, predictions.png and attention.png.
 */

const SCREENSHOTS = process.env.WORDLOOM_SCREENSHOTS === '1';

declare global {
  interface Window {
    __longTasks?: { start: number; duration: number }[];
    __slowFrames?: { start: number; duration: number; scripts: string[] }[];
  }
}

/** Every main-thread task over 50 ms, from page load on (a PerformanceObserver registered before any script). */
async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks?.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    // Long animation frames name the scripts that ran in them: what a failure message shows to explain a long task.
    window.__slowFrames = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const scripts = 'scripts' in e && Array.isArray(e.scripts) ? e.scripts : [];
        window.__slowFrames?.push({
          start: e.startTime,
          duration: e.duration,
          scripts: scripts.map(
            (x: { invoker?: string; duration?: number }) => `${x.invoker} ${Math.round(x.duration ?? 0)}ms`,
          ),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  });
}

const now = (page: Page): Promise<number> => page.evaluate(() => performance.now());
/**
 * Main-thread tasks since `t0` over 100 ms (RAIL's budget for answering input). The browser's "long task" mark is
 * 50 ms, but here the worker's WebGL runs on SwiftShader, whose threads share the machine's 2 cores with the page:
 * a render that takes ~20 ms alone stretches to 50–70 ms of wall time while the software GPU holds the cores
 * (two runs of this test alone on a 2-core machine logged timer callbacks of 53–67 ms; none over 100 ms).
 */
const longTasksSince = (page: Page, t0: number): Promise<{ start: number; duration: number }[]> =>
  page.evaluate((t) => (window.__longTasks ?? []).filter((e) => e.start >= t && e.duration > 100), t0);
const slowFramesSince = (page: Page, t0: number): Promise<unknown[]> =>
  page.evaluate((t) => (window.__slowFrames ?? []).filter((e) => e.start >= t && e.duration > 50), t0);

async function openTemplate(page: Page, id: string): Promise<void> {
  await page.goto('/');
  await page.getByTestId(`template-${id}`).click();
  await expect(page.getByTestId('start-screen')).toBeHidden();
  // The dock starts folded (the canvas keeps the window); its Train tab opens it.
  await expect(page.getByTestId('training-panel')).toBeHidden();
  await page.getByTestId('dock-tab-train').click();
}

async function chooseBackend(page: Page, name: string): Promise<void> {
  await page.getByTestId('backend-select').selectOption(name);
  // The name may carry what it runs on: "webgl (SwiftShader)", "wasm · 2 threads".
  await expect(page.getByTestId('backend-name')).toHaveText(new RegExp(`^${name}\\b`), { timeout: 60_000 });
}

async function setUp(
  page: Page,
  o: { dataset: string; tokenizer: string; steps: number; batch: number; evalEvery: number },
) {
  await page.getByTestId('dataset-select').selectOption(o.dataset);
  await page.getByTestId('tokenizer-select').selectOption(o.tokenizer);
  await expect(page.getByTestId('vocab-size')).toHaveText(/^V = [\d,]+$/, { timeout: 30_000 });
  await expect(page.getByTestId('token-chip').first()).toBeVisible();
  await page.getByTestId('hp-steps').fill(String(o.steps));
  await page.getByTestId('hp-batch').fill(String(o.batch));
  await page.getByTestId('hp-eval').fill(String(o.evalEvery));
}

const stepNow = async (page: Page): Promise<number> => Number(await page.getByTestId('run-step').textContent());
const lossText = async (page: Page, id: string): Promise<number> => Number(await page.getByTestId(id).textContent());

test.describe.configure({ mode: 'serial' });
// Playwright's trace snapshots the whole DOM on the page's main thread at every action and poll; that is the
// measuring tool blocking the UI thread, not the app, so these tests run without it.
// Headless Chromium's "GPU" is SwiftShader on the same two cores: the page's own canvas and raster work is kept off
// it, so the charts do not queue behind the worker's emulated WebGL (a real GPU has no such queue).
test.use({
  trace: 'off',
  viewport: { width: 1440, height: 900 },
  launchOptions: chromiumLaunch(['--disable-accelerated-2d-canvas', '--disable-gpu-rasterization']),
});

test.describe('training in the app', () => {
  test('mini GPT learns Shakespeare on webgl: live charts, pause/resume, predictions, attention, generation, reopen', async ({
    page,
  }) => {
    // SwiftShader's webgl on 2 shared cores: 100 steps took ~470 s here with another e2e worker running beside it;
    // 50 steps keep every check (pause/resume, evaluations, predictions, reopen) at half the CI time.
    test.setTimeout(720_000);
    await watchLongTasks(page);
    await openTemplate(page, 'mini-gpt');
    await chooseBackend(page, 'webgl');
    await setUp(page, { dataset: 'shakespeare', tokenizer: 'char', steps: 50, batch: 4, evalEvery: 10 });
    await expect(page.getByTestId('train-estimate')).toContainText('on webgl');

    const t0 = await now(page);
    await page.getByTestId('train-start').click();
    await expect(page.getByTestId('run-status')).toHaveText('Training', { timeout: 90_000 });
    await expect.poll(() => stepNow(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(8);

    // Pause: the loop stops at a step boundary and stays there; resume continues from that same step. A pause that
    // lands in step 10's validation pass (tens of seconds on SwiftShader) takes effect when that pass ends.
    await page.getByTestId('train-pause').click();
    await expect(page.getByTestId('run-status')).toHaveText('Paused', { timeout: 120_000 });
    const pausedAt = await stepNow(page);
    await expect(page.getByTestId('run-step')).toHaveText(String(pausedAt));
    await page.getByTestId('train-resume').click();
    await expect(page.getByTestId('run-status')).toHaveText('Training');
    // The next step may end in a validation pass (every 10 steps), which takes tens of seconds on SwiftShader.
    await expect.poll(() => stepNow(page), { timeout: 120_000 }).toBeGreaterThan(pausedAt);

    // Predictions on the probe text refresh at each evaluation while training goes on.
    await page.getByTestId('dock-tab-predictions').click();
    await expect(page.getByTestId('prediction-source')).toContainText('probe text', { timeout: 120_000 });
    await expect(page.getByTestId('prediction-token').first()).toBeVisible();
    await page.getByTestId('dock-tab-train').click();

    await expect(page.getByTestId('run-status')).toHaveText('Done', { timeout: 540_000 });
    expect(await longTasksSince(page, t0), JSON.stringify(await slowFramesSince(page, t0))).toEqual([]);

    await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-points', '50');
    expect(await lossText(page, 'val-last')).toBeLessThan(await lossText(page, 'val-first'));
    const steps = await page.evaluate(() => window.__wordloom?.store.getState().run?.steps.map((p) => p.step));
    expect(steps).toEqual(Array.from({ length: 50 }, (_, i) => i + 1)); // no step lost or repeated across the pause
    await page.getByTestId('dataset-select').scrollIntoViewIfNeeded();
    if (SCREENSHOTS) await page.screenshot({ path: 'docs/training.png' });

    await page.getByTestId('dock-tab-predictions').click();
    await page.getByTestId('predict-input').fill('ROMEO:');
    await expect(page.getByTestId('prediction-token')).toHaveCount(6);
    await expect(page.getByTestId('topk-row')).toHaveCount(5);
    await expect(page.getByTestId('position-loss')).toBeVisible();
    await page.getByTestId('prediction-token').nth(2).click();
    await expect(page.getByTestId('topk')).toContainText('ROM');
    const verse = 'ROMEO: But soft, what light through yonder window breaks?';
    await page.getByTestId('predict-input').fill(verse);
    await expect(page.getByTestId('prediction-token')).toHaveCount(verse.length);
    await page.getByTestId('prediction-token').nth(14).click();
    await expect(page.getByTestId('topk')).toContainText('soft');
    if (SCREENSHOTS) await page.screenshot({ path: 'docs/predictions.png' });

    await page.getByTestId('dock-tab-attention').click();
    await expect(page.getByTestId('attention-heatmap')).toBeVisible();
    await expect(page.getByTestId('attention-head-3')).toBeVisible();
    await page.getByTestId('attention-token').nth(5).hover();
    await expect(page.getByTestId('attention-token').first()).toHaveAttribute('style', /background/);
    // A new text redraws the maps: one row and column per character.
    const line = 'ROMEO: But soft, what light';
    await page.getByTestId('attention-input').fill(line);
    await expect(page.getByTestId('attention-token')).toHaveCount(line.length);
    await page.getByTestId('attention-head-2').click();
    await page
      .getByTestId('attention-token')
      .nth(line.length - 1)
      .hover();
    if (SCREENSHOTS) await page.screenshot({ path: 'docs/attention.png' });

    await page.getByTestId('dock-tab-generate').click();
    await page.getByTestId('generate-prompt').fill('ROMEO:');
    await page.getByTestId('generate-btn').click();
    await expect(page.getByTestId('generate-btn')).toHaveText('Generate', { timeout: 60_000 });
    await expect
      .poll(async () => (await page.getByTestId('generate-output').textContent())?.length ?? 0)
      .toBeGreaterThan(40);

    // The run is kept with the project: curves in the file, weights in IndexedDB; reopening brings both back.
    await page.getByTestId('dock-tab-train').click();
    await expect(page.getByTestId('run-kept')).toBeVisible();
    const download = page.waitForEvent('download');
    await page.keyboard.press('Control+s');
    const text = await readFile(await (await download).path(), 'utf8');
    const project = JSON.parse(text);
    expect(project.runs).toHaveLength(1);
    expect(project.runs[0].metrics.steps).toHaveLength(50);
    expect(project.runs[0].weightsRef).toMatch(/^indexeddb:/);

    await page.reload();
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('start-open').click();
    await (
      await chooser
    ).setFiles({ name: 'gpt.wordloom.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-points', '50');
    await page.getByTestId('dock-tab-predictions').click();
    await expect(page.getByTestId('prediction-token').first()).toBeVisible(); // the saved probe, before weights load
    await page.getByTestId('predict-input').fill('ROMEO:');
    await expect(page.getByTestId('topk-row')).toHaveCount(5, { timeout: 60_000 });
  });

  test('bag-of-words classifier on sentiment shows class probabilities and token weights', async ({ page }) => {
    test.setTimeout(240_000);
    await openTemplate(page, 'bow-classifier');
    await setUp(page, { dataset: 'sentiment', tokenizer: 'word', steps: 60, batch: 16, evalEvery: 20 });
    await page.getByTestId('train-start').click();
    await expect(page.getByTestId('run-status')).toHaveText('Done', { timeout: 180_000 });
    await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-points', '60');
    await page.getByTestId('dock-tab-predictions').click();
    await page.getByTestId('predict-input').fill('a wonderful , great movie');
    await expect(page.getByTestId('class-probs')).toBeVisible();
    await expect(page.getByTestId('token-weight')).toHaveCount(5);
    await expect(page.getByTestId('token-weight').first()).toHaveAttribute('data-weight', /\d/);
  });

  test('LSTM tagger on POS tags each word with a confidence', async ({ page }) => {
    test.setTimeout(240_000);
    await openTemplate(page, 'lstm-tagger');
    // A recurrent net runs step by step through T: many tiny kernels, which wasm runs far faster than emulated WebGL.
    await chooseBackend(page, 'wasm');
    await setUp(page, { dataset: 'pos', tokenizer: 'word', steps: 30, batch: 16, evalEvery: 15 });
    await page.getByTestId('train-start').click();
    await expect(page.getByTestId('run-status')).toHaveText('Done', { timeout: 180_000 });
    await page.getByTestId('dock-tab-predictions').click();
    await page.getByTestId('predict-input').fill('the dog runs home');
    await expect(page.getByTestId('prediction-tag')).toHaveCount(4);
    await expect(page.getByTestId('prediction-tag').first()).toContainText(/[A-Z]+ \d+%/);
  });
});
