/**
 * Screenshots of the cadre's field path around the check form: home with the
 * area download running and done, the household list, a search, and the sync
 * screen, and an inspector's township list (villages by name), at phone
 * (360×740) and desktop (1280×800) size, into
 * docs/screenshots/. A demo county is loaded and a few forms are pushed
 * (synced, one sent back, one with a member left unanswered) so every state
 * and the coverage bars show.
 * Run: npm run build && npx tsx scripts/screenshots-households.ts
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { loadDemoCounty } from '../src/server/cli/demo/load.ts';
import { DEMO_PASSWORD, signIn } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { startE2eServer } from '../test/helpers/e2e-server.ts';
import { completeFormBody, pullArea, pushForms, returnForm } from '../test/fixtures/household-forms.ts';

const out = 'docs/screenshots';
mkdirSync(out, { recursive: true });
const server = await startE2eServer();
await loadDemoCounty(server.database.db, { people: 5000 });
const cadre = await signIn(server.app, 'cadre');
const area = await pullArea(server.app, cadre);
const households = [...area.household].sort((a, b) => a.id.localeCompare(b.id));
const complete = households.slice(0, 6).map((h) => completeFormBody(area, h));
const partial = completeFormBody(area, households[6]!);
partial.members = partial.members.map((m, i) => (i === 0 ? m : { ...m, present: null, status: null }));
const ids = await pushForms(server.app, cadre, [...complete, partial]);
await returnForm(server.app, await signIn(server.app, 'supervisor'), ids[2]!, '户主签名不清楚，请补签');
const head = area.person.find((p) => p.id === households[10]!.headPersonId)!;

/** Long lists as the screen shows them (a village is thousands of pixels tall); the rest whole. */
async function shot(page: Page, name: string, fullPage = true) {
  await page.screenshot({ path: `${out}/${name}.png`, fullPage });
}

const browser = await launchChromium();
try {
  for (const [label, viewport] of [
    ['phone', { width: 360, height: 740 }],
    ['desktop', { width: 1280, height: 800 }],
  ] as const) {
    const context = await browser.newContext({ viewport, locale: 'zh-CN' });
    const page = await context.newPage();
    // Slow the download down so the progress bar can be seen.
    let slow = true;
    await page.route('**/api/sync/pull**', async (route) => {
      if (slow) await new Promise((r) => setTimeout(r, 1200));
      await route.continue();
    });
    await page.goto(server.baseUrl);
    await page.getByLabel('用户名').fill('cadre');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('progressbar', { name: '花名册下载进度' }).waitFor();
    await shot(page, `home-downloading-${label}`);
    slow = false;
    await page.getByTestId('area-state').filter({ hasText: '本机已有' }).waitFor();
    await page.getByText('最近下载').waitFor();
    await shot(page, `home-area-${label}`);

    await page.getByRole('link', { name: '入户核查' }).click();
    await page.getByTestId('household-groups').waitFor();
    await page.getByRole('progressbar', { name: '已核查户数' }).waitFor();
    await shot(page, `households-${label}`, false);
    await page.getByTestId('household-groups').scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, 220));
    await shot(page, `households-rows-${label}`, false);
    await page.evaluate(() => window.scrollTo(0, 0));

    await page.getByLabel('查找农户').fill(head.pinyinInitials);
    await page.getByTestId('search-results').locator('li').first().waitFor();
    await shot(page, `households-search-${label}`, false);
    await page.getByLabel('查找农户').fill('');

    await page.getByRole('link', { name: /同步/ }).first().click();
    await page.getByRole('heading', { level: 1, name: '同步' }).waitFor();
    await page.getByRole('heading', { name: '被退回的核查表' }).waitFor();
    await shot(page, `sync-${label}`);
    await context.close();

    // An inspector's township: the villages by name in the picker and the search results.
    const inspectorContext = await browser.newContext({ viewport, locale: 'zh-CN' });
    const inspector = await inspectorContext.newPage();
    await inspector.goto(server.baseUrl);
    await inspector.getByLabel('用户名').fill('inspector');
    await inspector.getByLabel('密码').fill(DEMO_PASSWORD);
    await inspector.getByRole('button', { name: '登录' }).click();
    await inspector.getByText('最近下载').waitFor();
    await inspector.getByRole('link', { name: '入户核查' }).click();
    await inspector.getByTestId('household-groups').waitFor();
    await inspector.getByLabel('查找农户').fill(head.pinyinInitials.slice(0, 1));
    await inspector.getByTestId('search-results').locator('li').first().waitFor();
    await shot(inspector, `households-inspector-${label}`, false);
    await inspectorContext.close();
    console.log(`screenshots for ${label} in ${out}/`);
  }
} finally {
  await browser.close();
  await server.close();
}
