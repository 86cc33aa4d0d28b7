import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { citizenIdCheckDigit } from '#shared/domain/citizen-id.ts';
import { maskCitizenId } from '#shared/domain/mask.ts';
import { findFormById } from '#server/db/forms-repository.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import { PullResponseSchema } from '#shared/schemas/sync.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { DEMO_PASSWORD, signIn } from '#test/helpers/app.ts';
import { seriousA11yViolations } from '#test/helpers/axe.ts';
import { launchChromium } from '#test/helpers/browser.ts';
import { DIST_DIR, startE2eServer } from '#test/helpers/e2e-server.ts';
import { CheckFormPage, readDeviceRows, snapshotInputs, waitForAreaDownload } from './pages/CheckFormPage.ts';
import { SignInPage } from './pages/SignInPage.ts';

const PHONE = { width: 360, height: 740 };
/** 厉山镇, where the demo cadre's village is. */
const VILLAGE_GPS = { latitude: 31.7169, longitude: 113.3739, accuracy: 15 };

let server: Awaited<ReturnType<typeof startE2eServer>>;
let browser: Browser;
let context: BrowserContext | undefined;
/** The cadre village's households: the one with most members among those with payments, and one more. */
let households: { full: string; other: string };

beforeAll(async () => {
  if (!existsSync(join(DIST_DIR, 'sw.js'))) throw new Error('dist/ is missing: run `npm run build` before the e2e project');
  server = await startE2eServer();
  await loadDemoCounty(server.database.db, { people: 1500 });
  const cadre = await signIn(server.app, 'cadre');
  const pull = z.parse(PullResponseSchema, (await server.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: cadre } })).json());
  const withLines = new Set(pull.changes.paymentLine.map((l) => l.householdId));
  const size = (id: string) => pull.changes.person.filter((p) => p.householdId === id).length;
  const ids = pull.changes.household.map((h) => h.id).filter((id) => withLines.has(id));
  ids.sort((a, b) => size(b) - size(a) || a.localeCompare(b));
  const other = pull.changes.household.map((h) => h.id).find((id) => id !== ids[0]);
  if (ids[0] === undefined || other === undefined) throw new Error('the demo village has too few households');
  households = { full: ids[0], other };
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
  await server.close();
});
afterEach(async () => {
  await context?.close();
  context = undefined;
});

/** Signs the cadre in online and waits until the village is on the phone and the app works offline. */
async function signedInWithArea(): Promise<Page> {
  context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', serviceWorkers: 'allow', geolocation: VILLAGE_GPS, permissions: ['geolocation'] });
  const page = await context.newPage();
  await page.goto(server.baseUrl);
  await new SignInPage(page).signIn('cadre', DEMO_PASSWORD);
  await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await waitForAreaDownload(page);
  return page;
}

interface DeviceForm {
  id: string;
  householdId: string;
  state: string;
  serverRev: number;
  body: CheckFormBody;
}

async function deviceForm(page: Page, householdId: string): Promise<DeviceForm | undefined> {
  return ((await readDeviceRows(page, 'forms')) as DeviceForm[]).find((f) => f.householdId === householdId);
}

const validId = (first17: string) => first17 + citizenIdCheckDigit(first17);

describe('the household check form at 360×740, offline', () => {
  it('is filled completely offline, survives a reload, is submitted and reaches the server with its signature', async () => {
    const page = await signedInWithArea();
    const form = new CheckFormPage(page);
    await context!.setOffline(true);
    await form.goto(server.baseUrl, households.full);

    // 1. Household
    await form.heading().filter({ hasText: '本户情况' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel('联系电话').fill('13812345678');
    await form.choose(page, '家中是否有村（组）干部的亲属？', '否');
    const householdAnswers = await snapshotInputs(page);
    await form.next();

    // 2. Members: the first is present and shows the ID card, the others are away; one person is added.
    await form.heading().filter({ hasText: '家庭成员' }).waitFor();
    const cards = page.getByRole('region');
    const members = await cards.count();
    expect(members).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < members; i++) {
      const card = cards.nth(i);
      await form.choose(card, '是否在场', i === 0 ? '在场' : '不在场');
      if (i === 0) await form.choose(card, '核对身份证', '一致');
    }
    await page.getByRole('button', { name: /添加名单上没有的成员/ }).click();
    const added = cards.last();
    await added.getByLabel('姓名').fill('李小红');
    const newcomer = validId('42132120150302002');
    const wrongCheck = newcomer.slice(0, 17) + (newcomer.endsWith('1') ? '2' : '1');
    await added.getByLabel('身份证号').fill(wrongCheck);
    await added.getByText(/^身份证号校验位错误/).waitFor();
    await added.getByLabel('身份证号').fill(newcomer);
    await expect.poll(() => added.getByText(/^身份证号校验位错误/).count()).toBe(0);
    await added.getByLabel('与户主关系').selectOption('孙子女');
    await form.choose(added, '是否在场', '在场');
    await form.choose(added, '核对身份证', '一致');
    expect(await seriousA11yViolations(page)).toEqual([]);
    const memberAnswers = await snapshotInputs(page);
    await form.next();

    // 3. Items, half-way: the first partly received (an amount with a letter is refused first).
    await form.heading().filter({ hasText: '补贴项目' }).waitFor();
    const items = page.getByRole('region');
    const itemCount = await items.count();
    expect(itemCount).toBeGreaterThanOrEqual(1);
    const first = items.first();
    await form.choose(first, '知道这项补贴吗？', '知道');
    await form.choose(first, '是否收到', '部分收到');
    await first.getByLabel('实际收到（元）').fill('12a');
    await first.getByText('金额只能填数字，例如 1234.50').waitFor();
    await first.getByLabel('实际收到（元）').fill('100');
    await form.choose(first, '是否按时到账', '按时');
    await form.choose(first, /^是否打入(本人|户主)一卡通$/, '是');
    await form.choose(first, '发放方式', '直接打卡');
    await first.getByLabel('备注').fill('称有几个月没收到');
    await form.waitSaved();
    const itemAnswersBefore = await snapshotInputs(page);

    // Reload mid-form, still offline: the form reopens on the same section with every answer.
    await page.reload();
    await form.ready();
    await form.heading().filter({ hasText: '补贴项目' }).waitFor();
    expect(await snapshotInputs(page)).toEqual(itemAnswersBefore);
    await form.openSection('本户情况');
    expect(await snapshotInputs(page)).toEqual(householdAnswers);
    await form.openSection('家庭成员');
    expect(await snapshotInputs(page)).toEqual(memberAnswers);
    await form.openSection('补贴项目');

    for (let i = 1; i < itemCount; i++) {
      const card = items.nth(i);
      await form.choose(card, '知道这项补贴吗？', '知道');
      await form.choose(card, '是否收到', '收到');
      const same = card.getByRole('button', { name: '与台账相同' });
      if ((await same.count()) > 0) await same.click();
      await form.choose(card, '是否按时到账', '按时');
      // Household items go to the head's card, personal ones to the person's own.
      await form.choose(card, /^是否打入(本人|户主)一卡通$/, '是');
      await form.choose(card, '发放方式', '直接打卡');
    }
    expect(await seriousA11yViolations(page)).toEqual([]);
    await form.next();

    // 4. Accounts
    await form.heading().filter({ hasText: '一卡通账户' }).waitFor();
    const accounts = page.getByRole('region');
    for (let i = 0; i < (await accounts.count()); i++) {
      const card = accounts.nth(i);
      await form.choose(card, '卡（折）现在由谁保管', '本人');
      await card.getByRole('button', { name: '增加' }).click();
      await form.choose(card, '是否被扣费（年费、短信费等）', '否');
      await form.choose(card, '是否收到到账短信', '收到');
    }
    await form.next();

    // 5. Publicity
    await form.choose(page, '是否见过补贴政策清单的公示？', '见过');
    await form.choose(page, '是否见过补贴发放结果的公示？', '见过');
    await form.next();

    // 6. Evidence: GPS from the phone, the householder signs with the finger (mouse here).
    await form.heading().filter({ hasText: '当面核实' }).waitFor();
    await page.getByText(/31\.71690, 113\.37390/).waitFor();
    await form.drawSignature();
    await page.getByText('已签名', { exact: true }).waitFor();
    // A photo from the camera (a screenshot stands in): compressed to JPEG on the phone.
    const picture = await page.screenshot({ type: 'png' });
    await page.getByLabel('拍照 / 选择照片').setInputFiles({ name: 'IMG_0001.png', mimeType: 'image/png', buffer: picture });
    await page.getByRole('img', { name: '现场照片 1' }).waitFor();
    await form.waitSaved();
    // Values set by the screen rather than typed (fix, signature, photo) are autosaved too.
    const evidence = (await deviceForm(page, households.full))?.body.evidence;
    expect(evidence?.gps).toMatchObject({ lat: 31.7169, lon: 113.3739, accuracyM: 15 });
    expect(evidence?.signatureBlob).toMatch(/^[0-9a-f]{64}$/);
    expect(evidence?.photoBlobs).toHaveLength(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await form.next();

    // 7. Problems: the partly received item is proposed as A2 (or C3), with the difference.
    await form.heading().filter({ hasText: '发现问题' }).waitFor();
    const proposal = page.locator('.proposal').filter({ hasText: '本人称只收到 100.00 元' });
    await proposal.waitFor();
    await proposal.getByRole('button', { name: '采纳' }).click();
    await page.getByRole('region', { name: /^A2 / }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('button', { name: '提交', exact: true }).first().click();
    await page.getByRole('status').filter({ hasText: '本户已提交' }).waitFor();
    await expect.poll(() => form.formState().getAttribute('data-state')).toBe('ready');
    const submitted = await deviceForm(page, households.full);
    expect(submitted?.state).toBe('ready');
    const signature = submitted!.body.evidence.signatureBlob;
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(submitted!.body.evidence.gps).toMatchObject({ lat: 31.7169, lon: 113.3739 });
    expect(await readDeviceRows(page, 'outbox')).toHaveLength(1);

    // Online: the runner syncs on `online`; the form becomes synced.
    await context!.setOffline(false);
    await expect.poll(() => form.formState().getAttribute('data-state'), { timeout: 30_000 }).toBe('synced');

    const supervisor = await signIn(server.app, 'supervisor');
    const detail = await server.app.inject({ method: 'GET', url: `/api/forms/${submitted!.id}`, headers: { cookie: supervisor } });
    expect(detail.statusCode).toBe(200);
    const stored = detail.json<{ form: { householdId: string; reviewStatus: string }; body: CheckFormBody }>();
    expect(stored.form).toMatchObject({ householdId: households.full, reviewStatus: 'submitted' });
    expect(stored.body.evidence.signatureBlob).toBe(signature);
    // The ID typed in reached the server in full; the review screen shows it masked.
    expect(stored.body.members.find((m) => m.isNew)).toMatchObject({ name: '李小红', idNumber: maskCitizenId(newcomer), relation: '孙子女', present: true });
    expect((await findFormById(server.app.db.db, submitted!.id))?.body.members.find((m) => m.isNew)?.idNumber).toBe(newcomer);
    expect(stored.body.items[0]).toMatchObject({ knows: true, received: 'partly', amountReceivedFen: 10000, note: '称有几个月没收到' });
    expect(stored.body.problems).toEqual([expect.objectContaining({ code: 'A2', amountFen: stored.body.items[0]!.ledgerAmountFen - 10000, source: 'proposed' })]);
    expect(stored.body.household).toMatchObject({ phone: '13812345678', hasCadreRelative: false });

    expect(stored.body.evidence.photoBlobs).toHaveLength(1);
    const photo = await server.app.inject({ method: 'GET', url: `/api/blobs/${stored.body.evidence.photoBlobs[0]!}`, headers: { cookie: supervisor } });
    expect(photo.headers['content-type']).toMatch(/^image\/jpeg/);
    expect(photo.rawPayload.length).toBeLessThan(picture.length);

    const png = await server.app.inject({ method: 'GET', url: `/api/blobs/${signature!}`, headers: { cookie: supervisor } });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toMatch(/^image\/png/);
    expect([...png.rawPayload.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('needs only the reason and the evidence of the attempt for a household not found, and blocks submit until given', async () => {
    const page = await signedInWithArea();
    const form = new CheckFormPage(page);
    await context!.setOffline(true);
    await form.goto(server.baseUrl, households.other);
    await form.choose(page, '入户情况', '找不到');
    // Two sections only: the household and the evidence.
    await form.next();
    await form.heading().filter({ hasText: '当面核实' }).waitFor();
    expect(await page.getByRole('img', { name: /签名区/ }).count()).toBe(0);
    await page.getByRole('button', { name: '提交', exact: true }).first().click();
    // The missing reason is where it sends the cadre, with the message beside the field.
    await form.heading().filter({ hasText: '本户情况' }).waitFor();
    await page.getByText('请填写找不到的原因（如全家外出、房屋空置）').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-outcomeReason');
    await page.getByLabel('原因和经过').fill('全家外出务工，邻居称春节回来');
    await page.getByRole('button', { name: '提交', exact: true }).first().click();
    await expect.poll(() => form.formState().getAttribute('data-state')).toBe('ready');
    expect((await deviceForm(page, households.other))?.body).toMatchObject({ outcome: 'not-found', outcomeReason: '全家外出务工，邻居称春节回来' });
  });

  it('lets the cadre discard a draft never submitted, offline, and never a submitted form', async () => {
    const page = await signedInWithArea();
    const form = new CheckFormPage(page);
    await context!.setOffline(true);
    await form.goto(server.baseUrl, households.other);
    await form.choose(page, '入户情况', '找不到');
    await page.getByLabel('原因和经过').fill('走错了户');
    await form.waitSaved();
    expect((await deviceForm(page, households.other))?.body.outcomeReason).toBe('走错了户');

    // Asked twice; "不放弃" keeps everything.
    await page.getByRole('button', { name: '放弃这份草稿' }).click();
    await page.getByText('确定放弃吗？').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '不放弃' }).click();
    expect((await deviceForm(page, households.other))?.state).toBe('draft');

    await page.getByRole('button', { name: '放弃这份草稿' }).click();
    await page.getByRole('button', { name: '确定放弃' }).click();
    await page.waitForURL((u) => u.pathname === '/households');
    expect(await deviceForm(page, households.other)).toBeUndefined();
    await expect.poll(() => page.locator(`[data-household-id="${households.other}"] .badge`).first().textContent()).toBe('未核查');

    // Opened again: a fresh form from the roster. Once submitted, it can no longer be discarded.
    await form.goto(server.baseUrl, households.other);
    expect(await page.getByLabel('原因和经过').count()).toBe(0);
    await form.choose(page, '入户情况', '找不到');
    await page.getByLabel('原因和经过').fill('全家外出务工');
    await form.next();
    await page.getByRole('button', { name: '提交', exact: true }).first().click();
    await expect.poll(() => form.formState().getAttribute('data-state')).toBe('ready');
    expect(await page.getByRole('button', { name: '放弃这份草稿' }).count()).toBe(0);
    expect((await readDeviceRows(page, 'outbox')).length).toBe(1);
  });

  it('tells the cadre when storage is full, keeps what was saved, and refuses new photos', async () => {
    const page = await signedInWithArea();
    const form = new CheckFormPage(page);
    await form.goto(server.baseUrl, households.other);
    await page.getByLabel('联系电话').fill('13900001111');
    await form.waitSaved();
    // The disk fills up: every IndexedDB write now fails the way Chromium fails it.
    await page.evaluate(() => {
      const full = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
      IDBObjectStore.prototype.put = full;
      IDBObjectStore.prototype.add = full;
    });
    await page.getByLabel('联系电话').fill('13900002222');
    await page.getByRole('alert').filter({ hasText: '手机存储空间已满' }).waitFor();
    expect(await form.saveStatus().textContent()).toBe('未保存');
    await form.openSection('当面核实');
    await page.getByText('手机存储空间不足，暂不能添加照片。已填写的内容不受影响。').waitFor();
    expect(await page.getByLabel('拍照 / 选择照片').count()).toBe(0);
    // What was saved before is still on the device.
    expect((await deviceForm(page, households.other))?.body.household.phone).toBe('13900001111');
  });
});
