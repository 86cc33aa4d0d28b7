/**
 * The paper archive (资料留存, issue 15, item 5): a household's form and the
 * problem ledger printed from the browser, checked as the PDF Chromium makes.
 * The demo county runs as a campaign in progress, so the printed form has
 * members, subsidy items, problems and a real signature image.
 */
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ensureDemoCampaign } from '#server/cli/demo/campaign.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { rowsOf } from '#server/db/client.ts';
import { DEMO_PASSWORD } from '#test/helpers/app.ts';
import { seriousA11yViolations } from '#test/helpers/axe.ts';
import { e2eSuite } from '#test/helpers/e2e-suite.ts';
import { expectNoSidewaysScroll } from '#test/helpers/layout.ts';
import { SignInPage } from './pages/SignInPage.ts';

const e2e = e2eSuite({
  serviceWorkers: 'block',
  setup: async (server) => {
    await loadDemoCounty(server.database.db, { people: 1200 });
    await ensureDemoCampaign(server.app, { password: DEMO_PASSWORD });
  },
});

async function signedIn(page: Page): Promise<void> {
  await page.goto(e2e.server.baseUrl);
  await new SignInPage(page).signIn('supervisor', DEMO_PASSWORD);
  await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
}

/** Every page's size in points, from the PDF's MediaBoxes. */
function pageBoxes(pdf: Buffer): number[][] {
  return [...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))]);
}

describe('the paper archive', () => {
  it("prints a household's form as A4 portrait with the signature image, numbers masked", async () => {
    const [form] = rowsOf<{ id: string; items: number; problems: number; members: number }>(
      await e2e.server.database.db.execute(sql`
        select id::text as id, jsonb_array_length(body -> 'items') as items, jsonb_array_length(body -> 'problems') as problems, jsonb_array_length(body -> 'members') as members
        from check_forms
        where kind = 'cadre' and body -> 'evidence' ->> 'signatureBlob' is not null and jsonb_array_length(body -> 'items') > 0
        order by jsonb_array_length(body -> 'problems') desc, id limit 1`),
    );
    expect(form).toBeDefined();
    const page = e2e.page;
    await signedIn(page);
    await page.goto(`${e2e.server.baseUrl}/review/${form!.id}`);
    await page.getByRole('link', { name: '打印核查表' }).click();
    await page.getByRole('heading', { level: 1, name: '惠民惠农财政补贴资金“一卡通”入户核查表' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/review/${form!.id}/print`);

    const doc = page.locator('article.form-print');
    // The heading names county, township and village; the tables hold every member, item and problem.
    await doc.getByText('随县', { exact: true }).waitFor();
    expect(await doc.locator('table').nth(1).locator('tbody tr').count()).toBe(form!.members);
    expect(await doc.locator('table').nth(2).locator('tbody tr').count()).toBe(form!.items);
    if (form!.problems > 0) await doc.getByRole('heading', { name: '五、发现的问题' }).locator('xpath=following-sibling::table[1]').locator('tbody tr').nth(form!.problems - 1).waitFor();
    // The signature is the image the cadre's phone uploaded, loaded.
    const signature = doc.getByRole('img', { name: '户主（家庭成员）签名' });
    await expect.poll(() => signature.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect((await doc.textContent()) ?? '').not.toMatch(/\d{17}[\dX]/);
    expect((await doc.textContent()) ?? '').toMatch(/\d{4}\*{10}\d{3}[\dX]/);
    await expectNoSidewaysScroll(page, 'printed form on a phone');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: '打印' }).isVisible()).toBe(false);
    expect(await page.locator('header.topbar').isVisible()).toBe(false);
    expect(await signature.isVisible()).toBe(true);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const boxes = pageBoxes(pdf);
    expect(boxes.length).toBeGreaterThan(0);
    for (const b of boxes) expect(b).toEqual([595, 842]);
    // The signature went into the PDF as an image.
    expect(pdf.toString('latin1')).toMatch(/\/Subtype\s*\/Image/);
  });

  it('prints the ledger of the current filter as A4 landscape, every item of it, the filter kept in the address', async () => {
    const page = e2e.page;
    await signedIn(page);
    await page.goto(`${e2e.server.baseUrl}/ledger`);
    await page.getByTestId('ledger-list').locator('li').first().waitFor();
    const [top] = rowsOf<{ code: string; n: number }>(
      await e2e.server.database.db.execute(sql`select problem_code as code, count(*)::int as n from ledger_items group by problem_code order by count(*) desc, problem_code limit 1`),
    );
    expect(top!.n).toBeGreaterThan(0);
    await page.getByLabel('问题类型').selectOption(top!.code);
    await expect.poll(() => new URL(page.url()).searchParams.get('code')).toBe(top!.code);
    await page.getByRole('link', { name: '打印台账' }).click();
    const summary = page.getByTestId('ledger-print-summary');
    await summary.waitFor();
    expect(new URL(page.url()).pathname).toBe('/ledger/print');
    expect(await page.locator('.ledger-print-table tbody tr').count()).toBe(top!.n);
    expect(await summary.textContent()).toContain(`共 ${top!.n} 个问题`);
    for (const code of await page.locator('.ledger-print-table tbody tr td:nth-child(2)').allTextContents()) expect(code).toBe(top!.code);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.topbar').isVisible()).toBe(false);
    const pdf = await page.pdf({ preferCSSPageSize: true });
    const boxes = pageBoxes(pdf);
    expect(boxes.length).toBeGreaterThan(0);
    expect(boxes).toEqual(boxes.map(() => [842, 595]));
    await page.emulateMedia({ media: 'screen' });

    // Back to the list with the filter still chosen.
    await page.getByRole('link', { name: /返回台账/ }).click();
    await expect.poll(() => page.getByLabel('问题类型').inputValue()).toBe(top!.code);
  });
});
