/**
 * Hand-written checks of the few wire shapes that the sign-in and home
 * screens read: the signed-in user, an API error, a pull page's envelope, and
 * the sign-in fields. They let the field path load without zod (its 120 KB
 * budget, BENCHMARKS.md); everything else parses with the zod schemas, which
 * stay the contract. wire-guards.test.ts checks that both agree.
 *
 * Only type imports from the zod modules: those are erased from the bundle.
 */
import type { Area, Me, SignInBody } from './auth.ts';
import type { PullResponse } from './sync.ts';
import { COLUMN_ENTITIES } from './sync-columns.ts';
import { REGION_LEVELS, ROLES, SIGN_IN_LIMITS, SIGN_IN_MESSAGES, SYNC_ENTITIES } from './wire-values.ts';

/** A response that does not have the shape the contract promises; `path` names the field. */
export class WireFormatError extends Error {
  constructor(
    readonly path: string,
    expected: string,
  ) {
    super(`${path || '(root)'}: expected ${expected}`);
    this.name = 'WireFormatError';
  }
}

type Obj = Record<string, unknown>;

function object(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new WireFormatError(path, 'an object');
  return v as Obj;
}
function string(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new WireFormatError(path, 'a string');
  return v;
}
function matching(v: unknown, re: RegExp, path: string): string {
  const s = string(v, path);
  if (!re.test(s)) throw new WireFormatError(path, `a string matching ${String(re)}`);
  return s;
}
function oneOf<const T extends readonly string[]>(v: unknown, values: T, path: string): T[number] {
  if (typeof v !== 'string' || !values.includes(v)) throw new WireFormatError(path, `one of ${values.join(', ')}`);
  return v;
}
function boolean(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new WireFormatError(path, 'a boolean');
  return v;
}
function integer(v: unknown, path: string): number {
  if (!Number.isSafeInteger(v)) throw new WireFormatError(path, 'an integer');
  return v as number;
}
function nonNegativeInt(v: unknown, path: string): number {
  if (integer(v, path) < 0) throw new WireFormatError(path, 'a non-negative integer');
  return v as number;
}
function objects(v: unknown, path: string): Obj[] {
  if (!Array.isArray(v)) throw new WireFormatError(path, 'an array');
  v.forEach((row, i) => object(row, `${path}.${i}`));
  return v as Obj[];
}

// RFC 9562 layout with a version and variant, as zod's z.uuid(); the nil and max UUIDs too.
const UUID = /^([0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/i;

function area(v: unknown, path: string): Area {
  const o = object(v, path);
  return {
    code: matching(o.code, /^\d{12}$/, `${path}.code`),
    prefix: matching(o.prefix, /^\d{2,12}$/, `${path}.prefix`),
    name: string(o.name, `${path}.name`),
    level: oneOf(o.level, REGION_LEVELS, `${path}.level`),
  };
}

/** The signed-in user (`/api/me`, sign-in, and the device's cached copy), as MeSchema parses it. */
export function parseMe(v: unknown): Me {
  const o = object(v, '');
  return {
    id: matching(o.id, UUID, 'id'),
    username: string(o.username, 'username'),
    displayName: string(o.displayName, 'displayName'),
    role: oneOf(o.role, ROLES, 'role'),
    area: area(o.area, 'area'),
    ...(o.mustChangePassword === true ? { mustChangePassword: true } : {}),
  };
}

/** `{ error: { code, message } }` of a non-2xx answer, or null when the body is not one. */
export function readApiError(v: unknown): { code: string; message: string } | null {
  if (typeof v !== 'object' || v === null) return null;
  const e = (v as Obj).error;
  if (typeof e !== 'object' || e === null) return null;
  const { code, message } = e as Obj;
  return typeof code === 'string' && typeof message === 'string' ? { code, message } : null;
}

/**
 * A pull page. As PullResponseSchema: the envelope is checked, the rows are
 * only checked to be objects (they come from our own server; re-validating
 * 150,000 payment lines would cost a cheap phone seconds).
 */
export function parsePullPage(v: unknown): PullResponse {
  const o = object(v, '');
  const ch = object(o.changes, 'changes');
  const changes = {} as Record<(typeof SYNC_ENTITIES)[number], Obj[]>;
  for (const e of SYNC_ENTITIES) changes[e] = objects(ch[e], `changes.${e}`);
  const page: PullResponse = {
    changes: changes as unknown as PullResponse['changes'],
    cursor: string(o.cursor, 'cursor'),
    hasMore: boolean(o.hasMore, 'hasMore'),
  };
  if (o.reset !== undefined) {
    if (o.reset !== true) throw new WireFormatError('reset', 'true');
    page.reset = true;
  }
  if (o.totals !== undefined) {
    // Every entity, and only those (a record keyed by an enum, as in the schema).
    const t = object(o.totals, 'totals');
    for (const k of Object.keys(t)) oneOf(k, SYNC_ENTITIES, `totals.${k}`);
    const totals = {} as Record<(typeof SYNC_ENTITIES)[number], number>;
    for (const e of SYNC_ENTITIES) totals[e] = integer(t[e], `totals.${e}`);
    page.totals = totals;
  }
  if (o.regions !== undefined) {
    if (!Array.isArray(o.regions)) throw new WireFormatError('regions', 'an array');
    page.regions = o.regions.map((r, i) => {
      const region = object(r, `regions.${i}`);
      return { code: string(region.code, `regions.${i}.code`), name: string(region.name, `regions.${i}.name`), level: oneOf(region.level, REGION_LEVELS, `regions.${i}.level`) };
    });
  }
  if (o.columns !== undefined) {
    const c = object(o.columns, 'columns');
    const columns: NonNullable<PullResponse['columns']> = {};
    for (const e of COLUMN_ENTITIES) {
      if (c[e] === undefined) continue;
      const block = object(c[e], `columns.${e}`);
      const cols = object(block.c, `columns.${e}.c`);
      for (const [k, col] of Object.entries(cols)) if (!Array.isArray(col)) throw new WireFormatError(`columns.${e}.c.${k}`, 'an array');
      columns[e] = { n: nonNegativeInt(block.n, `columns.${e}.n`), c: cols as Record<string, unknown[]> };
    }
    page.columns = columns;
  }
  return page;
}

export type SignInFieldCheck = { ok: true; data: Pick<SignInBody, 'username' | 'password'> } | { ok: false; errors: Partial<Record<'username' | 'password', string>> };

/** The sign-in form's two fields, checked as SignInBodySchema checks them (username trimmed). */
export function checkSignInFields(values: { username: string; password: string }): SignInFieldCheck {
  const username = values.username.trim();
  const { password } = values;
  const errors: Partial<Record<'username' | 'password', string>> = {};
  if (username.length === 0) errors.username = SIGN_IN_MESSAGES.usernameMissing;
  else if (username.length > SIGN_IN_LIMITS.usernameMax) errors.username = SIGN_IN_MESSAGES.usernameTooLong;
  if (password.length === 0) errors.password = SIGN_IN_MESSAGES.passwordMissing;
  else if (password.length > SIGN_IN_LIMITS.passwordMax) errors.password = SIGN_IN_MESSAGES.passwordTooLong;
  return errors.username || errors.password ? { ok: false, errors } : { ok: true, data: { username, password } };
}
