import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { ensureDemoLedger } from '#server/cli/demo/ledger.ts';
import { DEMO_PASSWORD } from '#test/helpers/app.ts';
import { seriousA11yViolations } from '#test/helpers/axe.ts';
import { e2eSuite } from '#test/helpers/e2e-suite.ts';
import { expectNoSidewaysScroll } from '#test/helpers/layout.ts';
import { SignInPage } from './pages/SignInPage.ts';

/** The monthly report (issue 15, item 3): on screen, as Excel, and as the printed page. */
const e2e = e2eSuite({
  serviceWorkers: 'block',
  setup: async (server) => {
    await loadDemoCounty(server.database.db, { people: 2000 });
    await ensureDemoLedger(server.database);
  },
});

describe('the monthly report', () => {
  it('shows this month per township with a total, downloads as Excel and prints without the app around it', async () => {
    const page = e2e.page;
    await page.goto(e2e.server.baseUrl);
    await new SignInPage(page).signIn('supervisor', DEMO_PASSWORD);
    await page.getByRole('link', { name: /^月报/ }).click();
    const report = page.getByTestId('monthly-report');
    await report.getByRole('heading', { level: 1, name: /^随县惠民惠农财政补贴资金“一卡通”专项治理月报（\d{4}-\d{2}）$/ }).waitFor();
    const total = report.locator('tfoot tr');
    expect(await total.locator('th').first().textContent()).toBe('合计');
    const found = Number(await total.locator('[data-label="本月发现问题"]').textContent());
    expect(found).toBeGreaterThan(0);
    expect(await report.locator('tbody tr').count()).toBeGreaterThan(1);
    await expectNoSidewaysScroll(page, 'monthly report');
    expect(await seriousA11yViolations(page)).toEqual([]);

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: '导出 Excel' }).click();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await (await download).path());
    const sheet = wb.worksheets[0];
    const last = sheet?.getRow(sheet.rowCount);
    expect(last?.getCell(1).text).toBe('合计');
    expect(last?.getCell(5).value).toBe(found);

    // Printed: the report alone, no top bar, no controls.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.topbar').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: '打印' }).isVisible()).toBe(false);
    expect(await report.isVisible()).toBe(true);
    const pdf = await page.pdf({ preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // Every sheet A4 landscape (842 × 595 points), from the report's own named @page.
    const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))]);
    expect(boxes.length).toBeGreaterThan(0);
    expect(boxes).toEqual(boxes.map(() => [842, 595]));
    await page.emulateMedia({ media: 'screen' });

    // A month not yet begun cannot be picked; an earlier one shows what it had.
    const month = page.getByLabel('月份');
    const max = (await month.getAttribute('max')) ?? '';
    expect(max).toMatch(/^\d{4}-\d{2}$/);
    await month.fill('2020-01');
    await report.getByRole('heading', { level: 1, name: /（2020-01）$/ }).waitFor();
    expect(await total.locator('[data-label="本月发现问题"]').textContent()).toBe('0');
  });

  it('gives the annual stage summary: key figures that agree with its township table, a bar per township, the same numbers in Excel', async () => {
    const page = e2e.page;
    await page.goto(e2e.server.baseUrl);
    await new SignInPage(page).signIn('supervisor', DEMO_PASSWORD);
    await page.getByRole('link', { name: /^月报/ }).click();
    await page.getByLabel('报告').selectOption({ label: '年度工作总结（12 月 12 日前报送）' });
    const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
    const report = page.getByTestId('stage-report');
    await report.getByRole('heading', { level: 1, name: `随县惠民惠农财政补贴资金“一卡通”专项治理“回头看”${year}年年度工作总结（主要数据）` }).waitFor();
    const figure = async (label: string) => (await page.getByTestId('stage-figures').locator('div').filter({ has: page.getByText(label, { exact: true }) }).locator('dd').textContent()) ?? '';
    expect(await figure('统计期间')).toMatch(new RegExp(`^${year}-01-01 至 ${year}-\\d{2}-\\d{2}`));
    const total = report.locator('tfoot tr');
    const found = await total.locator('[data-label="期内发现问题"]').textContent();
    expect(await figure('发现问题（个）')).toBe(found);
    const checked = await total.locator('[data-label="累计入户核查（户）"]').textContent();
    expect(await figure('已入户核查户数 / 在册户数')).toBe(`${checked ?? ''} / ${(await total.locator('[data-label="在册户数"]').textContent()) ?? ''}`);
    const townships = await report.locator('tbody tr').count();
    expect(townships).toBeGreaterThan(1);
    expect(await report.getByRole('progressbar').count()).toBe(townships);
    await expectNoSidewaysScroll(page, 'stage summary');
    expect(await seriousA11yViolations(page)).toEqual([]);

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: '导出 Excel' }).click();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await (await download).path());
    const values = new Map<string, string>();
    wb.worksheets[0]?.eachRow((row, n) => {
      if (n > 2) values.set(row.getCell(1).text, row.getCell(2).text);
    });
    expect(values.get('发现问题（个）')).toBe(found);
    expect(values.get('重点抽查批次')).toBe(await figure('重点抽查批次'));
    expect(wb.worksheets[1]?.name).toBe('分乡镇');

    // The mid-year one counts to 30 June at the latest.
    await page.getByLabel('报告').selectOption({ label: '阶段性工作总结（7 月 10 日前报送）' });
    await report.getByRole('heading', { level: 1, name: `随县惠民惠农财政补贴资金“一卡通”专项治理“回头看”${year}年阶段性工作总结（主要数据）` }).waitFor();
    expect(await figure('统计期间')).toMatch(new RegExp(`^${year}-01-01 至 ${year}-0[1-6]-\\d{2}`));

    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ preferCSSPageSize: true });
    const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))]);
    expect(boxes.length).toBeGreaterThan(0);
    expect(boxes).toEqual(boxes.map(() => [842, 595]));
    await page.emulateMedia({ media: 'screen' });
  });
});
