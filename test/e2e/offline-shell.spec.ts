import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '#test/helpers/app.ts';
import { seriousA11yViolations } from '#test/helpers/axe.ts';
import { launchChromium } from '#test/helpers/browser.ts';
import { DIST_DIR, startE2eServer } from '#test/helpers/e2e-server.ts';
import { HomePage } from './pages/HomePage.ts';
import { SignInPage } from './pages/SignInPage.ts';

const PHONE = { width: 360, height: 740 };

let server: Awaited<ReturnType<typeof startE2eServer>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  if (!existsSync(join(DIST_DIR, 'sw.js'))) throw new Error('dist/ is missing: run `npm run build` before the e2e project');
  server = await startE2eServer();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
  await server.close();
});
beforeEach(async () => {
  context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', serviceWorkers: 'allow' });
  page = await context.newPage();
});
afterEach(async () => {
  await context.close();
});

async function waitForServiceWorker(p: Page) {
  await p.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
}

describe('the app shell at 360×740', () => {
  it('signs in online, then opens signed in and usable with the network off', async () => {
    await page.goto(server.baseUrl);
    const signIn = new SignInPage(page);
    await signIn.heading().waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    await signIn.signIn('cadre', DEMO_PASSWORD);
    const home = new HomePage(page);
    await home.greeting().waitFor();
    expect(await home.greeting().textContent()).toContain('李建国');
    expect(await home.role().textContent()).toBe('村干部（核查员）');
    expect(await home.area().textContent()).toMatch(/村民委员会$/);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await waitForServiceWorker(page);
    await context.setOffline(true);
    await page.reload();
    await home.greeting().waitFor();
    expect(await home.greeting().textContent()).toContain('李建国');
    expect(await home.area().textContent()).toMatch(/村民委员会$/);
    await expect.poll(() => home.connectivity().textContent()).toContain('离线');
    // Usable: the role's work list renders from the device alone.
    expect(await page.getByRole('listitem').count()).toBeGreaterThan(0);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // And it comes back online without a new sign-in.
    await context.setOffline(false);
    await page.reload();
    await home.greeting().waitFor();
    await expect.poll(() => home.connectivity().textContent()).toBe('在线');
  });

  it('shows one clear message for a wrong password', async () => {
    await page.goto(server.baseUrl);
    const signIn = new SignInPage(page);
    await signIn.signIn('cadre', 'wrong-password');
    await signIn.alert().waitFor();
    expect(await signIn.alert().textContent()).toBe('用户名或密码错误');
  });

  it('shows field errors in Chinese beside empty fields', async () => {
    await page.goto(server.baseUrl);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#username-error').waitFor();
    expect(await page.locator('#username-error').textContent()).toBe('请输入用户名');
    expect(await page.locator('#password-error').textContent()).toBe('请输入密码');
  });

  it('returns to sign-in when the session is revoked, keeping what the device stored', async () => {
    await page.goto(server.baseUrl);
    await new SignInPage(page).signIn('supervisor', DEMO_PASSWORD);
    const home = new HomePage(page);
    await home.greeting().waitFor();
    const deviceIdBefore = await readDeviceId(page);
    expect(deviceIdBefore).toMatch(/^[0-9a-f-]{36}$/);

    // Revoke every session of this browser from the server side (as an admin would for a lost phone).
    const cookies = await context.cookies();
    const sid = cookies.find((c) => c.name === 'ykt_sid');
    expect(sid).toBeDefined();
    const out = await server.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie: `ykt_sid=${sid!.value}` } });
    expect(out.statusCode).toBe(204);

    await page.reload();
    const signIn = new SignInPage(page);
    await signIn.heading().waitFor();
    expect(await page.getByRole('status').first().textContent()).toContain('登录已失效');
    expect(await readDeviceId(page)).toBe(deviceIdBefore);
  });

  it('signs out from the home screen', async () => {
    await page.goto(server.baseUrl);
    await new SignInPage(page).signIn('admin', DEMO_PASSWORD);
    const home = new HomePage(page);
    await home.greeting().waitFor();
    expect(await home.role().textContent()).toBe('管理员');
    await home.signOut();
    await new SignInPage(page).heading().waitFor();
    await page.reload();
    await new SignInPage(page).heading().waitFor();
  });
});

/** Reads the device id straight from IndexedDB, bypassing the app. */
function readDeviceId(p: Page): Promise<unknown> {
  return p.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('ykt-device');
        open.onerror = () => reject(open.error ?? new Error('indexedDB.open failed'));
        open.onsuccess = () => {
          const tx = open.result.transaction('meta', 'readonly');
          const get = tx.objectStore('meta').get('deviceId');
          get.onsuccess = () => {
            resolve((get.result as { value?: unknown } | undefined)?.value);
            open.result.close();
          };
          get.onerror = () => reject(get.error ?? new Error('get failed'));
        };
      }),
  );
}
