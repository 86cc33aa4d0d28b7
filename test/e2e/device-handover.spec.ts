import { describe, expect, it } from 'vitest';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { demoAreas } from '#server/cli/demo-data.ts';
import { DEMO_PASSWORD } from '#test/helpers/app.ts';
import { e2eSuite } from '#test/helpers/e2e-suite.ts';
import { giveAreaToInspector } from '#test/helpers/inspection.ts';
import { sessionDeviceIds } from '#test/helpers/sessions.ts';
import { CheckFormPage, readDeviceRow, readDeviceRows, waitForAreaDownload, writeDeviceRow } from './pages/CheckFormPage.ts';
import { HomePage } from './pages/HomePage.ts';
import { SignInPage } from './pages/SignInPage.ts';

/**
 * A phone passed from one user to another (domain.md §8: a field device holds
 * no more than its own area's data). Nothing unsent may be lost on the way.
 */
const e2e = e2eSuite({
  serviceWorkers: 'block',
  setup: async (server) => {
    await loadDemoCounty(server.database.db, { people: 1500 });
    // The inspector's phone holds the households given to it: here its whole township.
    await giveAreaToInspector(server.database.db, demoAreas().township.code.slice(0, 9));
  },
});

async function signInAndDownload(username: string): Promise<void> {
  await new SignInPage(e2e.page).signIn(username, DEMO_PASSWORD);
  await new HomePage(e2e.page).greeting().waitFor();
  await waitForAreaDownload(e2e.page);
}

async function signOut(): Promise<void> {
  await new HomePage(e2e.page).signOut();
  await new SignInPage(e2e.page).heading().waitFor();
}

const owner = async () => ((await readDeviceRow(e2e.page, 'meta', 'owner')) as { value: { username: string; areaPrefix: string } } | undefined)?.value;

describe('a phone handed to another user', () => {
  it('drops the previous area before the new user downloads theirs, under a new device id', async () => {
    await e2e.page.goto(e2e.server.baseUrl);
    await signInAndDownload('cadre');
    expect((await owner())?.username).toBe('cadre');
    const deviceId = await readDeviceRow(e2e.page, 'meta', 'deviceId');
    const village = demoAreas().village.code;
    const cadreHouseholds = (await readDeviceRows(e2e.page, 'households')) as { id: string; villageCode: string }[];
    expect(cadreHouseholds.length).toBeGreaterThan(0);
    expect(cadreHouseholds.every((h) => h.villageCode === village)).toBe(true);
    // A household of another township, as if left by an earlier user of the phone.
    await writeDeviceRow(e2e.page, 'households', { id: 'planted-elsewhere', villageCode: '421321102201', groupName: '一组', houseNumber: '1', headPersonId: 'x', phone: null, farmlandMu: null });

    await signOut();
    await signInAndDownload('inspector');

    const now = (await readDeviceRows(e2e.page, 'households')) as { id: string; villageCode: string }[];
    const prefix = demoAreas().township.code.slice(0, 9);
    expect(now.some((h) => h.id === 'planted-elsewhere')).toBe(false);
    expect(now.length).toBeGreaterThan(cadreHouseholds.length);
    expect(now.every((h) => h.villageCode.startsWith(prefix))).toBe(true);
    expect(await owner()).toMatchObject({ username: 'inspector', areaPrefix: prefix });
    // The server binds a device id to its first user: the new user syncs under a new one.
    const renewed = (await readDeviceRow(e2e.page, 'meta', 'deviceId')) as { value: string } | undefined;
    expect(renewed?.value).toMatch(/^[0-9a-f-]{36}$/);
    expect(renewed).not.toEqual(deviceId);
    // Renewed before the sign-in: the inspector's session and pushes carry the same id.
    expect(await sessionDeviceIds(e2e.server.database.db, 'inspector')).toEqual([renewed?.value]);
  });

  it('does not count a form that was only opened, never edited, as unsent work', async () => {
    await e2e.page.goto(e2e.server.baseUrl);
    await signInAndDownload('cadre');
    const households = (await readDeviceRows(e2e.page, 'households')) as { id: string }[];
    await new CheckFormPage(e2e.page).goto(e2e.server.baseUrl, households[1]!.id);
    // Longer than the autosave debounce: opening alone must not look like an edit.
    await e2e.page.waitForTimeout(1500);
    expect(await readDeviceRows(e2e.page, 'forms')).toMatchObject([{ householdId: households[1]!.id, state: 'draft', pristine: true }]);
    await e2e.page.goto(e2e.server.baseUrl);
    await signOut();

    await signInAndDownload('inspector');
    expect((await owner())?.username).toBe('inspector');
    expect(await readDeviceRows(e2e.page, 'forms')).toEqual([]);
  });

  it('stays signed out when the start-up check of the session answers after the sign-out', async () => {
    await e2e.page.goto(e2e.server.baseUrl);
    await signInAndDownload('cadre');
    // The server answers /me at once; the app gets the answer only after the user signed out
    // (on a phone, /me waits behind the sync that opening the app starts).
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await e2e.page.route('**/api/me', async (route) => {
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    await e2e.page.reload();
    await signOut();
    release();
    // Long enough for the answer, the sync it would start and that sync's 401.
    await e2e.page.waitForTimeout(3000);
    await e2e.page.unroute('**/api/me');
    expect(await new SignInPage(e2e.page).heading().isVisible()).toBe(true);
    // Signed out on purpose: no "session expired" either.
    expect(await e2e.page.locator('body').innerText()).not.toContain('登录已失效');
    expect(await readDeviceRow(e2e.page, 'meta', 'me')).toBeUndefined();
    await e2e.page.reload();
    await new SignInPage(e2e.page).heading().waitFor();
  });

  it("refuses another user while the phone holds the owner's unsent form, and keeps it for the owner", async () => {
    await e2e.page.goto(e2e.server.baseUrl);
    await signInAndDownload('cadre');
    const households = (await readDeviceRows(e2e.page, 'households')) as { id: string }[];
    const form = new CheckFormPage(e2e.page);
    await form.goto(e2e.server.baseUrl, households[0]!.id);
    await e2e.page.getByLabel('联系电话').fill('13812345678');
    // Autosave (debounced), then leave the form: a draft the e2e.server does not have.
    await expect.poll(async () => ((await readDeviceRows(e2e.page, 'forms')) as { pristine?: true }[]).filter((f) => f.pristine !== true).length, { timeout: 10_000 }).toBe(1);
    await e2e.page.goto(e2e.server.baseUrl);
    await signOut();

    const signIn = new SignInPage(e2e.page);
    await signIn.signIn('inspector', DEMO_PASSWORD);
    await expect.poll(async () => (await signIn.alert().textContent()) ?? '', { timeout: 10_000 }).toMatch(/本机还有 .+（cadre）的 1 份核查表尚未上传/);
    await expect(signIn.heading().isVisible()).resolves.toBe(true);
    expect(await readDeviceRows(e2e.page, 'forms')).toHaveLength(1);
    expect((await readDeviceRows(e2e.page, 'households')).length).toBe(households.length);
    expect((await owner())?.username).toBe('cadre');

    // The owner signs in again and finds the draft where it was.
    await signIn.signIn('cadre', DEMO_PASSWORD);
    await new HomePage(e2e.page).greeting().waitFor();
    const forms = (await readDeviceRows(e2e.page, 'forms')) as { householdId: string; state: string }[];
    expect(forms).toMatchObject([{ householdId: households[0]!.id, state: 'draft' }]);
  });
});
