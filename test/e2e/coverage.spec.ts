import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { demoAreas } from '#server/cli/demo-data.ts';
import { rowsOf } from '#server/db/client.ts';
import { DEMO_PASSWORD } from '#test/helpers/app.ts';
import { seriousA11yViolations } from '#test/helpers/axe.ts';
import { e2eSuite } from '#test/helpers/e2e-suite.ts';
import { expectNoSidewaysScroll } from '#test/helpers/layout.ts';
import { checkFormBody } from '#test/fixtures/check-form.ts';
import { SignInPage } from './pages/SignInPage.ts';

/**
 * Coverage level by level (issue 15, item 1): the county's townships as bars,
 * down to a village's households and one household's form.
 */
const e2e = e2eSuite({
  serviceWorkers: 'block',
  setup: async (server) => {
    const db = server.database.db;
    await loadDemoCounty(db, { people: 2000 });
    // One household of the demo village has its cadre form (written as a sync would; the trigger counts it).
    const [h] = rowsOf<{ id: string; villageCode: string; headPersonId: string }>(
      await db.execute(sql`select id, village_code as "villageCode", head_person_id as "headPersonId" from households where village_code = ${demoAreas().village.code} order by id limit 1`),
    );
    if (!h) throw new Error('the demo village has no households');
    await db.execute(sql`insert into check_forms (id, household_id, village_code, kind, rev, body, author_user_id, device_id)
      select gen_random_uuid(), ${h.id}, ${h.villageCode}, 'cadre', 1, ${JSON.stringify(checkFormBody(h))}::jsonb, id, 'e2e' from users where username = 'cadre'`);
  },
});

describe('coverage', () => {
  it('goes from the county to a township, a village and a household form, on a phone', async () => {
    const page = e2e.page;
    const { county, township, village } = demoAreas();
    await page.goto(e2e.server.baseUrl);
    await new SignInPage(page).signIn('supervisor', DEMO_PASSWORD);
    await page.getByRole('link', { name: /^核查覆盖/ }).click();
    await page.getByRole('heading', { level: 1, name: `核查覆盖 · ${county.name}` }).waitFor();
    const summary = page.getByTestId('coverage-summary');
    expect(await summary.getByRole('progressbar', { name: '已入户核查的户' }).getAttribute('aria-valuenow')).toBe('1');
    const bars = page.getByTestId('coverage-children');
    expect(await bars.locator('li').count()).toBeGreaterThan(5);
    await expectNoSidewaysScroll(page, 'coverage of the county');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The county's forms as an Excel file, downloaded by the browser: one household, its ID masked.
    const download = page.waitForEvent('download');
    await summary.getByRole('link', { name: '核查表 Excel' }).click();
    const file = await (await download).path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const sheet = wb.worksheets[0];
    expect(sheet?.rowCount).toBe(2);
    expect(sheet?.getRow(2).getCell(6).text).toMatch(/^\d{4}\*{10}\d{3}[\dX]$/);

    // Coverage as CSV: UTF-8 with a BOM, one line per village of the county; the demo village has its one household.
    const csvDownload = page.waitForEvent('download');
    await summary.getByRole('link', { name: '覆盖情况 CSV' }).click();
    const csv = await readFile(await (await csvDownload).path());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).trim().split(/\r?\n/);
    expect(lines.length).toBeGreaterThan(20);
    const villageLine = lines.find((l) => l.split(',')[2] === village.code)?.split(',');
    expect(villageLine?.slice(0, 2)).toEqual([township.name, village.name]);
    expect(villageLine?.[4]).toBe('1');

    await bars.getByRole('link', { name: township.name }).click();
    await page.getByRole('heading', { level: 1, name: `核查覆盖 · ${township.name}` }).waitFor();
    expect(await page.getByRole('navigation', { name: '所在层级' }).getByRole('link', { name: county.name }).count()).toBe(1);
    const row = page.getByTestId('coverage-children').locator('li').filter({ has: page.getByRole('link', { name: village.name }) });
    expect(await row.locator('.cov-detail').textContent()).toMatch(/^1\/\d+ 户/);
    // The villages no form reached are listed; the demo village is not among them.
    await page.getByText('展开名单').click();
    const zero = page.getByTestId('coverage-zero');
    expect(await zero.locator('li').count()).toBeGreaterThan(0);
    expect(await zero.getByRole('link', { name: new RegExp(`^${village.name}`) }).count()).toBe(0);

    await row.getByRole('link', { name: village.name }).click();
    await page.getByRole('heading', { level: 1, name: `核查覆盖 · ${village.name}` }).waitFor();
    const households = page.getByTestId('coverage-households');
    const items = households.locator('li');
    expect(await items.count()).toBeGreaterThan(3);
    // Not visited first; the checked household last, with a link to its form.
    expect(await items.first().textContent()).toContain('未入户');
    expect(await items.last().textContent()).toContain('已核查');
    expect(await items.last().textContent()).toContain('核查人 李建国');
    await expectNoSidewaysScroll(page, 'coverage of a village');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await items.last().getByRole('link').click();
    await page.waitForURL(/\/review\/[0-9a-f-]{36}$/);
  });
});
