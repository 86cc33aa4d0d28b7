import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import { MeSchema, SignInBodySchema } from '#shared/schemas/auth.ts';
import { PullResponseSchema } from '#shared/schemas/sync.ts';
import { checkSignInFields, parseMe, parsePullPage, readApiError, WireFormatError } from '#shared/schemas/wire-guards.ts';

/**
 * The guards stand in for the zod schemas on the field path's first load:
 * every case here is decided by both, and they must agree (same value out,
 * or both refuse).
 */
function agree<T>(schema: z.ZodMiniType, guard: (v: unknown) => T, value: unknown): T | null {
  const fromSchema = z.safeParse(schema, value);
  let fromGuard: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    fromGuard = { ok: true, value: guard(value) };
  } catch (error) {
    fromGuard = { ok: false, error };
  }
  expect(fromGuard.ok, `guard vs schema on ${JSON.stringify(value)}`).toBe(fromSchema.success);
  if (!fromGuard.ok) {
    expect(fromGuard.error).toBeInstanceOf(WireFormatError);
    return null;
  }
  expect(fromGuard.value).toEqual(fromSchema.data);
  return fromGuard.value;
}

const me = {
  id: '0b7c3f52-2d0e-4f7e-9a51-6c1f0e2a9d11',
  username: 'cadre',
  displayName: '李建国',
  role: 'cadre',
  area: { code: '421321101200', prefix: '421321101200', name: '星亮村', level: 'village' },
};

describe('parseMe agrees with MeSchema', () => {
  it('accepts a user and drops keys the contract does not have', () => {
    expect(agree(MeSchema, parseMe, me)).toEqual(me);
    expect(agree(MeSchema, parseMe, { ...me, extra: 1, area: { ...me.area, extra: true } })).toEqual(me);
    for (const role of ['inspector', 'supervisor', 'admin']) agree(MeSchema, parseMe, { ...me, role });
    agree(MeSchema, parseMe, { ...me, area: { code: '421321000000', prefix: '421321', name: '随县', level: 'county' } });
  });

  it.each([
    ['nothing', undefined],
    ['null', null],
    ['an array', [me]],
    ['an id that is not a UUID', { ...me, id: 'u1' }],
    ['a UUID without a version', { ...me, id: '0b7c3f52-2d0e-0f7e-9a51-6c1f0e2a9d11' }],
    ['an unknown role', { ...me, role: 'root' }],
    ['a missing display name', { ...me, displayName: undefined }],
    ['a numeric username', { ...me, username: 7 }],
    ['an 11-digit area code', { ...me, area: { ...me.area, code: '42132110120' } }],
    ['a one-digit prefix', { ...me, area: { ...me.area, prefix: '4' } }],
    ['an unknown level', { ...me, area: { ...me.area, level: 'group' } }],
    ['no area', { ...me, area: null }],
  ])('refuses %s', (_name, value) => {
    expect(agree(MeSchema, parseMe, value)).toBeNull();
  });

  it('names the field that is wrong', () => {
    expect(() => parseMe({ ...me, area: { ...me.area, level: 'group' } })).toThrow(/^area\.level: expected one of/);
  });
});

describe('readApiError agrees with ApiErrorSchema', () => {
  it.each([
    { error: { code: 'bad_request', message: '请求有误' } },
    { error: { code: 'bad_request', message: '请求有误', fields: [{ path: 'body.username', message: '请输入用户名' }] } },
    { error: { code: 'x' } },
    { error: 'boom' },
    { message: 'not ours' },
    null,
    '<!doctype html>',
  ])('%j', (value) => {
    const fromSchema = z.safeParse(ApiErrorSchema, value);
    expect(readApiError(value)).toEqual(fromSchema.success ? { code: fromSchema.data.error.code, message: fromSchema.data.error.message } : null);
  });
});

const emptyChanges = { item: [], household: [], person: [], account: [], paymentLine: [], form: [] };
const page = {
  changes: { ...emptyChanges, item: [{ code: 'A01', name: '低保' }], form: [{ id: 'f1', rev: 2 }] },
  cursor: 'c1',
  hasMore: true,
  totals: { item: 1, household: 2, person: 5, account: 3, paymentLine: 40, form: 1 },
  columns: {
    household: { n: 2, c: { id: ['h1', 'h2'], groupName: ['一组', null] } },
    paymentLine: { n: 0, c: {} },
  },
};

describe('parsePullPage agrees with PullResponseSchema', () => {
  it('accepts pages with and without totals and columns', () => {
    expect(agree(PullResponseSchema, parsePullPage, page)).toEqual(page);
    agree(PullResponseSchema, parsePullPage, { changes: emptyChanges, cursor: '', hasMore: false });
    agree(PullResponseSchema, parsePullPage, { ...page, columns: {} });
    const named = { ...page, regions: [{ code: '421321101000', name: '厉山镇', level: 'township' }, { code: '421321101200', name: '星亮村', level: 'village' }] };
    expect(agree(PullResponseSchema, parsePullPage, named)).toEqual(named);
    agree(PullResponseSchema, parsePullPage, { ...page, regions: [] });
    expect(agree(PullResponseSchema, parsePullPage, { ...page, reset: true })).toMatchObject({ reset: true });
  });

  it.each([
    ['no changes', { cursor: 'c', hasMore: false }],
    ['an entity missing from changes', { ...page, changes: { ...emptyChanges, form: undefined } }],
    ['a row that is not an object', { ...page, changes: { ...emptyChanges, person: ['p1'] } }],
    ['a null row', { ...page, changes: { ...emptyChanges, household: [null] } }],
    ['a numeric cursor', { ...page, cursor: 7 }],
    ['hasMore as a string', { ...page, hasMore: 'true' }],
    ['reset other than true', { ...page, reset: false }],
    ['totals missing an entity', { ...page, totals: { item: 1 } }],
    ['totals with an unknown entity', { ...page, totals: { ...page.totals, region: 4 } }],
    ['a fractional total', { ...page, totals: { ...page.totals, person: 1.5 } }],
    ['a column that is not an array', { ...page, columns: { household: { n: 1, c: { id: 'h1' } } } }],
    ['a negative row count', { ...page, columns: { household: { n: -1, c: {} } } }],
    ['a block without columns', { ...page, columns: { person: { n: 0 } } }],
    ['regions that are not a list', { ...page, regions: { '421321101200': '星亮村' } }],
    ['a region without a name', { ...page, regions: [{ code: '421321101200', level: 'village' }] }],
    ['a region of an unknown level', { ...page, regions: [{ code: '421321101200', name: '星亮村', level: 'hamlet' }] }],
  ])('refuses %s', (_name, value) => {
    expect(agree(PullResponseSchema, parsePullPage, value)).toBeNull();
  });
});

describe('checkSignInFields applies SignInBodySchema to the two fields', () => {
  const SignInFields = z.pick(SignInBodySchema, { username: true, password: true });
  it.each([
    ['cadre', 'Demo@2026'],
    ['  cadre  ', 'pw'],
    ['', 'pw'],
    ['   ', ''],
    ['cadre', ''],
    ['u'.repeat(64), 'p'.repeat(256)],
    ['u'.repeat(65), 'p'],
    ['u', 'p'.repeat(257)],
    [` ${'u'.repeat(64)} `, 'p'],
  ])('%j / %j', (username, password) => {
    const fromSchema = z.safeParse(SignInFields, { username, password });
    const fromGuard = checkSignInFields({ username, password });
    if (fromSchema.success) {
      expect(fromGuard).toEqual({ ok: true, data: fromSchema.data });
    } else {
      const errors: Record<string, string> = {};
      for (const issue of fromSchema.error.issues) {
        const field = String(issue.path[0]);
        errors[field] ??= issue.message;
      }
      expect(fromGuard).toEqual({ ok: false, errors });
    }
  });
});
