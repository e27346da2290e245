import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
await page.goto('http://localhost:4180/');
await page.waitForFunction(() => window.__wordloom);
for (const threads of [2, 4, undefined]) {
  const r = await page.evaluate((threads) => new Promise((res) => {
    const w = window.__wordloom.createWorker();
    w.onmessage = (e) => { if (e.data.kind === 'backend' || e.data.kind === 'error') { res(JSON.stringify(e.data)); w.terminate(); } };
    w.postMessage(threads === undefined ? { kind: 'init', backend: 'wasm' } : { kind: 'init', backend: 'wasm', threads });
  }), threads);
  console.log(threads, r.slice(0, 600));
}
console.log(await page.evaluate(() => navigator.hardwareConcurrency));
await browser.close();
