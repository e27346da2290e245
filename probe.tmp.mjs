import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', ...(process.env.EXTRA||'').split(' ').filter(Boolean)] });
const page = await browser.newPage();
page.on('console', (m) => console.log('console', m.type(), m.text().slice(0, 300)));
page.on('pageerror', (e) => console.log('pageerror', e.message));
page.on('worker', (w) => { console.log('worker', w.url()); w.on('console', (m)=>console.log('wconsole', m.text().slice(0,300))); });
await page.goto('http://localhost:4180/');
for (let i = 0; i < 20; i++) {
  await page.waitForTimeout(3000);
  const s = await page.evaluate(() => { const b = window.__wordloom?.store.getState().backend; return b && JSON.stringify({ name: b.name, isStarting: b.isStarting, isolated: b.isolated, verdicts: b.verdicts }); });
  console.log(i, s);
  if (s && !JSON.parse(s).isStarting) break;
}
await browser.close();
