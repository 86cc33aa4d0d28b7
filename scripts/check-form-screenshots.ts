/**
 * Screenshots of every section of the household check form at phone
 * (360×740) and desktop (1280×800) size, into docs/screenshots/check-form/.
 * Run: npm run build && npx tsx scripts/check-form-screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import * as z from 'zod/mini';
import { loadDemoCounty } from '../src/server/cli/demo/load.ts';
import { PullResponseSchema } from '../src/shared/schemas/sync.ts';
import { DEMO_PASSWORD, signIn } from '../test/helpers/app.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { startE2eServer } from '../test/helpers/e2e-server.ts';
import { CheckFormPage, waitForAreaDownload } from '../test/e2e/pages/CheckFormPage.ts';

const out = 'docs/screenshots/check-form';
mkdirSync(out, { recursive: true });
const server = await startE2eServer();
await loadDemoCounty(server.database.db, { people: 1500 });
const cadre = await signIn(server.app, 'cadre');
const pull = z.parse(PullResponseSchema, (await server.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: cadre } })).json());
const linesPer = new Map<string, number>();
for (const l of pull.changes.paymentLine) linesPer.set(l.householdId, (linesPer.get(l.householdId) ?? 0) + 1);
const householdId = [...linesPer.entries()].sort((a, b) => b[1] - a[1])[0]![0];

const browser = await launchChromium();
try {
  for (const [label, viewport] of [
    ['phone', { width: 360, height: 740 }],
    ['desktop', { width: 1280, height: 800 }],
  ] as const) {
    const context = await browser.newContext({ viewport, locale: 'zh-CN', geolocation: { latitude: 31.7169, longitude: 113.3739, accuracy: 15 }, permissions: ['geolocation'] });
    const page = await context.newPage();
    await page.goto(server.baseUrl);
    await page.getByLabel('用户名').fill('cadre');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
    await waitForAreaDownload(page);
    const form = new CheckFormPage(page);
    await form.goto(server.baseUrl, householdId);
    const tiles = process.env.TILES_DIR;
    const shot = async (name: string) => {
      await page.screenshot({ path: `${out}/${name}-${label}.png`, fullPage: true });
      if (!tiles) return;
      // Viewport-sized views as the phone shows them (sticky bar in place), for looking closely.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      const y0 = await page.evaluate(() => window.scrollY);
      for (let y = 0, n = 0; y < height; y += viewport.height - 100, n++) {
        await page.evaluate((top) => window.scrollTo(0, top), y);
        await page.screenshot({ path: `${tiles}/${name}-${label}-${n}.png` });
      }
      await page.evaluate((top) => window.scrollTo(0, top), y0);
    };
    await shot('1-household');
    await form.choose(page, '家中是否有村（组）干部的亲属？', '否');
    // The draft's discard, asked twice (not confirmed here).
    await page.getByRole('button', { name: '放弃这份草稿' }).click();
    await page.getByRole('button', { name: '确定放弃' }).waitFor();
    await page.screenshot({ path: `${out}/0-discard-draft-${label}.png` });
    await page.getByRole('button', { name: '不放弃' }).click();
    await form.next();
    await form.choose(page.getByRole('region').first(), '是否在场', '在场');
    await page.getByRole('button', { name: /添加名单上没有的成员/ }).click();
    await page.getByRole('region').last().getByLabel('姓名').fill('李小红');
    await page.getByRole('region').last().getByLabel('身份证号').fill('421321201503020021');
    await shot('2-members');
    await form.next();
    const firstItem = page.getByRole('region').first();
    await form.choose(firstItem, '知道这项补贴吗？', '知道');
    await form.choose(firstItem, '是否收到', '部分收到');
    await firstItem.getByLabel('实际收到（元）').fill('12a');
    await firstItem.locator('details summary').click();
    await shot('3-items');
    await firstItem.getByLabel('实际收到（元）').fill('100');
    await form.next();
    await form.choose(page.getByRole('region').first(), '卡（折）现在由谁保管', '村组干部');
    await shot('4-accounts');
    await form.next();
    await shot('5-publicity');
    await form.next();
    await page.getByText(/误差约/).waitFor();
    await form.drawSignature();
    await page.getByText('已签名', { exact: true }).waitFor();
    await shot('6-evidence');
    await form.next();
    await shot('7-problems');
    await page.getByRole('button', { name: '提交', exact: true }).first().click();
    await page.getByRole('alert').waitFor();
    await shot('8-submit-blocked');
    await form.nav().getByRole('button', { name: /▾/ }).click();
    await shot('9-section-menu');
    // The states the sync runner and a supervisor put a form in, written straight into IndexedDB.
    for (const [name, patch] of [
      ['10-returned', { state: 'returned', reviewStatus: 'returned', reviewComment: '缺少户主签名，请补签后重新提交' }],
      ['11-attention', { state: 'attention', lastResult: { id: null, index: 0, status: 'rejected', message: '表单内容不完整或有误', fields: [{ path: 'body.items.0.amountReceivedFen', message: '金额应为整数（分）' }] } }],
    ] as const) {
      await page.evaluate(
        `new Promise((resolve) => {
          const open = indexedDB.open('ykt-device');
          open.onsuccess = () => {
            const store = open.result.transaction('forms', 'readwrite').objectStore('forms');
            const all = store.getAll();
            all.onsuccess = () => {
              for (const f of all.result) store.put({ ...f, ...${JSON.stringify(patch)} });
              store.transaction.oncomplete = () => { open.result.close(); resolve(null); };
            };
          };
        })`,
      );
      await page.reload();
      await form.ready();
      await shot(name);
    }
    await context.close();
    console.log(`screenshots for ${label} in ${out}/`);
  }
} finally {
  await browser.close();
  await server.close();
}
