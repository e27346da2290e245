import { webgpuLaunch } from './webgpu';
import type { CaseResult, KernelRun } from './webgpu/kernel-cases';
import { build } from 'esbuild';
import { expect, test } from '@playwright/test';

/**
 * Wordloom's webgpu kernels (core/kernels) against the cpu backend, in Chromium's software WebGPU adapter.
 * tests/e2e/webgpu/kernel-cases.ts is bundled with tf.js, tfjs-backend-webgpu and core's kernels, and served
 * under the preview server's origin (localhost is a secure context, which navigator.gpu needs). Every case must
 * match cpu (values, shapes, dtypes, gradients); the same cases on the stock kernels are attached as a report of
 * what each patch fixes. A Chromium without a WebGPU adapter fails here: the training spec depends on one.
 */

const PAGE = '/__webgpu-kernels/index.html';
const SCRIPT = '/__webgpu-kernels/cases.js';

test.use({ trace: 'off', launchOptions: webgpuLaunch() });

async function bundleCases(): Promise<string> {
  const out = await build({
    entryPoints: ['tests/e2e/webgpu/kernel-cases.ts'],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  return out.outputFiles[0].text;
}

/** One line per case; WebGPU errors once each, shortened (a failed pipeline repeats its error at every use). */
function describe(r: CaseResult): string {
  const problems = [...new Set(r.problems)].map((p) => (p.length > 140 ? `${p.slice(0, 140)}…` : p));
  const verdict = r.worst <= 1 && r.problems.length === 0 ? 'ok  ' : 'FAIL';
  const line = `${verdict} [${r.kernel}] ${r.name}: max abs diff ${r.maxAbsDiff.toExponential(2)}`;
  return problems.length ? `${line}\n       ${problems.slice(0, 3).join('\n       ')}` : line;
}

test('webgpu kernels Wordloom patches match the cpu backend, values and gradients', async ({ page }, info) => {
  test.setTimeout(180_000);
  const script = await bundleCases();
  await page.route(`**${SCRIPT}`, (route) => route.fulfill({ contentType: 'text/javascript', body: script }));
  await page.route(`**${PAGE}`, (route) =>
    route.fulfill({ contentType: 'text/html', body: `<!doctype html><script type="module" src="${SCRIPT}"></script>` }),
  );
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(PAGE);
  await page.waitForFunction(() => window.__webgpuKernels !== undefined);
  const result: KernelRun = await page.evaluate(() => window.__webgpuKernels!.run());

  expect(result.adapter, 'no WebGPU adapter: Chromium gave none with the flags in tests/e2e/webgpu.ts').not.toBeNull();
  const report = [
    `adapter: ${result.adapter}`,
    'patched kernels:',
    ...result.patched.map(describe),
    'stock tf.js 4.22 kernels (for the record):',
    ...result.stock.map(describe),
  ].join('\n');
  await info.attach('webgpu-kernels', { body: report, contentType: 'text/plain' });
  console.log(report);

  expect(pageErrors).toEqual([]);
  expect(result.patched.length).toBeGreaterThan(10);
  const failed = result.patched.filter((r) => r.worst > 1 || r.problems.length > 0).map(describe);
  expect(failed, report).toEqual([]);
});
