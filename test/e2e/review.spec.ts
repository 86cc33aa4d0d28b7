import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { sql } from 'drizzle-orm';
import { maskCitizenId } from '#shared/domain/mask.ts';
import { PullResponseSchema } from '#shared/schemas/sync.ts';
import { rowsOf } from '#server/db/client.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { DEMO_PASSWORD, signIn } from '#test/helpers/app.ts';
import { seriousA11yViolations } from '#test/helpers/axe.ts';
import { launchChromium } from '#test/helpers/browser.ts';
import { startE2eServer } from '#test/helpers/e2e-server.ts';
import { checkFormBody } from '#test/fixtures/check-form.ts';
import { waitForAreaDownload } from './pages/CheckFormPage.ts';
import { SignInPage } from './pages/SignInPage.ts';

let server: Awaited<ReturnType<typeof startE2eServer>>;
let browser: Browser;
const formId = randomUUID();
let householdId: string;

beforeAll(async () => {
  server = await startE2eServer();
  await loadDemoCounty(server.database.db, { people: 1200 });
  // A cadre's device pushes one form.
  const cadre = await signIn(server.app, 'cadre');
  const page = z.parse(PullResponseSchema, (await server.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: cadre } })).json());
  const h = page.changes.household[0]!;
  householdId = h.id;
  const res = await server.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: { cookie: cadre },
    payload: { deviceId: randomUUID(), appVersion: 'e2e', mutations: [{ id: randomUUID(), counter: 1, kind: 'form.put', formId, baseRev: 0, body: checkFormBody(h), blobs: [], clientTime: new Date().toISOString() }] },
  });
  expect(res.json<{ results: { status: string }[] }>().results[0]?.status).toBe('applied');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
  await server.close();
});

async function signedIn(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(server.baseUrl);
  await new SignInPage(page).signIn('supervisor', DEMO_PASSWORD);
  await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
  return page;
}

describe('supervisor review', () => {
  it('lists the synced form, returns it with a comment, and the server records it', async () => {
    const page = await signedIn({ width: 360, height: 740 });
    await page.goto(`${server.baseUrl}/review`);
    await page.getByRole('heading', { level: 1, name: '审核核查表' }).waitFor();
    const item = page.locator(`a[href="/review/${formId}"]`);
    await item.waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await item.click();
    await page.getByRole('heading', { name: '审核' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    const returnButton = page.getByRole('button', { name: '退回修改' });
    expect(await returnButton.isDisabled()).toBe(true);
    await page.getByLabel(/^意见（/).fill('缺少户主签名，请补签');
    await page.getByLabel(/意见针对的部分/).selectOption({ label: '当面核实' });
    await returnButton.click();
    await page.getByRole('status').filter({ hasText: '已处理' }).waitFor();
    await expect.poll(async () => (await page.locator('main > p.muted').first().textContent()) ?? '').toContain('已退回');
    // Not offered for acceptance until the cadre sends the corrected version.
    await page.getByText('已退回，待填表人修改后重新提交，才能审核通过。').waitFor();
    expect(await page.getByRole('button', { name: '审核通过' }).count()).toBe(0);
    // The whole form is on the screen: household answers, accounts, publicity.
    for (const title of ['本户情况', '家庭成员', '补贴项目', '一卡通账户', '公示', '发现的问题', '当面核实']) {
      await page.getByRole('heading', { level: 2, name: title, exact: true }).waitFor();
    }

    const sup = await signIn(server.app, 'supervisor');
    const detail = await server.app.inject({ method: 'GET', url: `/api/forms/${formId}`, headers: { cookie: sup } });
    expect(detail.json<{ form: { reviewStatus: string; reviewComment: string } }>().form).toMatchObject({ reviewStatus: 'returned', reviewComment: '缺少户主签名，请补签' });
    await page.context().close();

    // The cadre's phone: the returned form opens at the section the comment is about.
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN', serviceWorkers: 'block' });
    try {
      const cadrePage = await phone.newPage();
      await cadrePage.goto(server.baseUrl);
      await new SignInPage(cadrePage).signIn('cadre', DEMO_PASSWORD);
      await cadrePage.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
      await waitForAreaDownload(cadrePage);
      await cadrePage.goto(`${server.baseUrl}/households/${encodeURIComponent(householdId)}/form`);
      await cadrePage.getByRole('heading', { level: 1, name: '当面核实' }).waitFor();
      await cadrePage.getByText('审核意见：缺少户主签名，请补签').waitFor();
    } finally {
      await phone.close();
    }
  });

  it('shows numbers masked, and one in full only with a reason, which the audit log records', async () => {
    const page = await signedIn({ width: 1280, height: 800 });
    await page.goto(`${server.baseUrl}/review/${formId}`);
    const members = page.locator('section[aria-labelledby="members-title"]');
    await members.getByRole('heading', { level: 2, name: '家庭成员' }).waitFor();
    const head = rowsOf<{ id: string }>(await server.database.db.execute(sql`select head_person_id as id from households where id = ${householdId}`))[0]!.id;
    // Masked by default: the page holds no full citizen ID at all.
    await members.getByText(maskCitizenId(head)).waitFor();
    expect(await page.content()).not.toMatch(/\d{17}[\dX]/);
    await members.getByRole('button', { name: '查看完整号码' }).click();
    const confirm = members.getByRole('button', { name: '查看', exact: true });
    expect(await confirm.isDisabled()).toBe(true);
    await members.getByLabel('查看原因（将记入审计日志）').fill('核实户主身份证号');
    await confirm.click();
    await members.getByText(`完整号码：${head}`).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await members.getByRole('button', { name: '隐藏' }).click();
    expect(await page.content()).not.toContain(head);

    const admin = await signIn(server.app, 'admin');
    const log = (await server.app.inject({ method: 'GET', url: '/api/admin/audit?action=pii.view', headers: { cookie: admin } })).json<{ entries: { username: string; details: { reason: string; formId: string } }[] }>();
    expect(log.entries[0]).toMatchObject({ username: 'supervisor', details: { reason: '核实户主身份证号', formId } });
    await page.context().close();
  });

  it('shows device status to the supervisor', async () => {
    const page = await signedIn({ width: 1280, height: 800 });
    await page.goto(`${server.baseUrl}/review`);
    await page.getByRole('heading', { name: '设备状态' }).waitFor();
    await page.getByRole('cell', { name: '李建国' }).first().waitFor();
    await page.context().close();
  });
});
