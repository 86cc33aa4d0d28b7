import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { LedgerItemDetailSchema, LedgerPageSchema, TipReceiptSchema } from '#shared/schemas/ledger.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { DEMO_PASSWORD, signIn } from '#test/helpers/app.ts';
import { expectNoSidewaysScroll } from '#test/helpers/layout.ts';
import { seriousA11yViolations } from '#test/helpers/axe.ts';
import { e2eSuite } from '#test/helpers/e2e-suite.ts';
import { HomePage } from './pages/HomePage.ts';
import { SignInPage } from './pages/SignInPage.ts';

/**
 * Rectification from the field (issue 13, item 3), in Chromium at 360×740:
 * an item assigned to the cadre's village reaches the phone with its sync;
 * offline, the cadre starts it and sends the evidence (a photo and a note),
 * which wait on the phone; back online, the next sync takes both steps on
 * the server, with the photo, once.
 */
let itemId = '';
let county = '';

const e2e = e2eSuite({
  serviceWorkers: 'allow',
  setup: async (server) => {
    await loadDemoCounty(server.database.db, { people: 1500 });
    county = await signIn(server.app, 'supervisor');
    const tip = await server.app.inject({ method: 'POST', url: '/api/ledger/tips', headers: { cookie: county }, payload: { kind: 'card-held', areaCode: '421321101200', description: '村民反映：一卡通由村干部保管，补贴被代领' } });
    const { number } = z.parse(TipReceiptSchema, tip.json());
    const page = z.parse(LedgerPageSchema, (await server.app.inject({ method: 'GET', url: '/api/ledger?limit=50', headers: { cookie: county } })).json());
    const item = page.items.find((i) => i.number === number);
    if (!item) throw new Error('the tip is not on the ledger');
    itemId = item.id;
    for (const payload of [{ kind: 'confirm' }, { kind: 'assign', assignment: { unit: '星亮村委会', person: '村支书', measure: '收回村干部保管的一卡通，交还本人', deadline: '2099-05-31' } }]) {
      const res = await server.app.inject({ method: 'POST', url: `/api/ledger/${item.id}/actions`, headers: { cookie: county }, payload });
      if (res.statusCode !== 200) throw new Error(`${payload.kind}: ${res.statusCode} ${res.body}`);
    }
  },
});

const serverItem = async () =>
  z.parse(LedgerItemDetailSchema, (await e2e.server.app.inject({ method: 'GET', url: `/api/ledger/${itemId}`, headers: { cookie: county } })).json());

describe('rectification from the field', () => {
  it('a cadre starts an assigned item and sends a photo as evidence offline; the next sync takes both steps once', async () => {
    const page = e2e.page;
    await page.goto(e2e.server.baseUrl);
    await new SignInPage(page).signIn('cadre', DEMO_PASSWORD);
    await new HomePage(page).greeting().waitFor();
    // The first sync brings the village's tasks with the area.
    const tasksLink = page.getByRole('link', { name: '整改任务（1 项待办）' });
    await tasksLink.waitFor({ timeout: 60_000 });
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });

    await e2e.context.setOffline(true);
    await tasksLink.click();
    await page.getByRole('heading', { level: 1, name: '整改任务' }).waitFor();
    const card = page.getByTestId('ledger-tasks').locator('li').first();
    await card.getByText('已交办').waitFor();
    await card.getByText('星亮村委会 · 村支书 · 时限 2099-05-31').waitFor();

    await card.getByRole('button', { name: '开始整改' }).click();
    await card.getByText('1 项待发送').waitFor();
    await card.getByText('整改中').waitFor();

    await card.getByRole('button', { name: '提交整改材料' }).click();
    const send = card.getByRole('button', { name: '确认：提交整改材料' });
    expect(await send.isDisabled()).toBe(true);
    const picture = await page.screenshot({ type: 'png' });
    await card.getByLabel(/^整改照片/).setInputFiles({ name: 'IMG_0003.png', mimeType: 'image/png', buffer: picture });
    await card.getByLabel('整改情况（有照片时可不填）').fill('一卡通已收回，当面交还本人');
    await send.click();
    await card.getByText('2 项待发送').waitFor();
    await card.getByText('已报整改材料').waitFor();
    await card.getByRole('status').filter({ hasText: '已保存在本机，联网后自动发送。' }).waitFor();
    await expectNoSidewaysScroll(page, 'rectification tasks');
    expect(await seriousA11yViolations(page)).toEqual([]);
    // Nothing reached the server while offline.
    expect((await serverItem()).item.state).toBe('assigned');

    // A signal: the runner sends both steps, in order, with the photo.
    await e2e.context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect.poll(async () => (await serverItem()).item.state, { timeout: 60_000 }).toBe('evidence-submitted');
    const detail = await serverItem();
    expect(detail.history.slice(-3).map((h) => [h.action, h.username, h.comment])).toEqual([
      ['assign', 'supervisor', null],
      ['start', 'cadre', null],
      ['submit-evidence', 'cadre', '一卡通已收回，当面交还本人'],
    ]);
    expect(detail.evidence).toHaveLength(1);
    const photo = await e2e.server.app.inject({ method: 'GET', url: `/api/blobs/${detail.evidence[0]?.sha256 ?? ''}`, headers: { cookie: county } });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toMatch(/^image\//);
    await card.getByText(/项待发送/).waitFor({ state: 'detached' });
    await card.getByText('已报整改材料').waitFor();
  });
});
