/**
 * Screenshots of the admin's screens (accounts with a new one just created;
 * the audit log with the chain check) and of the password change a new
 * account meets first, at phone (360×740) and desktop (1280×800) size, into
 * docs/screenshots/admin/.
 * Run: npm run build && npx tsx scripts/screenshots-admin.ts
 */
import { mkdirSync } from 'node:fs';
import { DEMO_PASSWORD, signIn } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { startE2eServer } from '../test/helpers/e2e-server.ts';

const out = 'docs/screenshots/admin';
mkdirSync(out, { recursive: true });
const server = await startE2eServer();
const browser = await launchChromium();
try {
  // A little history: sign-ins, a wrong password from another address, an unknown name.
  await signIn(server.app, 'cadre');
  await signIn(server.app, 'supervisor');
  await server.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'cadre', password: 'guess-123456' }, remoteAddress: '10.20.30.40' });
  await server.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'zhangsan', password: '123456' }, remoteAddress: '10.20.30.41' });
  for (const [label, viewport] of [
    ['phone', { width: 360, height: 740 }],
    ['desktop', { width: 1280, height: 800 }],
  ] as const) {
    const context = await browser.newContext({ viewport, locale: 'zh-CN', serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(server.baseUrl);
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
    await page.goto(`${server.baseUrl}/admin/users`);
    await page.getByTestId('users-list').locator('li').first().waitFor();
    await page.getByLabel('用户名').fill(`zhao.${label}`);
    await page.getByLabel('姓名').fill('赵德明');
    await page.getByLabel('工作区域（12 位区划代码）').fill('421321101200');
    const temporary = await page.getByLabel('临时密码').inputValue();
    await page.getByRole('button', { name: '创建账号' }).click();
    await page.getByTestId('users-note').waitFor();
    await page.screenshot({ path: `${out}/users-${label}.png`, fullPage: true });

    // Accounts from a file: two created, one row refused, reported row by row.
    const csv = ['用户名,姓名,角色,区划代码,电话', `qian1.${label},钱文华,村干部,421321101200,13907220001`, `qian2.${label},孙志刚,检查组,421321101000,`, `qian3.${label},李春梅,村长,421321101200,`].join('\r\n');
    await page.getByLabel('账号文件（CSV 或 XLSX）').setInputFiles({ name: '厉山镇账号.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}`) });
    await page.getByRole('button', { name: '上传并创建' }).click();
    const report = page.getByTestId('users-import-report');
    await report.waitFor();
    await report.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${out}/users-import-${label}.png`, fullPage: false });

    const other = await browser.newContext({ viewport, locale: 'zh-CN', serviceWorkers: 'block' });
    const first = await other.newPage();
    await first.goto(server.baseUrl);
    await first.getByLabel('用户名').fill(`zhao.${label}`);
    await first.getByLabel('密码').fill(temporary);
    await first.getByRole('button', { name: '登录' }).click();
    await first.getByRole('heading', { level: 1, name: '请先修改密码' }).waitFor();
    await first.screenshot({ path: `${out}/change-password-${label}.png`, fullPage: true });
    await other.close();

    await page.goto(`${server.baseUrl}/admin/audit`);
    await page.getByTestId('audit-list').waitFor();
    await page.getByRole('button', { name: '校验完整性' }).click();
    await page.getByTestId('audit-verify').waitFor();
    await page.screenshot({ path: `${out}/audit-log-${label}.png`, fullPage: true });
    await context.close();
  }
  console.log(`screenshots in ${out}/`);
} finally {
  await browser.close();
  await server.close();
}
