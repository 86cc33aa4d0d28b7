/**
 * Screenshots of the problem ledger (list and one item, with the assign step
 * open; the scan card following a scan under way) at phone (360×740) and desktop (1280×800) size, into
 * docs/screenshots/ledger/.
 * Run: npm run build && npx tsx scripts/screenshots-ledger.ts
 */
import { mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
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
    await page.goto(`${server.baseUrl}/ledger`);
    await page.getByTestId('ledger-list').locator('li').first().waitFor();
    await page.screenshot({ path: `${out}/ledger-list-${label}.png`, fullPage: false });
    await page.goto(`${server.baseUrl}/ledger/${a!.id}`);
    await page.getByTestId('ledger-state').waitFor();
    await page.getByRole('button', { name: '交办整改', exact: true }).click();
    await page.screenshot({ path: `${out}/ledger-item-${label}.png`, fullPage: true });
    await context.close();
  }
  // A scan under way: a row set to running so the picture holds still (nothing runs it).
  await server.database.db.execute(
    sql`insert into anomaly_scans (area_code, trigger, status, username, units_total, units_done, findings, started_at) values ('421321000000', 'import', 'running', 'admin', 19, 7, 23, now())`,
  );
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
    await page.goto(`${server.baseUrl}/ledger`);
    await page.getByRole('progressbar', { name: '扫描进度' }).waitFor();
    await page.screenshot({ path: `${out}/ledger-scan-running-${label}.png`, fullPage: false });
    await context.close();
  }
  console.log(`screenshots in ${out}/`);
} finally {
  await browser.close();
  await server.close();
}
