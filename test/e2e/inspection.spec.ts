import { existsSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { sql } from 'drizzle-orm';
import { SampleHouseholdSchema } from '#shared/schemas/inspection.ts';
import { rowsOf } from '#server/db/client.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { DEMO_PASSWORD, signIn } from '#test/helpers/app.ts';
import { seriousA11yViolations } from '#test/helpers/axe.ts';
import { launchChromium } from '#test/helpers/browser.ts';
import { DIST_DIR, startE2eServer } from '#test/helpers/e2e-server.ts';
import { PHONE } from '#test/helpers/e2e-suite.ts';
import { expectNoSidewaysScroll } from '#test/helpers/layout.ts';
import { completeFormBody, pullArea, pushForms } from '#test/fixtures/household-forms.ts';
import { CheckFormPage, readDeviceRows, waitForAreaDownload } from './pages/CheckFormPage.ts';
import { SignInPage } from './pages/SignInPage.ts';

/**
 * A spot-check round trip (issue 14) in Chromium: the supervisor draws a
 * round on the desktop (preview, publish) and gives the cadre's village to
 * the inspector; the inspector's phone downloads only those households,
 * re-checks one offline and sends it when back online; the supervisor sees
 * the difference from the cadre's form, side by side.
 */
const VILLAGE = '421321101200';
const VILLAGE_GPS = { latitude: 31.7169, longitude: 113.3739, accuracy: 15 };

let server: Awaited<ReturnType<typeof startE2eServer>>;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!existsSync(join(DIST_DIR, 'sw.js'))) throw new Error('dist/ is missing: run `npm run build` before the e2e project');
  server = await startE2eServer();
  await loadDemoCounty(server.database.db, { people: 1500 });
  // The cadre has checked every household of the village.
  const cadre = await signIn(server.app, 'cadre');
  const area = await pullArea(server.app, cadre);
  await pushForms(server.app, cadre, area.household.map((h) => completeFormBody(area, h)));
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser.close();
  await server.close();
});

async function open(viewport: { width: number; height: number }, username: string): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', serviceWorkers: 'allow', geolocation: VILLAGE_GPS, permissions: ['geolocation'] });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(server.baseUrl);
  await new SignInPage(page).signIn(username, DEMO_PASSWORD);
  await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
  return page;
}

describe('a spot-check round', () => {
  it('is drawn and given out by the supervisor, re-checked offline by the inspector on its own households only, and compared', async () => {
    const desk = await open({ width: 1280, height: 800 }, 'supervisor');
    await desk.getByRole('link', { name: /重点抽查/ }).click();
    await desk.getByRole('heading', { level: 1, name: '重点抽查' }).waitFor();
    await desk.getByText('还没有抽查批次').waitFor();
    await desk.getByLabel('抽查范围').selectOption({ label: '厉山镇' });
    await desk.getByLabel('随机种子（公开，可复核）').fill('2026-12-03 公开抽签 第1号');
    // Every village of the township, so the cadre's village is in the sample.
    await desk.getByLabel('每个乡镇抽村比例').fill('100');
    await desk.getByLabel('问题偏少乡镇抽村比例').fill('100');
    await desk.getByRole('button', { name: '预览抽样' }).click();
    const preview = desk.getByTestId('draw-preview');
    await preview.getByText('厉山镇').first().waitFor();
    // Village by village too, against the rule.
    await desk.getByText(/^厉山镇：抽中 \d+ 个村/).click();
    await desk.getByText(/^星亮村村民委员会：抽 \d+ \/ \d+ 户（规则要求 \d+）$/).waitFor();
    await desk.getByLabel('批次名称').fill('第一批重点抽查');
    await desk.getByRole('button', { name: '发布本批次' }).click();
    await desk.waitForURL(/\/inspection\/[0-9a-f-]{36}$/);
    const roundId = desk.url().split('/').at(-1) ?? '';
    const villages = desk.getByTestId('round-villages');
    await villages.getByText('星亮村村民委员会').waitFor();
    expect(await seriousA11yViolations(desk)).toEqual([]);

    const supervisor = await signIn(server.app, 'supervisor');
    const sampled = z
      .parse(z.array(SampleHouseholdSchema), (await server.app.inject({ method: 'GET', url: `/api/inspection/rounds/${roundId}/households?village=${VILLAGE}`, headers: { cookie: supervisor } })).json())
      .map((h) => h.householdId);
    expect(sampled.length).toBeGreaterThan(0);

    await desk.getByRole('checkbox', { name: '选择 星亮村村民委员会' }).check();
    await desk.getByLabel('检查组账号').selectOption({ label: '陈思远（inspector）' });
    await desk.getByRole('button', { name: /分配所选村/ }).click();
    await desk.getByText(`已分配 ${sampled.length} 户；检查组下次同步时下载。`).waitFor();

    // The inspector's phone: only the households given to it, and no cadre's form.
    const phone = await open(PHONE, 'inspector');
    await phone.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await waitForAreaDownload(phone);
    const held = (await readDeviceRows(phone, 'households')) as { id: string }[];
    expect(held.map((h) => h.id).sort()).toEqual([...sampled].sort());
    const forms = (await readDeviceRows(phone, 'forms')) as { kind: string }[];
    expect(forms.filter((f) => f.kind === 'cadre')).toEqual([]);

    // Offline, the inspector finds nobody home: a re-check that differs from the cadre's on a key field.
    await phone.context().setOffline(true);
    const form = new CheckFormPage(phone);
    const target = sampled[0] ?? '';
    await form.goto(server.baseUrl, target);
    await form.heading().waitFor();
    await form.choose(phone, '入户情况', '找不到');
    await phone.getByLabel('原因和经过').fill('两次上门无人，邻居称全家外出务工');
    await form.next();
    await form.heading().filter({ hasText: '当面核实' }).waitFor();
    await phone.getByRole('button', { name: '提交', exact: true }).first().click();
    await expect.poll(() => form.formState().getAttribute('data-state')).toBe('ready');
    await expectNoSidewaysScroll(phone, 'inspection form');
    const stored = async () => rowsOf<{ n: number }>(await server.database.db.execute(sql`select count(*)::int as n from check_forms where kind = 'inspection' and household_id = ${target}`))[0]?.n;
    expect(await stored()).toBe(0);
    await phone.context().setOffline(false);
    await expect.poll(stored, { timeout: 60_000 }).toBe(1);
    // The phone recorded the visit: opened, submitted, where (the browser's position), time per section.
    const [sent] = rowsOf<{ visit: { openedAt: string | null; submittedAt: string | null; gpsOpen: { lat: number } | null; gpsSubmit: { lat: number } | null; activeSeconds: Record<string, number> } | null }>(
      await server.database.db.execute(sql`select body->'visit' as visit from check_forms where kind = 'inspection' and household_id = ${target}`),
    );
    expect(sent?.visit?.openedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(Date.parse(sent?.visit?.submittedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(sent?.visit?.openedAt ?? ''));
    expect(sent?.visit?.gpsSubmit?.lat).toBeCloseTo(VILLAGE_GPS.latitude, 4);
    expect(sent?.visit?.gpsOpen?.lat).toBeCloseTo(VILLAGE_GPS.latitude, 4);
    expect(Object.keys(sent?.visit?.activeSeconds ?? {}).length).toBeGreaterThan(0);

    // The supervisor sees the re-check and the key difference, side by side.
    await desk.reload();
    // The round as Excel: the re-checked household is marked done, the outcome among what differs.
    const download = desk.waitForEvent('download');
    await desk.getByRole('link', { name: '导出本批抽样户与比对结果（Excel）' }).click();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await (await download).path());
    const sheet = wb.worksheets[0];
    const done: string[][] = [];
    sheet?.eachRow((r, n) => {
      if (n > 1 && r.getCell(8).text === '是') done.push([r.getCell(2).text, r.getCell(15).text]);
    });
    expect(done).toEqual([['星亮村村民委员会', '核查结果']]);
    await villages.getByRole('button', { name: '星亮村村民委员会' }).click();
    const link = desk.getByTestId('sample-households').getByRole('link', { name: /项不一致/ });
    await link.waitFor();
    await link.click();
    await desk.getByRole('heading', { level: 1, name: '入户核查与复查比对' }).waitFor();
    const row = desk.getByTestId('comparison-fields').getByRole('row').filter({ hasText: '核查结果' });
    await row.getByText('已核查').waitFor();
    await row.getByText('找不到').waitFor();
    await desk.getByTestId('comparison-classes').getByText('：1 / 1 项不一致').waitFor();
    expect(await seriousA11yViolations(desk)).toEqual([]);
  });
});
