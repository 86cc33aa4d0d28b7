/**
 * Screenshots of the field-usability screens (issue 11) at phone (360×740)
 * and desktop (1280×800) size into docs/screenshots/field/: the one-tap
 * answers, the problem code picker, the submit confirmation, the sync
 * screen's uploads, the household states, the supervisor's whole form.
 * Run: npm run build && npx tsx scripts/screenshots-field.ts
 */
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { PullResponseSchema } from '../src/shared/schemas/sync.ts';
import { loadDemoCounty } from '../src/server/cli/demo/load.ts';
import { DEMO_PASSWORD, signIn } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { startE2eServer } from '../test/helpers/e2e-server.ts';
import { checkFormBody } from '../test/fixtures/check-form.ts';
import { CheckFormPage, waitForAreaDownload } from '../test/e2e/pages/CheckFormPage.ts';
import { SignInPage } from '../test/e2e/pages/SignInPage.ts';

const out = 'docs/screenshots/field';
mkdirSync(out, { recursive: true });
const server = await startE2eServer();
await loadDemoCounty(server.database.db, { people: 3000 });
const cadreCookie = await signIn(server.app, 'cadre');
const pull = z.parse(PullResponseSchema, (await server.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: cadreCookie } })).json()).changes;
const withLines = new Set(pull.paymentLine.map((l) => l.householdId));
// One household per size: the phone run submits its household.
const targets = pull.household.filter((h) => withLines.has(h.id)).slice(0, 2);
// One form already synced, for the supervisor's screens.
const syncedId = randomUUID();
await server.app.inject({
  method: 'POST',
  url: '/api/sync/push',
  headers: { cookie: cadreCookie },
  payload: { deviceId: randomUUID(), appVersion: 'shots', mutations: [{ id: randomUUID(), counter: 1, kind: 'form.put', formId: syncedId, baseRev: 0, body: checkFormBody(pull.household.at(-1)!), blobs: [], clientTime: new Date().toISOString() }] },
});
const browser = await launchChromium();
try {
  for (const [label, viewport] of [
    ['phone', { width: 360, height: 740 }],
    ['desktop', { width: 1280, height: 800 }],
  ] as const) {
    const context = await browser.newContext({ viewport, locale: 'zh-CN', serviceWorkers: 'block', hasTouch: label === 'phone' });
    const page = await context.newPage();
    const shot = (name: string, fullPage = false) => page.screenshot({ path: `${out}/${name}-${label}.png`, fullPage });
    await page.goto(server.baseUrl);
    await new SignInPage(page).signIn('cadre', DEMO_PASSWORD);
    await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
    await waitForAreaDownload(page);
    const form = new CheckFormPage(page);
    await form.goto(server.baseUrl, targets[label === 'phone' ? 0 : 1]!.id);
    await shot('form-household');
    await form.openSection('家庭成员');
    await page.getByRole('button', { name: /全部在场、身份一致/ }).click();
    await shot('form-members-all-present');
    await form.openSection('补贴项目');
    await page.locator('button.btn-quick').first().click();
    await shot('form-items-as-ledger', true);
    await form.openSection('发现问题');
    await page.getByRole('button', { name: /登记一个问题/ }).click();
    await shot('form-problem-code-picker', true);
    await page.getByRole('button', { name: '取消' }).click();
    // Submit as not found, to reach the confirmation quickly.
    await form.openSection('本户情况');
    await form.choose(page, '入户情况', '找不到');
    await page.getByLabel('原因和经过').fill('全家外出务工');
    await form.next();
    await page.getByRole('button', { name: '提交', exact: true }).first().click();
    await page.getByRole('status').filter({ hasText: '本户已提交' }).waitFor();
    await shot('form-submitted');
    await page.goto(`${server.baseUrl}/sync`);
    await page.getByRole('button', { name: '立即同步' }).click();
    await page.getByText(/已上传，待审核/).first().waitFor({ timeout: 30_000 });
    await shot('sync-uploaded', true);
    await page.goto(`${server.baseUrl}/households`);
    await page.locator('.badge').first().waitFor();
    await shot('households-states');
    await context.close();

    const sup = await browser.newContext({ viewport, locale: 'zh-CN', serviceWorkers: 'block' });
    const sp = await sup.newPage();
    await sp.goto(server.baseUrl);
    await new SignInPage(sp).signIn('supervisor', DEMO_PASSWORD);
    await sp.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
    await sp.goto(`${server.baseUrl}/review`);
    await sp.getByRole('heading', { name: '设备状态' }).waitFor();
    await sp.screenshot({ path: `${out}/review-list-devices-${label}.png`, fullPage: true });
    await sp.goto(`${server.baseUrl}/review/${syncedId}`);
    await sp.getByRole('heading', { name: '审核', exact: true }).waitFor();
    await sp.screenshot({ path: `${out}/review-detail-${label}.png`, fullPage: true });
    await sup.close();
    console.log(`screenshots for ${label} in ${out}/`);
  }
} finally {
  await browser.close();
  await server.close();
}
