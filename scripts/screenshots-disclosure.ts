/**
 * Screenshots of the public disclosure page (公示) at phone (360×740) and
 * desktop (1280×800) size, and its first printed page, into docs/screenshots/disclosure/.
 * Run: npm run build && npx tsx scripts/screenshots-disclosure.ts
 */
import { mkdirSync } from 'node:fs';
import { loadDemoCounty } from '../src/server/cli/demo/load.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { startE2eServer } from '../test/helpers/e2e-server.ts';

const out = 'docs/screenshots/disclosure';
mkdirSync(out, { recursive: true });
const server = await startE2eServer();
await loadDemoCounty(server.database.db, { people: 3000 });
const browser = await launchChromium();
try {
  for (const [label, viewport] of [
    ['phone', { width: 360, height: 740 }],
    ['desktop', { width: 1280, height: 800 }],
  ] as const) {
    const context = await browser.newContext({ viewport, locale: 'zh-CN', serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/gongshi?village=421321101200`);
    await page.getByTestId('disclosure').waitFor({ timeout: 15_000 }).catch(() => undefined);
    await page.screenshot({ path: `${out}/disclosure-${label}.png`, fullPage: label === 'desktop' });
    if (label === 'desktop') {
      // The print layout, as the first A4 page would look (794 CSS px wide at 96 dpi).
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: 794, height: 1123 });
      await page.screenshot({ path: `${out}/disclosure-print.png` });
    }
    await context.close();
  }
  console.log(`screenshots in ${out}/`);
} finally {
  await browser.close();
  await server.close();
}
