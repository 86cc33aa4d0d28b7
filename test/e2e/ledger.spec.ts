import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { DEMO_PASSWORD } from '#test/helpers/app.ts';
import { seriousA11yViolations } from '#test/helpers/axe.ts';
import { e2eSuite, PHONE } from '#test/helpers/e2e-suite.ts';
import { expectNoSidewaysScroll } from '#test/helpers/layout.ts';
import { SignInPage } from './pages/SignInPage.ts';

const e2e = e2eSuite({ serviceWorkers: 'block', setup: (server) => loadDemoCounty(server.database.db, { seed: 20220, people: 2000 }) });

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(e2e.server.baseUrl);
  await new SignInPage(page).signIn(username, DEMO_PASSWORD);
  await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
}

describe('the problem ledger', () => {
  it('a supervisor puts the payment anomalies on the ledger, filters it, and takes an item a step on, on a phone', async () => {
    const page = e2e.page;
    await signIn(page, 'supervisor');
    await page.getByRole('link', { name: '问题台账（逐一销号）' }).click();
    await page.getByRole('heading', { level: 1, name: '问题台账' }).waitFor();
    await page.getByText('没有符合条件的问题').waitFor();
    await page.getByText(/^本区域还没有扫描过/).waitFor();
    await page.getByRole('button', { name: '扫描发放数据，新发现入台账' }).click();
    // The scan runs in the background; the card follows it to the end and the list reloads.
    await page.getByRole('status').filter({ hasText: /^扫描完成：新增 \d+ 个问题.*supervisor发起/ }).waitFor();
    expect(await page.getByRole('progressbar', { name: '扫描进度' }).count()).toBe(0);
    const list = page.getByTestId('ledger-list');
    await list.locator('li').first().waitFor();
    expect(await list.locator('li').count()).toBeGreaterThan(5);
    await expectNoSidewaysScroll(page, 'ledger list');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The ledger in numbers: a bar per state and per problem type; a bar filters the list.
    const summary = page.getByTestId('ledger-summary');
    await summary.getByText(/^共 \d+ 个问题，逾期 0 个/).waitFor();
    await summary.getByRole('button', { name: /^已发现/ }).click();
    expect(await page.getByLabel('状态').inputValue()).toBe('found');
    await summary.getByRole('button', { name: /^已发现/ }).click();
    expect(await page.getByLabel('状态').inputValue()).toBe('');
    await page.getByLabel('问题类型').selectOption('A3');
    await expect.poll(async () => (await list.locator('li .tag').allTextContents()).every((t) => t === 'A3') && (await list.locator('li').count()) > 0).toBe(true);
    await list.locator('li a').first().click();
    await page.getByRole('heading', { level: 1, name: /^A3 第 \d+ 号$/ }).waitFor();
    expect(await page.getByTestId('ledger-state').textContent()).toBe('已发现');

    // Dismissing needs a reason: the button waits for one.
    await page.getByRole('button', { name: '排除', exact: true }).click();
    const confirmDismiss = page.getByRole('button', { name: '确认：排除' });
    expect(await confirmDismiss.isDisabled()).toBe(true);
    await page.getByRole('button', { name: '确认问题', exact: true }).click();
    await page.getByLabel('说明', { exact: true }).fill('经入户核实，确已死亡');
    await page.getByRole('button', { name: '确认：确认问题' }).click();
    await page.getByRole('status').filter({ hasText: '已确认问题' }).waitFor();
    expect(await page.getByTestId('ledger-state').textContent()).toBe('已确认');
    expect(await page.getByTestId('ledger-history').locator('li').allTextContents()).toEqual([expect.stringContaining('发现 → 已发现'), expect.stringContaining('确认问题 → 已确认（经入户核实，确已死亡）')]);

    // Assign it: unit, person, measure, deadline.
    await page.getByRole('button', { name: '交办整改', exact: true }).click();
    await page.getByLabel('责任单位').fill('厉山镇民政办');
    await page.getByLabel('责任人').fill('王主任');
    await page.getByLabel('整改措施').fill('停发并追回死亡后发放的资金');
    await page.getByLabel('整改时限').fill('2099-06-30');
    await page.getByRole('button', { name: '确认：交办整改' }).click();
    await page.getByRole('status').filter({ hasText: '已交办整改' }).waitFor();
    expect(await page.getByTestId('ledger-state').textContent()).toBe('已交办');
    await page.getByText('厉山镇民政办 · 王主任 · 时限 2099-06-30').waitFor();

    // Rectify it, with a photo as the evidence: compressed, kept on the device, uploaded, shown.
    await page.getByRole('button', { name: '开始整改', exact: true }).click();
    await page.getByRole('button', { name: '确认：开始整改' }).click();
    await page.getByRole('status').filter({ hasText: '已开始整改' }).waitFor();
    await page.getByRole('button', { name: '提交整改材料', exact: true }).click();
    const submitEvidence = page.getByRole('button', { name: '确认：提交整改材料' });
    expect(await submitEvidence.isDisabled()).toBe(true);
    const picture = await page.screenshot({ type: 'png' });
    await page.getByLabel(/^整改照片/).setInputFiles({ name: 'IMG_0002.png', mimeType: 'image/png', buffer: picture });
    await page.getByText('已选 1 张').waitFor();
    await submitEvidence.click();
    await page.getByRole('status').filter({ hasText: '已提交整改材料' }).waitFor();
    expect(await page.getByTestId('ledger-state').textContent()).toBe('已报整改材料');
    const photo = page.getByTestId('ledger-evidence').getByRole('img', { name: /^照片 1（supervisor，/ });
    await photo.waitFor();
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await expectNoSidewaysScroll(page, 'ledger item');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(page.viewportSize()).toEqual(PHONE);
  });
});
