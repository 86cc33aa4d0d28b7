import { describe, expect, it } from 'vitest';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { seriousA11yViolations } from '#test/helpers/axe.ts';
import { e2eSuite } from '#test/helpers/e2e-suite.ts';
import { expectNoSidewaysScroll } from '#test/helpers/layout.ts';

const e2e = e2eSuite({
  serviceWorkers: 'block',
  setup: async (server) => {
    await loadDemoCounty(server.database.db, { people: 2000 });
  },
});

describe('the public disclosure page (公示)', () => {
  it('shows a village without a sign-in on a phone: the policy list, masked names per item, other years, and prints alone as A4 portrait', async () => {
    const page = e2e.page;
    await page.goto(`${e2e.server.baseUrl}/gongshi`);
    await page.getByRole('heading', { level: 1, name: '惠民惠农财政补贴资金公示' }).waitFor();
    await page.getByLabel('乡镇').selectOption({ label: '厉山镇' });
    await page.getByLabel('村（社区）').selectOption('421321101200');
    const notice = page.getByTestId('disclosure');
    await notice.waitFor();
    // The address carries the village: a link to share in the village's group.
    expect(new URL(page.url()).searchParams.get('village')).toBe('421321101200');
    const title = (await notice.getByRole('heading', { level: 2 }).textContent()) ?? '';
    expect(title).toMatch(/^随县厉山镇星亮村.* \d{4}年惠民惠农补贴资金发放公示$/);

    // Every name masked; no ID or account shaped number anywhere on the page.
    const names = await notice.locator('.disclosure-item tbody tr td:nth-child(2)').allTextContents();
    expect(names.length).toBeGreaterThan(10);
    for (const n of names) expect(n).toMatch(/^.\*+.?$|^\*$/u);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toMatch(/\d{13,}/);
    // The policy list's total is the sum of what its items say.
    const amounts = await notice.locator('table').first().locator('tbody td:nth-child(5)').allTextContents();
    const sum = amounts.reduce((s, a) => s + Math.round(Number(a.replaceAll(',', '')) * 100), 0);
    const total = Math.round(Number(((await notice.locator('table').first().locator('tfoot td.num').textContent()) ?? '').replaceAll(',', '')) * 100);
    expect(total).toBe(sum);
    expect(total).toBeGreaterThan(0);

    await expectNoSidewaysScroll(page, 'disclosure page');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Another year, from its tab.
    const tabs = page.getByRole('group', { name: '年度' }).getByRole('button');
    expect(await tabs.count()).toBeGreaterThan(1);
    const other = (await tabs.last().textContent()) ?? '';
    await tabs.last().click();
    await notice.getByRole('heading', { level: 2, name: new RegExp(`${other}惠民惠农`) }).waitFor();
    expect(new URL(page.url()).searchParams.get('year')).toBe(other.slice(0, 4));

    // Printed: the notice alone.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByLabel('乡镇').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: '打印公示' }).isVisible()).toBe(false);
    expect(await notice.isVisible()).toBe(true);
    const pdf = await page.pdf({ preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // Every page A4 portrait (595 × 842 points), from the page's own @page rule.
    const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))]);
    expect(boxes.length).toBeGreaterThan(0);
    for (const b of boxes) expect(b).toEqual([595, 842]);
    await page.emulateMedia({ media: 'screen' });

    // An unknown village in a shared link: said in Chinese.
    await page.goto(`${e2e.server.baseUrl}/gongshi?village=421321999999`);
    await page.getByRole('alert').getByText('没有找到代码为 421321999999 的村（社区）', { exact: false }).waitFor();
  });
});
