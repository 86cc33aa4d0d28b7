import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { DeviceStatusSchema } from '#shared/schemas/review.ts';
import { UserSchema } from '#shared/schemas/users.ts';
import { buildTestApp, DEMO_PASSWORD, sessionCookie, signIn, type TestApp } from '#test/helpers/app.ts';

/**
 * A lost phone (issue 12, item 2): a supervisor revokes a device of their
 * area; its sessions end at once, and its next request is told to wipe
 * (401 device_revoked); the wipe it reports, with what unsent work was
 * lost, shows in the device list, once. A disabled user's devices are told
 * the same.
 */
let t: TestApp;
let supervisor: string;

beforeAll(async () => {
  t = await buildTestApp();
  supervisor = await signIn(t.app, 'supervisor');
});
afterAll(async () => {
  await t.close();
});

/** A phone: signs in under its own device id and syncs once, so the server lists the device. */
async function phone(username: string) {
  const deviceId = randomUUID();
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username, password: DEMO_PASSWORD, deviceId } });
  const cookie = sessionCookie(res);
  // The device row is made by its first sync; an empty batch registers it.
  const push = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie }, payload: { deviceId, appVersion: 'test', outboxSize: 3, mutations: [] } });
  expect(push.statusCode, push.body).toBe(200);
  return { deviceId, cookie };
}

async function devices(cookie = supervisor) {
  return z.parse(z.array(DeviceStatusSchema), (await t.app.inject({ method: 'GET', url: '/api/devices', headers: { cookie } })).json());
}

describe('revoking a lost phone', () => {
  it("ends its sessions now; its next request is told to wipe; its report shows in the device list, once", async () => {
    const p = await phone('cadre');
    const revoke = await t.app.inject({ method: 'POST', url: `/api/devices/${p.deviceId}/revoke`, headers: { cookie: supervisor } });
    expect(revoke.statusCode, revoke.body).toBe(204);

    const next = await t.app.inject({ method: 'GET', url: '/api/sync/pull', headers: { cookie: p.cookie } });
    expect(next.statusCode).toBe(401);
    expect(next.json<{ error: { code: string; message: string } }>().error).toEqual({ code: 'device_revoked', message: '本设备已被停用，本机保存的核查数据已清除' });
    expect((await devices()).find((d) => d.id === p.deviceId)).toMatchObject({ wipedAt: null });
    expect((await devices()).find((d) => d.id === p.deviceId)?.revokedAt).toEqual(expect.any(String));

    const report = await t.app.inject({ method: 'POST', url: `/api/devices/${p.deviceId}/wiped`, payload: { lostForms: 2, lostMutations: 3 } });
    expect(report.statusCode, report.body).toBe(204);
    const wiped = (await devices()).find((d) => d.id === p.deviceId);
    expect([wiped?.lostForms, wiped?.lostMutations, typeof wiped?.wipedAt]).toEqual([2, 3, 'string']);
    // Once: a second report (or anyone's) changes nothing.
    expect((await t.app.inject({ method: 'POST', url: `/api/devices/${p.deviceId}/wiped`, payload: { lostForms: 0, lostMutations: 0 } })).statusCode).toBe(404);

    // The same person signs in again: on a new device id it works as before; under the revoked id
    // (an app that kept it) it gets nothing of the area, and is told to wipe again.
    const fresh = await signIn(t.app, 'cadre');
    expect((await t.app.inject({ method: 'GET', url: '/api/sync/pull?limit=10', headers: { cookie: fresh, 'x-device-id': randomUUID() } })).statusCode).toBe(200);
    const again = sessionCookie(await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'cadre', password: DEMO_PASSWORD, deviceId: p.deviceId } }));
    const pulled = await t.app.inject({ method: 'GET', url: '/api/sync/pull?limit=10', headers: { cookie: again, 'x-device-id': p.deviceId } });
    expect([pulled.statusCode, pulled.json<{ error: { code: string } }>().error.code]).toEqual([401, 'device_revoked']);
    const pushed = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie: again }, payload: { deviceId: p.deviceId, appVersion: 'test', mutations: [] } });
    expect([pushed.statusCode, pushed.json<{ error: { code: string } }>().error.code]).toEqual([401, 'device_revoked']);
  });

  it('accepts a wipe report only from a device that was told to wipe', async () => {
    const p = await phone('inspector');
    expect((await t.app.inject({ method: 'POST', url: `/api/devices/${p.deviceId}/wiped`, payload: { lostForms: 0, lostMutations: 0 } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/api/devices/${randomUUID()}/wiped`, payload: { lostForms: 0, lostMutations: 0 } })).statusCode).toBe(404);
  });

  it('is for supervisors and admins, inside their area', async () => {
    const p = await phone('inspector');
    const cadre = await signIn(t.app, 'cadre');
    expect((await t.app.inject({ method: 'POST', url: `/api/devices/${p.deviceId}/revoke`, headers: { cookie: cadre } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/devices/${randomUUID()}/revoke`, headers: { cookie: supervisor } })).statusCode).toBe(404);
  });

  it("tells a disabled user's devices to wipe too", async () => {
    const p = await phone('inspector');
    const admin = await signIn(t.app, 'admin');
    const users = z.parse(z.array(UserSchema), (await t.app.inject({ method: 'GET', url: '/api/admin/users', headers: { cookie: admin } })).json());
    const inspector = users.find((u) => u.username === 'inspector')!;
    await t.app.inject({ method: 'POST', url: `/api/admin/users/${inspector.id}/disable`, headers: { cookie: admin } });
    const next = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: p.cookie } });
    expect(next.json<{ error: { code: string } }>().error.code).toBe('account_disabled');
    expect((await t.app.inject({ method: 'POST', url: `/api/devices/${p.deviceId}/wiped`, payload: { lostForms: 1, lostMutations: 1 } })).statusCode).toBe(204);
  });
});
