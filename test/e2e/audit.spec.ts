import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '#test/helpers/app.ts';
import { seriousA11yViolations } from '#test/helpers/axe.ts';
import { e2eSuite } from '#test/helpers/e2e-suite.ts';
import { expectNoSidewaysScroll } from '#test/helpers/layout.ts';
import { SignInPage } from './pages/SignInPage.ts';

const e2e = e2eSuite({
  serviceWorkers: 'block',
  setup: async (server) => {
    // Someone guesses a password before the admin looks.
    const res = await server.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'cadre', password: 'guess-123456' } });
    expect(res.statusCode).toBe(401);
  },
});

describe("the admin's audit log", () => {
  it('lists who did what from where, filters, checks the chain and offers the export, at 360 px', async () => {
    const page = e2e.page;
    await page.goto(e2e.server.baseUrl);
    await new SignInPage(page).signIn('admin', DEMO_PASSWORD);
    await page.getByRole('link', { name: '操作日志' }).click();
    await page.getByRole('heading', { level: 1, name: '操作日志' }).waitFor();

    const list = page.getByTestId('audit-list');
    const failed = list.locator('[data-action="auth.sign_in_failed"]');
    await failed.first().waitFor();
    await expect.poll(() => failed.first().textContent()).toContain('密码错误');
    expect(await failed.first().textContent()).toContain('cadre');
    // The admin's own sign-in is there too, newest first.
    expect(await list.locator('li').first().getAttribute('data-action')).toBe('auth.sign_in');

    await page.getByLabel('操作').selectOption('auth.sign_in_failed');
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => list.locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))).toEqual(['auth.sign_in_failed']);
    expect(await page.getByRole('link', { name: '导出 CSV' }).getAttribute('href')).toBe('/api/admin/audit/export.csv?action=auth.sign_in_failed');

    await page.getByRole('button', { name: '校验完整性' }).click();
    const verified = page.getByTestId('audit-verify');
    await verified.waitFor();
    expect(await verified.textContent()).toMatch(/日志完整：共 \d+ 条记录/);

    await expectNoSidewaysScroll(page, 'audit log');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('is not offered to a supervisor, and its address leads home', async () => {
    const page = e2e.page;
    await page.goto(e2e.server.baseUrl);
    await new SignInPage(page).signIn('supervisor', DEMO_PASSWORD);
    await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
    expect(await page.getByRole('link', { name: '操作日志' }).count()).toBe(0);
    await page.goto(`${e2e.server.baseUrl}/admin/audit`);
    await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
  });
});
