/**
 * Screenshots of the public tip-off page (举报) at phone (360×740) and desktop
 * (1280×800) size, into docs/screenshots/ledger/.
 * Run: npm run build && npx tsx scripts/screenshots-tip.ts
 */
import { mkdirSync } from 'node:fs';
import { launchChromium } from '../test/helpers/browser.ts';
import { startE2eServer } from '../test/helpers/e2e-server.ts';

const out = 'docs/screenshots/ledger';
mkdirSync(out, { recursive: true });
const server = await startE2eServer();
const browser = await launchChromium();
try {
  for (const [label, viewport] of [
    ['phone', { width: 360, height: 740 }],
    ['desktop', { width: 1280, height: 800 }],
  ] as const) {
    const context = await browser.newContext({ viewport, locale: 'zh-CN', serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/report`);
    await page.getByLabel('乡镇').selectOption({ label: '厉山镇' });
    await page.getByLabel('问题情况（请写明时间、人员、金额等）').fill('今年三月村里有人把我家的一卡通收走了，至今未还');
    await page.screenshot({ path: `${out}/tip-page-${label}.png`, fullPage: true });
    await context.close();
  }
  console.log(`screenshots in ${out}/`);
} finally {
  await browser.close();
  await server.close();
}
