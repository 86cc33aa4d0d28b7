/**
 * Screenshots of the supervisor's review screens (list and one form) at phone
 * (360×740) and desktop (1280×800) size, into docs/screenshots/review/.
 * Run: npm run build && npx tsx scripts/screenshots-review.ts
 */
import { mkdirSync } from 'node:fs';
import { loadDemoCounty } from '../src/server/cli/demo/load.ts';
import { completeFormBody, pullArea, pushForms } from '../test/fixtures/household-forms.ts';
import { DEMO_PASSWORD, signIn } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { startE2eServer } from '../test/helpers/e2e-server.ts';

const out = 'docs/screenshots/review';
mkdirSync(out, { recursive: true });
const server = await startE2eServer();
const browser = await launchChromium();
try {
  await loadDemoCounty(server.database.db, { people: 3000 });
  const cadre = await signIn(server.app, 'cadre');
  const area = await pullArea(server.app, cadre);
  const households = [...area.household].sort((a, b) => a.id.localeCompare(b.id)).slice(0, 3);
  const [formId] = await pushForms(server.app, cadre, households.map((h) => completeFormBody(area, h)));
  for (const [label, viewport] of [
    ['phone', { width: 360, height: 740 }],
    ['desktop', { width: 1280, height: 800 }],
  ] as const) {
    const context = await browser.newContext({ viewport, locale: 'zh-CN', serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(server.baseUrl);
    await page.getByLabel('用户名').fill('supervisor');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
    await page.goto(`${server.baseUrl}/review`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: `${out}/review-list-${label}.png`, fullPage: true });
    await page.goto(`${server.baseUrl}/review/${formId!}`);
    await page.getByRole('heading', { level: 2, name: /补贴/ }).first().waitFor();
    await page.screenshot({ path: `${out}/review-detail-${label}.png`, fullPage: true });
    // One full number, asked for with a reason.
    const members = page.locator('section[aria-labelledby="members-title"]');
    await members.getByRole('button', { name: '查看完整号码' }).first().click();
    await members.getByLabel('查看原因（将记入审计日志）').fill('核实户主身份证号');
    await members.getByRole('button', { name: '查看', exact: true }).click();
    await members.getByText(/^完整号码：/).waitFor();
    await members.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${out}/review-reveal-${label}.png`, fullPage: false });
    await context.close();
  }
  console.log(`screenshots in ${out}/`);
} finally {
  await browser.close();
  await server.close();
}
