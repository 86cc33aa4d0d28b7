/**
 * Screenshots of the annual stage summary (年度工作总结) over the demo
 * campaign: key figures, a bar per township, the township table, at phone
 * (360×740) and desktop (1280×800) size and its first printed sheet, into
 * docs/screenshots/coverage/.
 * Run: npm run build && npx tsx scripts/screenshots-stage-summary.ts
 */
import { mkdirSync } from 'node:fs';
import { ensureDemoCampaign } from '../src/server/cli/demo/campaign.ts';
import { loadDemoCounty } from '../src/server/cli/demo/load.ts';
import { DEMO_PASSWORD } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { startE2eServer } from '../test/helpers/e2e-server.ts';
import { SignInPage } from '../test/e2e/pages/SignInPage.ts';

const out = 'docs/screenshots/coverage';
mkdirSync(out, { recursive: true });
const server = await startE2eServer();
await loadDemoCounty(server.database.db, { people: 6000 });
await ensureDemoCampaign(server.app, { password: DEMO_PASSWORD });
const browser = await launchChromium();
try {
  for (const [label, viewport] of [
    ['phone', { width: 360, height: 740 }],
    ['desktop', { width: 1280, height: 800 }],
  ] as const) {
    const context = await browser.newContext({ viewport, locale: 'zh-CN', serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(server.baseUrl);
    await new SignInPage(page).signIn('supervisor', DEMO_PASSWORD);
    await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
    await page.goto(`${server.baseUrl}/reports/monthly`);
    await page.getByTestId('monthly-report').waitFor();
    await page.getByLabel('报告').selectOption({ value: '2' });
    await page.getByTestId('stage-report').waitFor();
    await page.screenshot({ path: `${out}/stage-${label}.png`, fullPage: true });
    if (label === 'desktop') {
      // The first A4 landscape sheet (1123 × 794 CSS px).
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: 1123, height: 794 });
      await page.screenshot({ path: `${out}/stage-print.png` });
    }
    await context.close();
  }
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
  await server.close();
}
