/**
 * Screenshots of every screen at phone (360×740) and desktop (1280×800) size,
 * into docs/screenshots/, to look at what was built.
 * Run: npm run build && npx tsx scripts/screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { DEMO_PASSWORD } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { startE2eServer } from '../test/helpers/e2e-server.ts';

const out = 'docs/screenshots';
mkdirSync(out, { recursive: true });
const server = await startE2eServer();
const browser = await launchChromium();
try {
  for (const [label, viewport] of [
    ['phone', { width: 360, height: 740 }],
    ['desktop', { width: 1280, height: 800 }],
  ] as const) {
    const context = await browser.newContext({ viewport, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(server.baseUrl);
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await page.getByRole('button', { name: '登录' }).click();
    await page.screenshot({ path: `${out}/sign-in-errors-${label}.png`, fullPage: true });
    await page.getByLabel('用户名').fill('cadre');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.screenshot({ path: `${out}/home-cadre-${label}.png`, fullPage: true });
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
    await page.screenshot({ path: `${out}/home-cadre-offline-${label}.png`, fullPage: true });
    await context.close();
    console.log(`screenshots for ${label} in ${out}/`);
  }
} finally {
  await browser.close();
  await server.close();
}
