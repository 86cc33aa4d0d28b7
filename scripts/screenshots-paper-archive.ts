/**
 * Screenshots of the paper archive (资料留存): a household's printed form and
 * the printed ledger, at phone (360×740) and desktop (1280×800) size, and
 * their first printed page, into docs/screenshots/paper-archive/.
 * Run: npm run build && npx tsx scripts/screenshots-paper-archive.ts
 */
import { mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { ensureDemoCampaign } from '../src/server/cli/demo/campaign.ts';
import { loadDemoCounty } from '../src/server/cli/demo/load.ts';
import { rowsOf } from '../src/server/db/client.ts';
import { DEMO_PASSWORD } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { startE2eServer } from '../test/helpers/e2e-server.ts';
import { SignInPage } from '../test/e2e/pages/SignInPage.ts';

const out = 'docs/screenshots/paper-archive';
mkdirSync(out, { recursive: true });
const server = await startE2eServer();
await loadDemoCounty(server.database.db, { people: 2000 });
await ensureDemoCampaign(server.app, { password: DEMO_PASSWORD });
const [form] = rowsOf<{ id: string }>(
  await server.database.db.execute(sql`
    select id::text as id from check_forms
    where kind = 'cadre' and body -> 'evidence' ->> 'signatureBlob' is not null and jsonb_array_length(body -> 'problems') > 0
    order by jsonb_array_length(body -> 'items') desc, id limit 1`),
);
if (!form) throw new Error('no form with a signature and a problem in the demo campaign');
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

    await page.goto(`${server.baseUrl}/review/${form.id}/print`);
    const signature = page.getByRole('img', { name: '户主（家庭成员）签名' });
    await signature.waitFor();
    await signature.evaluate((img: HTMLImageElement) => img.decode());
    await page.screenshot({ path: `${out}/form-${label}.png`, fullPage: label === 'desktop' });
    if (label === 'desktop') {
      // The first A4 portrait sheet as it prints (794 CSS px wide at 96 dpi).
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: 794, height: 1123 });
      await page.screenshot({ path: `${out}/form-print.png` });
      await page.emulateMedia({ media: 'screen' });
      await page.setViewportSize(viewport);
    }

    await page.goto(`${server.baseUrl}/ledger/print`);
    await page.getByTestId('ledger-print-summary').waitFor();
    await page.screenshot({ path: `${out}/ledger-${label}.png` });
    if (label === 'desktop') {
      // The first A4 landscape sheet (1123 × 794 CSS px).
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: 1123, height: 794 });
      await page.screenshot({ path: `${out}/ledger-print.png` });
    }
    await context.close();
  }
  console.log(`screenshots in ${out}/`);
} finally {
  await browser.close();
  await server.close();
}
