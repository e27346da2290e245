import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
page.on('request', (r) => { if (r.url().includes('.wasm')) console.log('req', r.url()); });
page.on('worker', (w) => { w.on('console', (m)=>console.log('wconsole', w.url().slice(0,40), m.text().slice(0,200))); });
await page.goto('http://localhost:4180/');
await page.waitForFunction(() => window.__wordloom);
const r = await page.evaluate(() => new Promise((res) => {
    const w = window.__wordloom.createWorker();
    w.onmessage = (e) => { if (e.data.kind === 'backend' || e.data.kind === 'error') { res(JSON.stringify(e.data.verdicts?.[2])); } };
    w.postMessage({ kind: 'init', backend: 'wasm', threads: 2 });
}));
console.log(r);
await page.waitForTimeout(2000);
await browser.close();
