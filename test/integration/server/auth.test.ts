import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import { MeSchema } from '#shared/schemas/auth.ts';
import { buildTestApp, DEMO_PASSWORD, sessionCookie, signIn, type TestApp } from '#test/helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('sign-in', () => {
  it('signs in each demo role and reports its area of 随县', async () => {
    const expected = {
      cadre: { level: 'village', prefixLength: 12 },
      inspector: { level: 'township', prefixLength: 9 },
      supervisor: { level: 'county', prefixLength: 6 },
      admin: { level: 'county', prefixLength: 6 },
    } as const;
    for (const [username, exp] of Object.entries(expected)) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username, password: DEMO_PASSWORD } });
      expect(res.statusCode, res.body).toBe(200);
      const me = MeSchema.parse(res.json());
      expect(me.role).toBe(username);
      expect(me.area.level).toBe(exp.level);
      expect(me.area.code.startsWith('421321')).toBe(true);
      expect(me.area.prefix).toHaveLength(exp.prefixLength);
      expect(me.area.name).not.toBe(me.area.code);
      const cookie = res.cookies.find((c) => c.name === 'ykt_sid');
      expect(cookie?.httpOnly).toBe(true);
      expect(cookie?.sameSite).toBe('Strict');
    }
  });

  it('gives one message for a wrong password and for an unknown user', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'cadre', password: 'nope-nope' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'nobody', password: 'nope-nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const a = ApiErrorSchema.parse(wrong.json());
    const b = ApiErrorSchema.parse(unknown.json());
    expect(a).toEqual(b);
    expect(a.error.message).toBe('用户名或密码错误');
    expect(wrong.cookies).toHaveLength(0);
  });

  it('names the missing field when the body violates the schema', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'cadre' } });
    expect(res.statusCode).toBe(400);
    const body = ApiErrorSchema.parse(res.json());
    expect(body.error.code).toBe('validation');
    expect(body.error.fields?.map((f) => f.path)).toContain('body.password');
    expect(body.error.message).toContain('body.password');
  });
});

describe('sessions', () => {
  it('answers /api/me for a live session and 401 without one', async () => {
    const cookie = await signIn(t.app, 'supervisor');
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(MeSchema.parse(me.json()).username).toBe('supervisor');

    const anon = await t.app.inject({ method: 'GET', url: '/api/me' });
    expect(anon.statusCode).toBe(401);
    expect(ApiErrorSchema.parse(anon.json()).error.code).toBe('unauthenticated');

    const forged = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: 'ykt_sid=forged-token' } });
    expect(forged.statusCode).toBe(401);
  });

  it('revokes the session on sign-out: the same cookie is refused afterwards', async () => {
    const cookie = await signIn(t.app, 'cadre');
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(ApiErrorSchema.parse(after.json()).error.code).toBe('session_expired');
  });

  it('lets a user revoke another device (a lost phone) and keeps the current one', async () => {
    const phone = await signIn(t.app, 'inspector');
    const desk = await signIn(t.app, 'inspector');
    const list = await t.app.inject({ method: 'GET', url: '/api/me/sessions', headers: { cookie: desk } });
    expect(list.statusCode).toBe(200);
    const sessions = list.json<{ id: string; current: boolean }[]>();
    expect(sessions.length).toBeGreaterThanOrEqual(2);
    const other = sessions.find((s) => !s.current);
    expect(other).toBeDefined();
    const del = await t.app.inject({ method: 'DELETE', url: `/api/me/sessions/${other!.id}`, headers: { cookie: desk } });
    expect(del.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: phone } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: desk } })).statusCode).toBe(200);
  });

  it('keeps sessions per device id', async () => {
    const deviceId = '0191d2a0-0000-7000-8000-000000000001';
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'admin', password: DEMO_PASSWORD, deviceId } });
    const cookie = sessionCookie(res);
    const list = await t.app.inject({ method: 'GET', url: '/api/me/sessions', headers: { cookie } });
    const current = list.json<{ deviceId: string | null; current: boolean }[]>().find((s) => s.current);
    expect(current?.deviceId).toBe(deviceId);
  });
});

describe('sign-in rate limit', () => {
  it('answers 429 after too many attempts from one address', async () => {
    const limited = await buildTestApp({ signInRateLimit: { max: 3, timeWindow: 60_000 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await limited.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username: 'cadre', password: 'wrong-pass' } });
        codes.push(res.statusCode);
        if (res.statusCode === 429) expect(ApiErrorSchema.parse(res.json()).error.code).toBe('rate_limited');
      }
      expect(codes).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('the session cookie', () => {
  const signInCookie = async (app: TestApp['app'], headers: Record<string, string>) => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', headers, payload: { username: 'cadre', password: DEMO_PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    return String(res.headers['set-cookie']);
  };

  it('is Secure when the request came over HTTPS by a trusted proxy, and not otherwise', async () => {
    // No proxy trusted (the default): a forged X-Forwarded-Proto changes nothing.
    expect(await signInCookie(t.app, {})).not.toMatch(/;\s*Secure/i);
    expect(await signInCookie(t.app, { 'x-forwarded-proto': 'https' })).not.toMatch(/;\s*Secure/i);
    const behind = await buildTestApp({ trustProxy: '127.0.0.1' });
    try {
      expect(await signInCookie(behind.app, { 'x-forwarded-proto': 'https' })).toMatch(/;\s*Secure/i);
      expect(await signInCookie(behind.app, { 'x-forwarded-proto': 'http' })).not.toMatch(/;\s*Secure/i);
    } finally {
      await behind.close();
    }
    const always = await buildTestApp({ secureCookies: true });
    try {
      expect(await signInCookie(always.app, {})).toMatch(/;\s*Secure/i);
    } finally {
      await always.close();
    }
  });

  it('is HttpOnly and SameSite=Strict', async () => {
    const cookie = await signInCookie(t.app, {});
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  });
});
