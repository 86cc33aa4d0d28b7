import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '#test/helpers/app.ts';
import { seriousA11yViolations } from '#test/helpers/axe.ts';
import { e2eSuite, PHONE } from '#test/helpers/e2e-suite.ts';
import { expectNoSidewaysScroll } from '#test/helpers/layout.ts';
import { SignInPage } from './pages/SignInPage.ts';

const e2e = e2eSuite({ serviceWorkers: 'block' });

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(e2e.server.baseUrl);
  await new SignInPage(page).signIn(username, password);
}

describe('accounts', () => {
  it('an admin creates a cadre on the phone; the cadre must choose a password first, then works; disabled, it is signed out', async () => {
    const page = e2e.page;
    await signIn(page, 'admin', DEMO_PASSWORD);
    await page.getByRole('link', { name: '账号管理' }).click();
    await page.getByRole('heading', { level: 1, name: '账号管理' }).waitFor();
    await page.getByTestId('users-list').locator('li').first().waitFor();

    await page.getByLabel('用户名').fill('zhao.cadre');
    await page.getByLabel('姓名').fill('赵村干');
    await page.getByLabel('角色').selectOption('cadre');
    await page.getByLabel('工作区域（12 位区划代码）').fill('421321101200');
    const temporary = await page.getByLabel('临时密码').inputValue();
    expect(temporary).toMatch(/^(?=.*[a-zA-Z])(?=.*\d).{14}$/);
    await page.getByRole('button', { name: '创建账号' }).click();
    const note = page.getByTestId('users-note');
    await note.waitFor();
    expect(await note.textContent()).toContain(temporary);
    const card = page.locator('li[data-username="zhao.cadre"]');
    expect(await card.textContent()).toContain('待改密码');
    await expectNoSidewaysScroll(page, 'accounts');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The cadre, on another phone.
    const phone = await e2e.browser.newContext({ viewport: PHONE, locale: 'zh-CN', serviceWorkers: 'block' });
    const cadre = await phone.newPage();
    await signIn(cadre, 'zhao.cadre', temporary);
    await cadre.getByRole('heading', { level: 1, name: '请先修改密码' }).waitFor();
    await cadre.getByLabel('当前（临时）密码').fill(temporary);
    await cadre.getByLabel('新密码', { exact: true }).fill('abcdefgh');
    await cadre.getByLabel('再次输入新密码').fill('abcdefgh');
    await cadre.getByRole('button', { name: '保存新密码' }).click();
    expect(await cadre.getByRole('alert').textContent()).toBe('密码须同时包含字母和数字');
    await cadre.getByLabel('新密码', { exact: true }).fill('Xingliang2026');
    await cadre.getByLabel('再次输入新密码').fill('Xingliang2026');
    await cadre.getByRole('button', { name: '保存新密码' }).click();
    await cadre.getByRole('heading', { level: 1, name: /您好/ }).waitFor();

    // The admin disables the account: the cadre's next request finds its session gone.
    page.once('dialog', (d) => void d.accept());
    await card.getByRole('button', { name: '停用' }).click();
    await card.getByText('已停用').waitFor();
    await cadre.reload();
    await cadre.getByLabel('用户名').waitFor();
    await phone.close();
  });

  it('an admin creates accounts from a CSV file and sees each row: the new accounts with their temporary passwords, and why the others were not created', async () => {
    const page = e2e.page;
    await signIn(page, 'admin', DEMO_PASSWORD);
    await page.getByRole('link', { name: '账号管理' }).click();
    await page.getByTestId('users-list').locator('li').first().waitFor();
    const csv = ['用户名,姓名,角色,区划代码,电话', 'bulk.one,钱一,村干部,421321101200,', 'bulk.two,钱二,检查组,421321101000,', 'bulk.bad,钱三,队长,421321101200,'].join('\r\n');
    await page.getByLabel('账号文件（CSV 或 XLSX）').setInputFiles({ name: '账号.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}`) });
    await page.getByRole('button', { name: '上传并创建' }).click();
    const report = page.getByTestId('users-import-report');
    await report.waitFor();
    expect(await report.getByRole('status').textContent()).toBe('已创建 2 个账号，1 行未创建（见下表）。');
    const rows = await report.locator('tbody tr').allTextContents();
    expect(rows[0]).toMatch(/^2bulk\.one钱一.{14}$/);
    expect(rows[2]).toContain('角色“队长”无法识别');
    // The list shows the new accounts without a reload.
    await page.locator('li[data-username="bulk.two"]').waitFor();
    await expectNoSidewaysScroll(page, 'accounts import');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});
