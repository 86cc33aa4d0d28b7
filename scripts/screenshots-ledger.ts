/**
 * Screenshots of the problem ledger (list and one item, with the assign step
 * open; the scan card following a scan under way) at phone (360×740) and desktop (1280×800) size, into
 * docs/screenshots/ledger/.
 * Run: npm run build && npx tsx scripts/screenshots-ledger.ts
 */
import { mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { loadDemoCounty } from '../src/server/cli/demo/load.ts';
import { DEMO_PASSWORD, signIn } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { startE2eServer } from '../test/helpers/e2e-server.ts';

const out = 'docs/screenshots/ledger';
mkdirSync(out, { recursive: true });
const server = await startE2eServer();
const browser = await launchChromium();
try {
  await loadDemoCounty(server.database.db, { seed: 20220, people: 3000 });
  const supervisor = await signIn(server.app, 'supervisor');
  await server.app.inject({ method: 'POST', url: '/api/ledger/scan', headers: { cookie: supervisor } });
  await server.app.scans.idle();
  // A few items moved on, one of them overdue, so the list shows the states.
  const page1 = (await server.app.inject({ method: 'GET', url: '/api/ledger?limit=6', headers: { cookie: supervisor } })).json<{ items: { id: string }[] }>();
  const [a, b, c] = page1.items;
  const act = (id: string, payload: object) => server.app.inject({ method: 'POST', url: `/api/ledger/${id}/actions`, headers: { cookie: supervisor }, payload });
  for (const item of [a, b, c]) if (item) await act(item.id, { kind: 'confirm' });
  if (b) await act(b.id, { kind: 'assign', assignment: { unit: '厉山镇民政办', person: '王建华', measure: '核实后停发并追回', deadline: '2099-01-31' } });
  const VIEWPORTS = [
    ['phone', { width: 360, height: 740 }],
    ['desktop', { width: 1280, height: 800 }],
  ] as const;
  /** A signed-in user's page at each size (the supervisor unless named), then `shoot` on it. */
  const atEachSize = async (shoot: (page: Page, label: string) => Promise<void>, username = 'supervisor') => {
    for (const [label, viewport] of VIEWPORTS) {
      const context = await browser.newContext({ viewport, locale: 'zh-CN', serviceWorkers: 'block' });
      const page = await context.newPage();
      await page.goto(server.baseUrl);
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
      await shoot(page, label);
      await context.close();
    }
  };
  await atEachSize(async (page, label) => {
    await page.goto(`${server.baseUrl}/ledger`);
    await page.getByTestId('ledger-list').locator('li').first().waitFor();
    await page.screenshot({ path: `${out}/ledger-list-${label}.png`, fullPage: false });
    await page.goto(`${server.baseUrl}/ledger/${a!.id}`);
    await page.getByTestId('ledger-state').waitFor();
    await page.getByRole('button', { name: '交办整改', exact: true }).click();
    await page.screenshot({ path: `${out}/ledger-item-${label}.png`, fullPage: true });
  });
  // A scan under way: a row set to running so the picture holds still (nothing runs it).
  await server.database.db.execute(
    sql`insert into anomaly_scans (area_code, trigger, status, username, units_total, units_done, findings, started_at) values ('421321000000', 'import', 'running', 'admin', 19, 7, 23, now())`,
  );
  await atEachSize(async (page, label) => {
    await page.goto(`${server.baseUrl}/ledger`);
    await page.getByRole('progressbar', { name: '扫描进度' }).waitFor();
    await page.screenshot({ path: `${out}/ledger-scan-running-${label}.png`, fullPage: false });
  });
  // The cadre's 整改任务: two items of the village assigned, one already started.
  const tips = [
    { kind: 'card-held', description: '村民反映：一卡通由村干部保管，补贴被代领' },
    { kind: 'not-received', description: '村民反映：2024 年下半年残疾人两项补贴少发两个月' },
  ];
  const assigned: { id: string }[] = [];
  for (const tip of tips) {
    const { number } = (await server.app.inject({ method: 'POST', url: '/api/ledger/tips', headers: { cookie: supervisor }, payload: { ...tip, areaCode: '421321101200' } })).json<{ number: number }>();
    const found = (await server.app.inject({ method: 'GET', url: '/api/ledger?limit=5', headers: { cookie: supervisor } })).json<{ items: { id: string; number: number }[] }>();
    const item = found.items.find((i) => i.number === number);
    if (item) assigned.push(item);
  }
  for (const [n, item] of assigned.entries()) {
    await act(item.id, { kind: 'confirm' });
    await act(item.id, { kind: 'assign', assignment: { unit: '星亮村委会', person: '村支书', measure: n === 0 ? '停发并追回违规资金，张榜公示' : '核实后补发少发的资金', deadline: n === 0 ? '2099-01-15' : '2099-02-28' } });
  }
  const cadre = await signIn(server.app, 'cadre');
  if (assigned[1]) await server.app.inject({ method: 'POST', url: `/api/ledger/${assigned[1].id}/actions`, headers: { cookie: cadre }, payload: { kind: 'start' } });
  await atEachSize(async (page, label) => {
    await page.getByRole('link', { name: /^整改任务/ }).click();
    await page.getByTestId('ledger-tasks').locator('li').first().waitFor();
    await page.getByRole('button', { name: '提交整改材料' }).first().click();
    await page.screenshot({ path: `${out}/ledger-tasks-${label}.png`, fullPage: true });
  }, 'cadre');
  console.log(`screenshots in ${out}/`);
} finally {
  await browser.close();
  await server.close();
}
