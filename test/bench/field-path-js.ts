/**
 * Benchmark: how much JavaScript (gzip) the sign-in and home screens load.
 * Target for the field path: ≤ 120 KB. Measured in real Chromium against the
 * real server: every script response from opening the app to the signed-in
 * home screen is recorded and gzipped at level 9 (what a static pre-compress
 * would ship; the server's on-the-fly compression is within a few percent).
 *
 * Run: npm run build && npx tsx test/bench/field-path-js.ts
 */
import { gzipSync } from 'node:zlib';
import { DEMO_PASSWORD } from '../helpers/app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { startE2eServer } from '../helpers/e2e-server.ts';

const TARGET_KB = 120;

const server = await startE2eServer();
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const scripts = new Map<string, { raw: number; gzip: number }>();
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (!url.pathname.endsWith('.js')) return;
    void res.body().then((body) => {
      scripts.set(url.pathname, { raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
    });
  });
  await page.goto(server.baseUrl);
  await page.getByLabel('用户名').fill('cadre');
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
  await page.waitForLoadState('networkidle');

  let raw = 0;
  let gzip = 0;
  for (const [path, s] of [...scripts].sort()) {
    raw += s.raw;
    gzip += s.gzip;
    console.log(`${path.padEnd(48)} ${(s.raw / 1024).toFixed(1).padStart(8)} KB raw ${(s.gzip / 1024).toFixed(1).padStart(7)} KB gzip`);
  }
  const gzipKb = gzip / 1024;
  console.log(`${'total'.padEnd(48)} ${(raw / 1024).toFixed(1).padStart(8)} KB raw ${gzipKb.toFixed(1).padStart(7)} KB gzip (target ≤ ${TARGET_KB} KB)`);
  console.log(JSON.stringify({ bench: 'field-path-js', scripts: scripts.size, rawBytes: raw, gzipBytes: gzip, targetKb: TARGET_KB, withinTarget: gzipKb <= TARGET_KB }));
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
