import { expect, test } from '@playwright/test';
import { CONTENT_SECURITY_POLICY } from '../../electron/csp';

test.describe('web build', () => {
  test('loads, shows Wordloom, and logs no errors', async ({ page }, testInfo) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));

    await page.goto('/');
    await expect(page).toHaveTitle('Wordloom');
    await expect(page.getByText('Wordloom', { exact: true }).first()).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('shell.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  test('enforces the production Content-Security-Policy', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByText('Wordloom', { exact: true }).first()).toBeVisible();
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta).toBe(CONTENT_SECURITY_POLICY);

    // page.evaluate itself runs through the DevTools protocol, which is exempt from CSP (so eval() there
    // proves nothing); instead the page is asked to load scripts the policy must refuse.
    const verdicts = await page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        violations.push(`${e.effectiveDirective} ${e.blockedURI}`),
      );
      const inline = document.createElement('script');
      inline.textContent = 'window.__inlineRan = true;';
      document.body.append(inline);
      const fromData = document.createElement('script');
      fromData.src = 'data:text/javascript,window.__dataRan=true';
      const dataOutcome = new Promise<string>((resolve) => {
        fromData.onload = () => resolve('loaded');
        fromData.onerror = () => resolve('blocked');
      });
      document.body.append(fromData);
      // The smallest valid module: '\0asm' + version 1. 'wasm-unsafe-eval' must allow compiling it (tf.js wasm backend).
      const wasm = await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(
        () => 'compiled',
        (e: unknown) => String(e),
      );
      const external = await fetch('https://example.com/').then(
        () => 'fetched',
        () => 'blocked',
      );
      const data = await dataOutcome;
      await new Promise((r) => setTimeout(r, 0)); // violation events are queued as tasks
      // The page carries the policy twice, as the <meta> and (like Electron's app://) as a response header: both
      // enforce it, and each reports its own violation of the same load.
      return { inlineRan: '__inlineRan' in window, data, wasm, external, violations: [...new Set(violations)].sort() };
    });
    expect(verdicts).toEqual({
      inlineRan: false,
      data: 'blocked',
      wasm: 'compiled',
      external: 'blocked',
      violations: ['connect-src https://example.com/', 'script-src-elem data', 'script-src-elem inline'],
    });
  });
});
