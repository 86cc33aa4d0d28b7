import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { DeviceStatusSchema } from '#shared/schemas/review.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { DEMO_PASSWORD, signIn } from '#test/helpers/app.ts';
import { e2eSuite } from '#test/helpers/e2e-suite.ts';
import { readDeviceRow, readDeviceRows, waitForAreaDownload } from './pages/CheckFormPage.ts';
import { SignInPage } from './pages/SignInPage.ts';

const e2e = e2eSuite({ serviceWorkers: 'block', setup: (server) => loadDemoCounty(server.database.db, { people: 600 }) });

describe('a lost phone', () => {
  it('revoked by the supervisor, the phone wipes the area the next time it reaches the server, and the device list says so', async () => {
    const page = e2e.page;
    await page.goto(e2e.server.baseUrl);
    await new SignInPage(page).signIn('cadre', DEMO_PASSWORD);
    await page.getByRole('heading', { level: 1, name: /您好/ }).waitFor();
    await waitForAreaDownload(page);
    expect((await readDeviceRows(page, 'households')).length).toBeGreaterThan(0);
    const deviceId = ((await readDeviceRow(page, 'meta', 'deviceId')) as { value: string }).value;

    const supervisor = await signIn(e2e.server.app, 'supervisor');
    const revoke = await e2e.server.app.inject({ method: 'POST', url: `/api/devices/${deviceId}/revoke`, headers: { cookie: supervisor } });
    expect(revoke.statusCode).toBe(204);

    // The phone comes back online (the app asks /me at start): told to wipe.
    await page.reload();
    await page.getByTestId('wiped').waitFor();
    expect(await page.getByTestId('wiped').textContent()).toContain('本机保存的核查数据已清除');
    expect(await readDeviceRows(page, 'households')).toEqual([]);
    expect(await readDeviceRow(page, 'meta', 'me')).toBeUndefined();

    // The phone reported its wipe: nothing unsent was on it.
    await expect
      .poll(async () => {
        const list = z.parse(z.array(DeviceStatusSchema), (await e2e.server.app.inject({ method: 'GET', url: '/api/devices', headers: { cookie: supervisor } })).json());
        const d = list.find((x) => x.id === deviceId);
        return d ? [typeof d.wipedAt, d.lostForms, d.lostMutations] : null;
      })
      .toEqual(['string', 0, 0]);
  });
});
