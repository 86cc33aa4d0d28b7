/**
 * Screenshots of the admin's audit log (entries, a filter, the chain check)
 * at phone (360×740) and desktop (1280×800) size, into docs/screenshots/admin/.
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
