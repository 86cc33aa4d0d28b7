import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { AuditPageSchema } from '#shared/schemas/audit.ts';
import { MeSchema } from '#shared/schemas/auth.ts';
import { UserSchema, type User } from '#shared/schemas/users.ts';
import { newTemporaryPassword } from '#server/cli/users-command.ts';
import { buildTestApp, sessionCookie, signIn, type TestApp } from '#test/helpers/app.ts';

/**
 * Accounts (issue 12, item 1): an admin manages the users of their own area;
 * a new or reset password must be changed at next sign-in, and until then
 * the session can do nothing else; a disabled account's sessions stop at once.
 */
let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signIn(t.app, 'admin');
});
afterAll(async () => {
  await t.close();
});

const VILLAGE = '421321101200';
const TOWNSHIP = '421321101000';

async function create(body: Record<string, unknown>, cookie = admin) {
  return t.app.inject({ method: 'POST', url: '/api/admin/users', headers: { cookie }, payload: body });
}

async function signInAs(username: string, password: string) {
  return t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username, password } });
}

async function auditActions(user: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/admin/audit?user=admin`, headers: { cookie: admin } });
  return z.parse(AuditPageSchema, res.json()).entries.filter((e) => e.targetId === user).map((e) => e.action);
}

describe('an admin manages the accounts of their area', () => {
  let created: User;

  it('creates a cadre of a village; the new user must choose a password before anything else', async () => {
    const res = await create({ username: 'wang.cadre', displayName: '王村干', role: 'cadre', areaCode: VILLAGE, phone: '13800001111', password: 'Temp2026ab' });
    expect(res.statusCode, res.body).toBe(201);
    created = z.parse(UserSchema, res.json());
    expect(created).toMatchObject({ username: 'wang.cadre', role: 'cadre', areaCode: VILLAGE, areaName: '星亮村村民委员会', disabled: false, mustChangePassword: true });

    const signedIn = await signInAs('wang.cadre', 'Temp2026ab');
    expect(signedIn.statusCode).toBe(200);
    expect(z.parse(MeSchema, signedIn.json()).mustChangePassword).toBe(true);
    const cookie = sessionCookie(signedIn);
    // Nothing but who am I, change the password, sign out.
    const pull = await t.app.inject({ method: 'GET', url: '/api/sync/pull', headers: { cookie } });
    expect(pull.statusCode).toBe(403);
    expect(pull.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'password_change_required', message: '管理员为您设置了临时密码，请先修改密码' });
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(200);

    const weak = await t.app.inject({ method: 'POST', url: '/api/me/password', headers: { cookie }, payload: { current: 'Temp2026ab', next: 'abcdefgh' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json<{ error: { fields: { path: string; message: string }[] } }>().error.fields).toEqual([{ path: 'body.next', message: '密码须同时包含字母和数字' }]);
    const wrong = await t.app.inject({ method: 'POST', url: '/api/me/password', headers: { cookie }, payload: { current: 'nope', next: 'Xingliang88' } });
    expect(wrong.statusCode).toBe(400);
    const changed = await t.app.inject({ method: 'POST', url: '/api/me/password', headers: { cookie }, payload: { current: 'Temp2026ab', next: 'Xingliang88' } });
    expect(changed.statusCode, changed.body).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/sync/pull', headers: { cookie } })).statusCode).toBe(200);
    expect((await signInAs('wang.cadre', 'Temp2026ab')).statusCode).toBe(401);
    expect((await signInAs('wang.cadre', 'Xingliang88')).statusCode).toBe(200);
  });

  it('refuses what does not fit: a cadre above village level, an area outside the admin, a weak password, a taken name', async () => {
    const township = await create({ username: 'li', displayName: '李', role: 'cadre', areaCode: TOWNSHIP, password: 'Temp2026ab' });
    expect(township.statusCode).toBe(400);
    expect(township.json<{ error: { message: string } }>().error.message).toBe('村干部的工作区域应为村（社区）');
    const elsewhere = await create({ username: 'li', displayName: '李', role: 'supervisor', areaCode: '420100000000', password: 'Temp2026ab' });
    expect(elsewhere.statusCode).toBe(403);
    const unknown = await create({ username: 'li', displayName: '李', role: 'supervisor', areaCode: '421321999999', password: 'Temp2026ab' });
    expect(unknown.statusCode).toBe(400);
    const weak = await create({ username: 'li', displayName: '李', role: 'supervisor', areaCode: TOWNSHIP, password: 'li123456' });
    expect(weak.json<{ error: { fields: unknown[] } }>().error.fields).toEqual([{ path: 'body.password', message: '密码不能包含用户名' }]);
    const taken = await create({ username: 'wang.cadre', displayName: '王', role: 'supervisor', areaCode: TOWNSHIP, password: 'Temp2026ab' });
    expect(taken.statusCode).toBe(409);
    const badName = await create({ username: '王 五', displayName: '王五', role: 'supervisor', areaCode: TOWNSHIP, password: 'Temp2026ab' });
    expect(badName.statusCode).toBe(400);
  });

  it('edits, disables (its sessions stop at once) and enables again; every change is in the audit log', async () => {
    const cookie = sessionCookie(await signInAs('wang.cadre', 'Xingliang88'));
    const edited = await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${created.id}`, headers: { cookie: admin }, payload: { displayName: '王德明', phone: '' } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(z.parse(UserSchema, edited.json())).toMatchObject({ displayName: '王德明', phone: null });

    const disabled = await t.app.inject({ method: 'POST', url: `/api/admin/users/${created.id}/disable`, headers: { cookie: admin } });
    expect(z.parse(UserSchema, disabled.json()).disabled).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
    expect((await signInAs('wang.cadre', 'Xingliang88')).statusCode).toBe(401);

    await t.app.inject({ method: 'POST', url: `/api/admin/users/${created.id}/enable`, headers: { cookie: admin } });
    expect((await signInAs('wang.cadre', 'Xingliang88')).statusCode).toBe(200);
    expect(await auditActions('wang.cadre')).toEqual(['user.enable', 'user.disable', 'user.update', 'user.create']);
  });

  it('resets a password: every session of the account ends, and the new one must be changed', async () => {
    const cookie = sessionCookie(await signInAs('wang.cadre', 'Xingliang88'));
    const reset = await t.app.inject({ method: 'POST', url: `/api/admin/users/${created.id}/password`, headers: { cookie: admin }, payload: { password: 'Reset2026ab' } });
    expect(z.parse(UserSchema, reset.json()).mustChangePassword).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
    const again = await signInAs('wang.cadre', 'Reset2026ab');
    expect(z.parse(MeSchema, again.json()).mustChangePassword).toBe(true);
  });

  it("lists the area's accounts; an admin does not disable itself or change its own role", async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/admin/users', headers: { cookie: admin } });
    const users = z.parse(z.array(UserSchema), res.json());
    expect(users.map((u) => u.username)).toEqual(expect.arrayContaining(['admin', 'cadre', 'inspector', 'supervisor', 'wang.cadre']));
    const me = users.find((u) => u.username === 'admin')!;
    expect((await t.app.inject({ method: 'POST', url: `/api/admin/users/${me.id}/disable`, headers: { cookie: admin } })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${me.id}`, headers: { cookie: admin }, payload: { role: 'supervisor' } })).statusCode).toBe(409);
  });

  it('is for admins only, and a township admin sees and touches only its township', async () => {
    const supervisor = await signIn(t.app, 'supervisor');
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/users', headers: { cookie: supervisor } })).statusCode).toBe(403);
    expect((await create({ username: 'zhen.admin', displayName: '镇管理员', role: 'admin', areaCode: TOWNSHIP, password: 'Temp2026ab' })).statusCode).toBe(201);
    const first = sessionCookie(await signInAs('zhen.admin', 'Temp2026ab'));
    await t.app.inject({ method: 'POST', url: '/api/me/password', headers: { cookie: first }, payload: { current: 'Temp2026ab', next: 'Lishanzhen9' } });
    const townAdmin = await signIn(t.app, 'zhen.admin', 'Lishanzhen9');
    const listed = z.parse(z.array(UserSchema), (await t.app.inject({ method: 'GET', url: '/api/admin/users', headers: { cookie: townAdmin } })).json());
    expect(listed.every((u) => u.areaCode.startsWith('421321101'))).toBe(true);
    const county = z.parse(z.array(UserSchema), (await t.app.inject({ method: 'GET', url: '/api/admin/users', headers: { cookie: admin } })).json()).find((u) => u.username === 'supervisor')!;
    expect((await t.app.inject({ method: 'POST', url: `/api/admin/users/${county.id}/disable`, headers: { cookie: townAdmin } })).statusCode).toBe(404);
  });
});

describe('temporary passwords from the command line', () => {
  it('are 14 characters with letters and digits and no look-alikes, and differ each time', () => {
    const made = Array.from({ length: 200 }, newTemporaryPassword);
    for (const p of made) expect(p).toMatch(/^(?=.*[a-zA-Z])(?=.*\d)[a-km-zA-HJ-NP-Z2-9]{14}$/);
    expect(new Set(made).size).toBe(200);
  });
});
