import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { DEFAULT_CHECK_PERIOD, prefillForm } from '#shared/domain/check-form-rules.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import { PullResponseSchema } from '#shared/schemas/sync.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { DEMO_PASSWORD, signIn } from '#test/helpers/app.ts';
import { seriousA11yViolations } from '#test/helpers/axe.ts';
import { e2eSuite, type E2eServer } from '#test/helpers/e2e-suite.ts';
import { CheckFormPage, readDeviceRows, waitForAreaDownload } from './pages/CheckFormPage.ts';
import { SignInPage } from './pages/SignInPage.ts';
import { expectNoSidewaysScroll } from '#test/helpers/layout.ts';

/**
 * The cadre's field usability at 360×740 on a touch phone (issue 11): a
 * typical household — 3 members, 3 subsidy items, 1 account, one A2 problem —
 * in at most 30 taps and inputs with every member and item still answered
 * explicitly; no screen wider than the phone; a submit that is unmistakable;
 * and the work visibly reaching the township.
 */
const VILLAGE_GPS = { latitude: 31.7169, longitude: 113.3739, accuracy: 15 };
let typical: string;

async function findTypical(server: E2eServer): Promise<void> {
  // Enough people that the demo village has households of the typical shape.
  await loadDemoCounty(server.database.db, { people: 12_000 });
  const cadre = await signIn(server.app, 'cadre');
  const r = z.parse(PullResponseSchema, (await server.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: cadre } })).json()).changes;
  const found = r.household.find((h) => {
    const b = prefillForm(h, r.person, r.account, r.paymentLine, r.item, DEFAULT_CHECK_PERIOD, 'x', { visitedAt: '2022-06-01T09:30:00+08:00' });
    return b.members.length === 3 && b.items.length === 3 && b.accounts.length === 1 && b.items.every((i) => i.ledgerLineCount > 0);
  });
  if (!found) throw new Error('the demo village has no household of 3 members, 3 items and 1 account');
  typical = found.id;
}

const e2e = e2eSuite({
  serviceWorkers: 'block',
  setup: findTypical,
  contextOptions: { hasTouch: true, isMobile: true, geolocation: VILLAGE_GPS, permissions: ['geolocation'] },
});

/** Counts what the cadre does: each tap, each text typed, each signature drawn. */
class Cadre {
  actions = 0;
  constructor(readonly page: Page) {}
  async tap(target: Locator): Promise<void> {
    await target.scrollIntoViewIfNeeded();
    await target.tap();
    this.actions++;
  }
  async type(target: Locator, text: string): Promise<void> {
    await target.tap();
    await target.fill(text);
    this.actions++;
  }
  async answer(scope: Locator | Page, question: string | RegExp, option: string): Promise<void> {
    const group = scope.getByRole('group', typeof question === 'string' ? { name: question, exact: true } : { name: question });
    await this.tap(group.locator('label', { hasText: new RegExp(`^${option}$`) }));
  }
  async next(form: CheckFormPage): Promise<void> {
    const before = await form.heading().textContent();
    await this.tap(form.nav().getByRole('button', { name: /下一步/ }));
    await this.page.waitForFunction((t) => document.querySelector('h1')?.textContent !== t, before);
    await expectNoSidewaysScroll(this.page, (await form.heading().textContent()) ?? '');
  }
}

async function signedIn(): Promise<Page> {
  const page = e2e.page;
  await page.goto(e2e.server.baseUrl);
  await new SignInPage(page).signIn('cadre', DEMO_PASSWORD);
  await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
  await waitForAreaDownload(page);
  return page;
}

describe('a typical household on a touch phone', () => {
  it('takes at most 30 taps and inputs, every member and item answered, nothing sideways; submit is unmistakable and leads to the next household', async () => {
    const page = await signedIn();
    const form = new CheckFormPage(page);
    await form.goto(e2e.server.baseUrl, typical);
    // Opening the household from the list is one tap too.
    const cadre = new Cadre(page);
    cadre.actions = 1;

    await form.heading().filter({ hasText: '本户情况' }).waitFor();
    await expectNoSidewaysScroll(page, '本户情况');
    await cadre.answer(page, '家中是否有村（组）干部的亲属？', '否');
    await cadre.next(form);

    // Members: one tap for "all present, ID matches", nothing answered before it.
    const before = (await readDeviceRows(page, 'forms')) as { householdId: string; body: CheckFormBody }[];
    expect(before.find((f) => f.householdId === typical)?.body.members.every((m) => m.present === null)).toBe(true);
    await cadre.tap(page.getByRole('button', { name: /全部在场、身份一致/ }));
    await cadre.next(form);

    // Items: one tap each as the ledger says; the first was only partly received.
    await form.heading().filter({ hasText: '补贴项目' }).waitFor();
    const items = page.getByRole('region');
    expect(await items.count()).toBe(3);
    for (let i = 0; i < 3; i++) await cadre.tap(items.nth(i).getByRole('button', { name: /本项与台账一致/ }));
    await cadre.answer(items.first(), '是否收到', '部分收到');
    await cadre.type(items.first().getByLabel('实际收到（元）'), '100');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await cadre.next(form);

    // Account: the four questions of the card.
    const account = page.getByRole('region').first();
    await cadre.answer(account, '卡（折）现在由谁保管', '本人');
    await cadre.tap(account.getByRole('button', { name: '增加' }));
    await cadre.answer(account, '是否被扣费（年费、短信费等）', '否');
    await cadre.answer(account, '是否收到到账短信', '收到');
    await cadre.next(form);

    await cadre.answer(page, '是否见过补贴政策清单的公示？', '见过');
    await cadre.answer(page, '是否见过补贴发放结果的公示？', '见过');
    await cadre.next(form);

    // Evidence: GPS by itself, the householder signs.
    await page.getByText(/31\.71690, 113\.37390/).waitFor();
    await form.drawSignature();
    cadre.actions++;
    await page.getByText('已签名', { exact: true }).waitFor();
    await cadre.next(form);

    // Problems: the A2 the rules propose, accepted; then submit.
    const proposal = page.locator('.proposal').filter({ hasText: '本人称只收到 100.00 元' });
    await cadre.tap(proposal.getByRole('button', { name: '采纳' }));
    await cadre.tap(page.getByRole('button', { name: '提交', exact: true }).first());

    const confirmation = page.getByRole('status').filter({ hasText: '本户已提交' });
    await confirmation.waitFor();
    // Where the cadre is looking: in view, not at the top of a long page.
    const box = await confirmation.boundingBox();
    expect(box && box.y >= 0 && box.y + box.height <= 740).toBe(true);
    await expectNoSidewaysScroll(page, 'submitted');
    expect(cadre.actions, `taps and inputs for a typical household`).toBeLessThanOrEqual(30);
    console.log(`typical household: ${cadre.actions} taps and inputs`);

    const stored = ((await readDeviceRows(page, 'forms')) as { householdId: string; state: string; body: CheckFormBody }[]).find((f) => f.householdId === typical)!;
    expect(stored.state).toBe('ready');
    expect(stored.body.members.every((m) => m.present === true && m.identityChecked === true)).toBe(true);
    const [first, ...rest] = stored.body.items;
    expect(first).toMatchObject({ knows: true, received: 'partly', amountReceivedFen: 10000, onTime: true, intoOwnCard: true, distribution: 'direct' });
    for (const it of rest) expect(it).toMatchObject({ knows: true, received: 'yes', amountReceivedFen: it.ledgerAmountFen, onTime: true, intoOwnCard: true, distribution: 'direct' });
    expect(stored.body.problems.map((p) => p.code)).toEqual(['A2']);

    // 下一户 opens the next household still to check.
    await page.getByRole('link', { name: /^下一户/ }).tap();
    await page.waitForURL((u) => !u.pathname.includes(encodeURIComponent(typical)));
    await form.ready();
    await form.heading().filter({ hasText: '本户情况' }).waitFor();
  });

  it('a quick answer can be undone, and each of its questions changed on its own', async () => {
    const page = await signedIn();
    const form = new CheckFormPage(page);
    await form.goto(e2e.server.baseUrl, typical);
    await form.openSection('补贴项目');
    const item = page.getByRole('region').nth(1);
    // The same button, whatever it reads: "✓ 本项与台账一致", or "已填…（再点一次撤销）" while on.
    const quick = item.locator('button.btn-quick');
    expect(await quick.textContent()).toContain('本项与台账一致');
    await quick.tap();
    await expect.poll(() => quick.getAttribute('aria-pressed')).toBe('true');
    expect(await quick.textContent()).toContain('撤销');
    await item.getByRole('group', { name: '是否按时到账', exact: true }).locator('label', { hasText: /^不按时$/ }).tap();
    // Changed one answer: no longer "as the ledger" as a whole.
    await expect.poll(() => quick.getAttribute('aria-pressed')).toBe('false');
    await quick.tap();
    await expect.poll(() => quick.getAttribute('aria-pressed')).toBe('true');
    // Undo: back to what was there before this tap.
    await quick.tap();
    await expect.poll(() => quick.getAttribute('aria-pressed')).toBe('false');
    await form.waitSaved();
    // Back to what was there before the second tap (the changed answer).
    const f = ((await readDeviceRows(page, 'forms')) as { householdId: string; body: CheckFormBody }[]).find((x) => x.householdId === typical)!;
    expect(f.body.items[1]).toMatchObject({ onTime: false });
  });
});

describe('a problem the cadre records by hand', () => {
  it('has no code until one is picked from the full list', async () => {
    const page = await signedIn();
    const form = new CheckFormPage(page);
    await form.goto(e2e.server.baseUrl, typical);
    await form.openSection('发现问题');
    await page.getByRole('button', { name: /登记一个问题/ }).tap();
    const picker = page.getByRole('region', { name: '请选择问题类型' });
    await picker.waitFor();
    // Nothing recorded yet, and no code chosen for the cadre.
    await form.waitSaved();
    const problemsOf = async () => ((await readDeviceRows(page, 'forms')) as { householdId: string; body: CheckFormBody }[]).find((f) => f.householdId === typical)?.body.problems ?? [];
    expect(await problemsOf()).toEqual([]);
    const choices = picker.getByRole('button', { name: /^[ABC]\d/ });
    expect(await choices.count()).toBeGreaterThan(10);
    // The long official names are shown whole: no button clips its text.
    const clipped = await choices.evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1).length);
    expect(clipped).toBe(0);
    await expectNoSidewaysScroll(page, 'problem code picker');
    const chosen = (await choices.nth(3).textContent()) ?? '';
    await choices.nth(3).tap();
    const code = chosen.trim().slice(0, 2);
    await page.getByRole('region', { name: new RegExp(`^${code} `) }).waitFor();
    await expect.poll(async () => (await problemsOf()).map((p) => p.code)).toEqual([code]);
  });
});

describe('dates in Chinese', () => {
  it('the visit time reads in Chinese in an English browser', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-US', serviceWorkers: 'block', geolocation: VILLAGE_GPS, permissions: ['geolocation'] });
    try {
      const page = await context.newPage();
      await page.goto(e2e.server.baseUrl);
      await new SignInPage(page).signIn('cadre', DEMO_PASSWORD);
      await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
      await waitForAreaDownload(page);
      const form = new CheckFormPage(page);
      await form.goto(e2e.server.baseUrl, typical);
      await form.openSection('当面核实');
      await expect.poll(() => page.getByTestId('visited-at-zh').textContent()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/u);
    } finally {
      await context.close();
    }
  });
});

describe('installable, with Chinese guidance', () => {
  it("offers Chrome's install prompt on the home screen", async () => {
    const page = await signedIn();
    expect(await page.getByRole('region', { name: '安装到手机桌面' }).count()).toBe(0);
    // What Chrome on Android fires once the app is installable (headless Chromium never does).
    await page.evaluate(() => {
      const e = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
        prompt: () => {
          (window as unknown as { prompted: boolean }).prompted = true;
          return Promise.resolve();
        },
        userChoice: Promise.resolve({ outcome: 'accepted' }),
      });
      window.dispatchEvent(e);
    });
    const card = page.getByRole('region', { name: '安装到手机桌面' });
    await card.waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await card.getByRole('button', { name: '安装', exact: true }).tap();
    await expect.poll(() => page.evaluate(() => (window as unknown as { prompted?: boolean }).prompted === true)).toBe(true);
    await expect.poll(() => card.count()).toBe(0);
  });

  it('shows an iPhone how to add it to the home screen, until told 以后再说', async () => {
    const context = await e2e.browser.newContext({
      viewport: { width: 360, height: 740 },
      locale: 'zh-CN',
      serviceWorkers: 'block',
      hasTouch: true,
      isMobile: true,
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    });
    try {
      const page = await context.newPage();
      await page.goto(e2e.server.baseUrl);
      await new SignInPage(page).signIn('cadre', DEMO_PASSWORD);
      await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
      const card = page.getByRole('region', { name: '安装到手机桌面' });
      await card.getByText('添加到主屏幕', { exact: false }).first().waitFor();
      await expectNoSidewaysScroll(page, 'home with the install guide');
      await card.getByRole('button', { name: '以后再说' }).tap();
      await expect.poll(() => card.count()).toBe(0);
      await page.reload();
      await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
      expect(await card.count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});

describe('no screen is wider than the phone', () => {
  it('home, households, sync and every section of the form, at 360 px', async () => {
    const page = await signedIn();
    await expectNoSidewaysScroll(page, 'home');
    expect(await seriousA11yViolations(page), 'home').toEqual([]);
    for (const path of ['/households', '/sync']) {
      await page.goto(`${e2e.server.baseUrl}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await expectNoSidewaysScroll(page, path);
      expect(await seriousA11yViolations(page), path).toEqual([]);
    }
    const form = new CheckFormPage(page);
    await form.goto(e2e.server.baseUrl, typical);
    for (const section of ['本户情况', '家庭成员', '补贴项目', '一卡通账户', '公示', '当面核实', '发现问题']) {
      await form.openSection(section);
      // The payment lines of an item, opened: cards, not a wide table.
      for (const d of await page.locator('details.ledger').all()) await d.locator('summary').tap();
      await expectNoSidewaysScroll(page, section);
      expect(await seriousA11yViolations(page), section).toEqual([]);
    }
    // Submitting with answers missing: the first one is focused, in view and not under the bottom bar.
    await page.getByRole('button', { name: '提交', exact: true }).first().tap();
    await form.heading().filter({ hasText: '本户情况' }).waitFor();
    const placement = await page.evaluate(() => {
      const el = document.activeElement;
      const bar = document.querySelector('.form-bar');
      if (!el || !bar || el === document.body) return null;
      return { field: el.getBoundingClientRect().toJSON() as DOMRect, barTop: bar.getBoundingClientRect().top };
    });
    expect(placement).not.toBeNull();
    expect(placement!.field.top).toBeGreaterThanOrEqual(0);
    expect(placement!.field.bottom).toBeLessThanOrEqual(placement!.barTop);
  });

  it("the supervisor's review screens", async () => {
    const page = e2e.page;
    await page.goto(e2e.server.baseUrl);
    await new SignInPage(page).signIn('supervisor', DEMO_PASSWORD);
    await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
    await page.goto(`${e2e.server.baseUrl}/review`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('heading', { name: '设备状态' }).waitFor();
    await expectNoSidewaysScroll(page, '/review');
  });
});

describe('the cadre sees the work reach the township', () => {
  it('the sync screen lists what went up and when; the list shows each household\'s state', async () => {
    const page = await signedIn();
    const households = (await readDeviceRows(page, 'households')) as { id: string }[];
    const target = households.find((h) => h.id !== typical)!.id;
    const form = new CheckFormPage(page);
    await form.goto(e2e.server.baseUrl, target);
    // Not found at home: only the reason and the attempt's evidence are needed.
    await form.choose(page, '入户情况', '找不到');
    await page.getByLabel('原因和经过').fill('外出务工，多次上门未见');
    await form.next();
    await page.getByRole('button', { name: '提交', exact: true }).first().tap();
    await page.getByRole('status').filter({ hasText: '本户已提交' }).waitFor();
    // Synced from the sync screen; the pull that follows must not hide what went up.
    await page.goto(`${e2e.server.baseUrl}/sync`);
    await page.getByRole('button', { name: '立即同步' }).tap();
    await expect.poll(async () => ((await readDeviceRows(page, 'forms')) as { householdId: string; state: string }[]).find((f) => f.householdId === target)?.state, { timeout: 30_000 }).toBe('synced');
    await page.reload();
    const recent = page.getByRole('region', { name: '最近已上传' });
    await recent.getByText(/已上传，待审核/).waitFor();
    expect(await recent.getByText('还没有从本机上传过核查表').count()).toBe(0);
    await page.goto(`${e2e.server.baseUrl}/households`);
    await expect.poll(() => page.locator(`[data-household-id="${target}"] .badge`).textContent(), { timeout: 10_000 }).toBe('已上传');
    await expect.poll(() => page.locator('.badge', { hasText: /^未核查$/ }).count()).toBeGreaterThan(0);
  });
});

describe('every other screen at 360 px', () => {
  it('sign-in, the review detail and the import screen: no sideways scroll, no serious axe violation', async () => {
    const page = e2e.page;
    await page.goto(e2e.server.baseUrl);
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await expectNoSidewaysScroll(page, 'sign-in');
    await new SignInPage(page).signIn('supervisor', DEMO_PASSWORD);
    await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
    await page.goto(`${e2e.server.baseUrl}/review`);
    // The earlier scenario uploaded a form: open it.
    const first = page.locator('a[href^="/review/"]').first();
    await first.waitFor();
    await first.tap();
    await page.getByRole('heading', { name: '审核', exact: true }).waitFor();
    await expectNoSidewaysScroll(page, 'review detail');
    expect(await seriousA11yViolations(page)).toEqual([]);

    const admin = await e2e.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN', serviceWorkers: 'block' });
    try {
      const ap = await admin.newPage();
      await ap.goto(e2e.server.baseUrl);
      await new SignInPage(ap).signIn('admin', DEMO_PASSWORD);
      await ap.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
      await ap.goto(`${e2e.server.baseUrl}/admin/imports`);
      await ap.getByRole('heading', { level: 1 }).waitFor();
      await expectNoSidewaysScroll(ap, '/admin/imports');
      expect(await seriousA11yViolations(ap)).toEqual([]);
    } finally {
      await admin.close();
    }
  });
});
