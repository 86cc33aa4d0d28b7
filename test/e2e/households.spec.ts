import { describe, expect, it } from 'vitest';
import type { PullChanges, SyncHousehold, SyncPerson } from '#shared/schemas/sync.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { demoAreas } from '#server/cli/demo-data.ts';
import { DEMO_PASSWORD, signIn } from '#test/helpers/app.ts';
import { seriousA11yViolations } from '#test/helpers/axe.ts';
import { e2eSuite } from '#test/helpers/e2e-suite.ts';
import { giveAreaToInspector } from '#test/helpers/inspection.ts';
import { completeFormBody, pullArea, pushForms, returnForm } from '#test/fixtures/household-forms.ts';
import { HomePage } from './pages/HomePage.ts';
import { AreaCard, HouseholdListPage, SyncPage } from './pages/HouseholdListPage.ts';
import { SignInPage } from './pages/SignInPage.ts';

/** A full 18-character citizen ID anywhere in a text: none may be on screen. */
const FULL_ID = /\d{17}[\dX]/;

let area: PullChanges;
/** A head whose pinyin initials start nobody else's in the village, so a search by them finds exactly that household. */
let target: { household: SyncHousehold; head: SyncPerson };
let returnedHouseholdId: string;
let syncedHouseholdId: string;

const e2e = e2eSuite({
  serviceWorkers: 'allow',
  setup: async (server) => {
    // 3,000 people put 22 households in the cadre's village (1,500 would give 3).
    await loadDemoCounty(server.database.db, { people: 3000 });
    // The inspector's phone holds the households given to it: here its whole township.
    await giveAreaToInspector(server.database.db, '421321101');
    const cadre = await signIn(server.app, 'cadre');
    area = await pullArea(server.app, cadre);
    const households = [...area.household].sort((a, b) => a.id.localeCompare(b.id));
    const found = households.slice(2).flatMap((household) => {
      const head = area.person.find((p) => p.id === household.headPersonId);
      if (!head || head.pinyinInitials.length < 2) return [];
      return area.person.some((p) => p.id !== head.id && p.pinyinInitials.startsWith(head.pinyinInitials)) ? [] : [{ household, head }];
    })[0];
    if (!found) throw new Error('no head with unique pinyin initials in the demo village');
    target = found;
    // Two forms already on the server: one synced, one sent back by the supervisor.
    const [first, second] = households;
    const ids = await pushForms(server.app, cadre, [completeFormBody(area, first!), completeFormBody(area, second!)]);
    await returnForm(server.app, await signIn(server.app, 'supervisor'), ids[1]!, '请补签名');
    syncedHouseholdId = first!.id;
    returnedHouseholdId = second!.id;
  },
});

describe('area download and the household list at 360×740', () => {
  it('downloads the village with a progress bar, then finds households offline by pinyin initials, with IDs masked', async () => {
    // Small pages, a little slower: the bar has several steps to show.
    await e2e.page.route('**/api/sync/pull**', async (route) => {
      const url = new URL(route.request().url());
      url.searchParams.set('limit', '100');
      await new Promise((r) => setTimeout(r, 200));
      await route.continue({ url: url.toString() });
    });
    await e2e.page.goto(e2e.server.baseUrl);
    await new SignInPage(e2e.page).signIn('cadre', DEMO_PASSWORD);
    const home = new HomePage(e2e.page);
    await home.greeting().waitFor();

    const card = new AreaCard(e2e.page);
    await card.progress().waitFor();
    // A real bar: a number of rows received out of the area's total, moving.
    await e2e.page.waitForFunction(() => Number(document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow')) > 0);
    const max = Number(await card.progress().getAttribute('aria-valuemax'));
    // Everything of the area, the two forms pushed after `area` was read included.
    const expected = area.item.length + area.household.length + area.person.length + area.account.length + area.paymentLine.length + area.form.length + 2;
    expect(max).toBe(expected);
    await card.state().filter({ hasText: `本机已有 ${area.household.length} 户` }).waitFor();
    await card.card().getByText('最近下载').waitFor();
    expect(await card.progress().count()).toBe(0);
    expect(await seriousA11yViolations(e2e.page)).toEqual([]);

    // Offline from here: reload, and the list opens from the device.
    await e2e.page.unroute('**/api/sync/pull**');
    await e2e.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await e2e.context.setOffline(true);
    await e2e.page.reload();
    await home.greeting().waitFor();
    await card.openHouseholds();
    const list = new HouseholdListPage(e2e.page);
    await list.heading().waitFor();
    await list.groups().waitFor();
    await expect.poll(() => list.syncBadge().textContent()).toContain('离线');

    // Every household of the village, each with a masked ID and no full one anywhere.
    await expect.poll(() => list.rows().count()).toBe(area.household.length);
    const masked = await list.maskedIds().allTextContents();
    expect(masked).toHaveLength(area.household.length);
    for (const text of masked) expect(text.replace('身份证', '').trim()).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    expect(await e2e.page.locator('main').textContent()).not.toMatch(FULL_ID);

    // States from the forms the e2e.server holds; coverage counts the synced one.
    expect(await e2e.page.locator(`[data-household-id="${syncedHouseholdId}"] .badge`).textContent()).toBe('已上传');
    expect(await e2e.page.locator(`[data-household-id="${returnedHouseholdId}"] .badge`).textContent()).toBe('被退回');
    expect(await list.coverage('已核查户数').getAttribute('aria-valuenow')).toBe('1');
    expect(await list.coverage('已核查户数').getAttribute('aria-valuemax')).toBe(String(area.household.length));
    await list.chip(/^被退回/).click();
    await expect.poll(() => list.rows().count()).toBe(1);
    await list.chip(/^全部/).click();
    expect(await seriousA11yViolations(e2e.page)).toEqual([]);

    // Search by the pinyin initials of a real head of household.
    await list.search().fill(target.head.pinyinInitials);
    await list.resultFor(target.household.id).waitFor();
    expect(await list.results().locator('li').count()).toBe(1);
    expect(await list.resultFor(target.household.id).textContent()).toContain(target.head.name);
    expect(await seriousA11yViolations(e2e.page)).toEqual([]);

    // And by the last 4 digits of a member's ID (all the device knows of it): the row shows that member's ID, masked.
    const member = area.person.find((p) => p.householdId === target.household.id && p.id !== target.head.id) ?? target.head;
    const digits = member.idMasked.slice(-4);
    await list.search().fill(digits);
    await list.resultFor(target.household.id).waitFor();
    const shown = await list.resultFor(target.household.id).locator('.hh-id').textContent();
    expect(shown).toContain(member.idMasked);

    // A row opens the household's form.
    await list.resultFor(target.household.id).click();
    await e2e.page.waitForURL((u) => u.pathname === `/households/${encodeURIComponent(target.household.id)}/form`);

    // Deep link while offline: the service worker serves the shell, the list comes from the
    // device, and the search the cadre left the list with is still there.
    await e2e.page.goto(`${e2e.server.baseUrl}/households`);
    await list.resultFor(target.household.id).waitFor();
    expect(await list.search().inputValue()).toBe(digits);
  });

  it("names the villages of an inspector's township in the list and its picker", async () => {
    await e2e.page.goto(e2e.server.baseUrl);
    await new SignInPage(e2e.page).signIn('inspector', DEMO_PASSWORD);
    const card = new AreaCard(e2e.page);
    await card.card().getByText('最近下载').waitFor();
    await card.openHouseholds();
    const list = new HouseholdListPage(e2e.page);
    await list.groups().waitFor();
    const picker = e2e.page.getByLabel('村（社区）');
    const options = await picker.locator('option').allTextContents();
    expect(options.length).toBeGreaterThan(1);
    // "星亮村（22 户）" or "神农社区居民委员会（3 户）", never "村 421321101200（22 户）".
    for (const text of options) expect(text).toMatch(/^[\u4e00-\u9fff]+（\d+ 户）$/);
    expect(options).toContain(`${demoAreas().village.name}（${area.household.length} 户）`);
  });

  it('shows what is waiting and what was sent back on the sync screen, offline too', async () => {
    await e2e.page.goto(e2e.server.baseUrl);
    await new SignInPage(e2e.page).signIn('cadre', DEMO_PASSWORD);
    const card = new AreaCard(e2e.page);
    await card.state().filter({ hasText: '本机已有' }).waitFor();
    await card.openSync();
    const sync = new SyncPage(e2e.page);
    await sync.heading().waitFor();
    await e2e.page.getByRole('heading', { name: '被退回的核查表' }).waitFor();
    await e2e.page.getByText('退回意见：请补签名').waitFor();
    expect(await sync.pendingCount().textContent()).toBe('没有等待上传的核查表');
    expect(await seriousA11yViolations(e2e.page)).toEqual([]);

    await e2e.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await e2e.context.setOffline(true);
    await e2e.page.reload();
    await sync.heading().waitFor();
    await e2e.page.getByText(/未联网/).waitFor();
    await sync.syncNow().click();
    await e2e.page.getByRole('status').filter({ hasText: '无法连接服务器' }).waitFor();
    expect(await seriousA11yViolations(e2e.page)).toEqual([]);
  });
});
