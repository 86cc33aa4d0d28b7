/**
 * The numbers a cadre types in on the spot (a new member's citizen ID, a new
 * account's number) are the only full numbers a form carries. They go up in
 * full; every copy of the form the server sends out (pull, review) has them
 * masked; and when a masked copy comes back in a push, the server puts the
 * full number it holds back in its place, so editing a synced form never
 * loses what was typed (issue 12, item 3).
 */
import { maskAccount, maskCitizenId } from '#shared/domain/mask.ts';
import { isMaskedNumber, type CheckFormBody } from '#shared/schemas/check-form.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const entries = (body: unknown, key: 'members' | 'accounts'): Json[] => {
  const list = isObject(body) ? body[key] : undefined;
  return Array.isArray(list) ? list.filter(isObject) : [];
};

/** A copy of the body with every typed-in full number masked; the stored body is not touched. */
export function maskFormBody(body: CheckFormBody): CheckFormBody {
  const typed = body.members.some((m) => m.idNumber !== null && m.idNumber !== '' && !isMaskedNumber(m.idNumber)) || body.accounts.some((a) => a.accountNumber !== '' && !isMaskedNumber(a.accountNumber));
  if (!typed) return body;
  return {
    ...body,
    members: body.members.map((m) => (m.idNumber === null || m.idNumber === '' || isMaskedNumber(m.idNumber) ? m : { ...m, idNumber: maskCitizenId(m.idNumber) })),
    accounts: body.accounts.map((a) => (a.accountNumber === '' || isMaskedNumber(a.accountNumber) ? a : { ...a, accountNumber: maskAccount(a.accountNumber) })),
  };
}

/** Whether a pushed body (not yet validated) holds a masked number that needs the stored one. */
export function hasMaskedNumbers(body: unknown): boolean {
  return (
    entries(body, 'members').some((m) => typeof m.idNumber === 'string' && isMaskedNumber(m.idNumber)) ||
    entries(body, 'accounts').some((a) => typeof a.accountNumber === 'string' && isMaskedNumber(a.accountNumber))
  );
}

export interface Restored {
  body: unknown;
  /** Paths (`members.2.idNumber`) of masked numbers the stored form does not hold in full. */
  unresolved: string[];
}

/**
 * The pushed body with each masked number replaced by the full one of the
 * same member (by personId) or account (same bank, same mask) in `stored`.
 * A masked number with no such match is reported, never stored.
 */
export function restoreMaskedNumbers(body: unknown, stored: CheckFormBody | undefined): Restored {
  if (!hasMaskedNumbers(body) || !isObject(body)) return { body, unresolved: [] };
  const unresolved: string[] = [];
  const fullId = new Map<string, string>();
  for (const m of stored?.members ?? []) if (m.idNumber !== null && m.idNumber !== '' && !isMaskedNumber(m.idNumber)) fullId.set(m.personId, m.idNumber);
  const storedAccounts = (stored?.accounts ?? []).filter((a) => a.accountNumber !== '' && !isMaskedNumber(a.accountNumber));

  const members = Array.isArray(body.members)
    ? body.members.map((m: unknown, i) => {
        if (!isObject(m) || typeof m.idNumber !== 'string' || !isMaskedNumber(m.idNumber)) return m;
        const full = typeof m.personId === 'string' ? fullId.get(m.personId) : undefined;
        if (full !== undefined && maskCitizenId(full) === m.idNumber) return { ...m, idNumber: full };
        unresolved.push(`members.${i}.idNumber`);
        return m;
      })
    : body.members;
  const accounts = Array.isArray(body.accounts)
    ? body.accounts.map((a: unknown, i) => {
        if (!isObject(a) || typeof a.accountNumber !== 'string' || !isMaskedNumber(a.accountNumber)) return a;
        const masked = a.accountNumber;
        const full = storedAccounts.find((s) => s.bankName === a.bankName && maskAccount(s.accountNumber) === masked);
        if (full !== undefined) return { ...a, accountNumber: full.accountNumber };
        unresolved.push(`accounts.${i}.accountNumber`);
        return a;
      })
    : body.accounts;
  return { body: { ...body, members, accounts }, unresolved };
}

const maskOf = (path: string, value: string): string => (path.endsWith('.idNumber') ? maskCitizenId(value) : maskAccount(value));
const isNumberPath = (path: string) => path.endsWith('.idNumber') || path.endsWith('.accountNumber');

/** A conflict as a reviewer sees it: a typed-in number on either side masked. */
export function maskConflict<C extends { path: string; mine: unknown; theirs: unknown }>(c: C): C {
  if (!isNumberPath(c.path)) return c;
  const m = (v: unknown) => (typeof v === 'string' && v !== '' && !isMaskedNumber(v) ? maskOf(c.path, v) : v);
  return { ...c, mine: m(c.mine), theirs: m(c.theirs) };
}

/** The value a reviewer chose for a conflict: a masked number the reviewer saw means the full value on that side. */
export function unmaskResolution(c: { path: string; mine: unknown; theirs: unknown }, value: unknown): unknown {
  if (!isNumberPath(c.path) || typeof value !== 'string' || !isMaskedNumber(value)) return value;
  for (const side of [c.mine, c.theirs]) if (typeof side === 'string' && side !== '' && maskOf(c.path, side) === value) return side;
  return value;
}
