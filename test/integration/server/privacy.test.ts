import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { luhnCheckDigit } from '#shared/domain/account-number.ts';
import { DEFAULT_CHECK_PERIOD, prefillForm } from '#shared/domain/check-form-rules.ts';
import { citizenIdCheckDigit } from '#shared/domain/citizen-id.ts';
import { maskAccount, maskCitizenId } from '#shared/domain/mask.ts';
import { AuditPageSchema } from '#shared/schemas/audit.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import { FormDetailSchema } from '#shared/schemas/review.ts';
import { PullResponseSchema, PushResponseSchema, type PullResponse } from '#shared/schemas/sync.ts';
import { decodeColumns, COLUMN_ENTITIES } from '#shared/schemas/sync-columns.ts';
import { rowsOf } from '#server/db/client.ts';
import { findFormById } from '#server/db/forms-repository.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { accountKey, personKey, privacyKeys, wireLineId, type PrivacyKeys } from '#server/privacy/keys.ts';
import { accountKeySql, maskAccountSql, maskCitizenIdSql, personKeySql } from '#server/db/privacy-sql.ts';
import { giveToInspector } from '#test/helpers/inspection.ts';
import { buildTestApp, signIn, type TestApp } from '#test/helpers/app.ts';

/**
 * Full numbers stay on the server (issue 12, item 3): what any role's device
 * downloads holds keys and masked numbers only; numbers typed in the field go
 * up in full and are kept when a masked copy comes back; a supervisor sees
 * one full number at a time, with a reason, in the audit log.
 */
let t: TestApp;
let keys: PrivacyKeys;
const cookies: Record<'cadre' | 'inspector' | 'supervisor' | 'admin', string> = { cadre: '', inspector: '', supervisor: '', admin: '' };
let roster: PullResponse['changes'];
let counter = 0;
const DEVICE = '0190f0c0-0000-7000-8000-00000000a001';
const INSPECTOR_DEVICE = '0190f0c0-0000-7000-8000-00000000a002';

const NEW_MEMBER_ID = (() => {
  const first17 = '42132120150101003';
  return first17 + citizenIdCheckDigit(first17);
})();
const NEW_CARD = (() => {
  const partial = '621799000000000123';
  return partial + luhnCheckDigit(partial);
})();

beforeAll(async () => {
  t = await buildTestApp();
  await loadDemoCounty(t.database.db, { people: 1200 });
  keys = await privacyKeys(t.app.db.db);
  for (const role of Object.keys(cookies) as (keyof typeof cookies)[]) cookies[role] = await signIn(t.app, role);
  roster = await pullAll(cookies.cadre, 'rows').then((r) => r.changes);
  // The inspector downloads only households given to it: the cadre's village.
  await giveToInspector(t.database.db, 'inspector', roster.household.map((h) => h.id));
});
afterAll(async () => {
  await t.close();
});

async function pullAll(cookie: string, format: 'rows' | 'columns') {
  const raw: string[] = [];
  const changes: PullResponse['changes'] = { item: [], household: [], person: [], account: [], paymentLine: [], form: [] };
  let cursor = '';
  for (let page = 0; page < 200; page++) {
    const res = await t.app.inject({ method: 'GET', url: `/api/sync/pull?limit=5000&format=${format}&regions=1${cursor ? `&cursor=${cursor}` : ''}`, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    raw.push(res.body);
    const body = z.parse(PullResponseSchema, res.json());
    for (const e of Object.keys(changes) as (keyof typeof changes)[]) (changes[e] as unknown[]).push(...body.changes[e]);
    for (const e of COLUMN_ENTITIES) {
      const block = body.columns?.[e];
      if (block) (changes[e] as unknown[]).push(...decodeColumns(e, block));
    }
    cursor = body.cursor;
    if (!body.hasMore) return { raw: raw.join('\n'), changes, cursor };
  }
  throw new Error('pull did not end');
}

async function push(body: unknown, formId: string, baseRev: number, as: 'cadre' | 'inspector' = 'cadre') {
  counter += 1;
  const mutation = { id: randomUUID(), counter, kind: 'form.put', formId, baseRev, body, blobs: [], clientTime: new Date().toISOString() };
  const deviceId = as === 'cadre' ? DEVICE : INSPECTOR_DEVICE;
  const res = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie: cookies[as] }, payload: { deviceId, appVersion: 'test', mutations: [mutation] } });
  expect(res.statusCode, res.body).toBe(200);
  return z.parse(PushResponseSchema, res.json()).results[0]!;
}

/** A household form with a member and a card added on the spot, their numbers typed in full. */
function formWithTypedNumbers(): CheckFormBody {
  const withLines = new Set(roster.paymentLine.map((l) => l.householdId));
  const household = roster.household.find((h) => withLines.has(h.id))!;
  const body = prefillForm(household, roster.person, roster.account, roster.paymentLine, roster.item, DEFAULT_CHECK_PERIOD, '李建国');
  body.members.push({ personId: `new:${randomUUID()}`, name: '李小红', idNumber: NEW_MEMBER_ID, isNew: true, present: true, identityChecked: true, status: 'living', statusDate: null, relation: '孙子女', note: '' });
  body.accounts.push({ accountNumber: NEW_CARD, bankName: '湖北农信', holderPersonId: household.headPersonId, accountType: 'card', isNew: true, heldBy: 'self', cardCount: 2, bankConfirmed: '', feesDeducted: false, feeAmountFen: null, smsReceived: true });
  return body;
}

const FULL_ID_RE = /\d{17}[\dX]/;

describe('keys and masks', () => {
  it('are the same computed in the database as in the server', async () => {
    const ids = ['421321195001010014', '11010519491231002X', NEW_MEMBER_ID];
    const numbers = Array.from({ length: 23 }, (_, i) => '62170000000000000000000000000000'.slice(0, 8 + i).replace(/0$/, String(i % 10)));
    const got = rowsOf<{ id: string; key: string; masked: string }>(
      await t.database.db.execute(sql`select v.id, ${personKeySql(keys, sql`v.id`)} as key, ${maskCitizenIdSql(sql`v.id`)} as masked from unnest(string_to_array(${ids.join(',')}, ',')) as v(id) order by v.id`),
    );
    expect(got).toEqual([...ids].sort().map((id) => ({ id, key: personKey(keys, id), masked: maskCitizenId(id) })));
    // The migration's function the coverage triggers match forms with (0018).
    const fromFunction = rowsOf<{ key: string }>(await t.database.db.execute(sql`select ykt_person_key(v.id) as key from unnest(string_to_array(${ids.join(',')}, ',')) as v(id) order by v.id`));
    expect(fromFunction.map((r) => r.key)).toEqual([...ids].sort().map((id) => personKey(keys, id)));
    const accts = rowsOf<{ n: string; key: string; masked: string }>(
      await t.database.db.execute(sql`select v.n, ${accountKeySql(keys, sql`v.n`, sql`'湖北农信'`)} as key, ${maskAccountSql(sql`v.n`)} as masked from unnest(string_to_array(${numbers.join(',')}, ',')) as v(n) order by length(v.n)`),
    );
    expect(accts).toEqual(numbers.map((n) => ({ n, key: accountKey(keys, n, '湖北农信'), masked: maskAccount(n) })));
    expect(personKey(keys, ids[0]!)).toMatch(/^p[A-Za-z0-9_-]{11}$/);
    expect(wireLineId(keys, `MZ01:${ids[0]}:2021-01:2`)).toBe(`MZ01:${personKey(keys, ids[0]!)}:2021-01:2`);
  });
});

describe('what a device downloads', () => {
  it('holds no citizen ID and no account number, for any role, in either format', async () => {
    // A form with numbers typed in the field is part of the area's download too.
    const body = formWithTypedNumbers();
    expect(await push(body, randomUUID(), 0)).toMatchObject({ status: 'applied' });
    // And the inspector's re-check with numbers typed in: its own download carries it.
    expect(await push({ ...formWithTypedNumbers(), kind: 'inspection' }, randomUUID(), 0, 'inspector')).toMatchObject({ status: 'applied' });
    const fullIds = new Set(rowsOf<{ id: string }>(await t.database.db.execute(sql`select id from persons union select beneficiary_person_id from payment_lines`)).map((r) => r.id));
    const fullNumbers = new Set(rowsOf<{ n: string }>(await t.database.db.execute(sql`select number as n from accounts union select account_number from payment_lines`)).map((r) => r.n));
    fullIds.add(NEW_MEMBER_ID);
    fullNumbers.add(NEW_CARD);
    expect(fullIds.size).toBeGreaterThan(1000);

    for (const role of ['cadre', 'inspector', 'supervisor', 'admin'] as const) {
      for (const format of ['rows', 'columns'] as const) {
        const { raw, changes, cursor } = await pullAll(cookies[role], format);
        expect(changes.person.length, `${role} ${format}`).toBeGreaterThan(0);
        expect(changes.form.length, `${role} ${format}`).toBeGreaterThan(0);
        expect(raw.match(FULL_ID_RE)?.[0], `${role} ${format}: a citizen ID`).toBeUndefined();
        const digitRuns = raw.match(/\d{8,}/g) ?? [];
        expect(digitRuns.filter((run) => fullNumbers.has(run) || fullIds.has(run)), `${role} ${format}: a full number`).toEqual([]);
        // The cursor holds stream positions (full numbers) sealed, not merely encoded.
        expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toMatch(FULL_ID_RE);
        // What the device needs is there: keys that join, masked numbers to compare with the cards.
        const personKeys = new Set(changes.person.map((p) => p.id));
        expect(changes.household.every((h) => personKeys.has(h.headPersonId))).toBe(true);
        expect(changes.person.every((p) => /^\d{4}\*{10}[\dX]{4}$/.test(p.idMasked))).toBe(true);
        expect(changes.account.every((a) => personKeys.has(a.holderPersonId) && /^\d{4} \*{4} \*{4} \d{4}$/.test(a.numberMasked))).toBe(true);
        const accountIds = new Set(changes.account.map((a) => a.id));
        expect(changes.paymentLine.filter((l) => accountIds.has(l.accountId)).length).toBeGreaterThan(changes.paymentLine.length / 2);
      }
    }
  });
});

describe('numbers typed in the field', () => {
  it('go up in full, come back masked, and stay full when the masked copy is pushed again', async () => {
    const formId = randomUUID();
    const body = formWithTypedNumbers();
    expect(await push(body, formId, 0)).toMatchObject({ status: 'applied', rev: 1 });
    const pulled = (await pullAll(cookies.cadre, 'columns')).changes.form.find((f) => f.id === formId)!;
    const member = pulled.body.members.find((m) => m.isNew)!;
    const account = pulled.body.accounts.find((a) => a.isNew === true)!;
    expect(member.idNumber).toBe(maskCitizenId(NEW_MEMBER_ID));
    expect(account.accountNumber).toBe(maskAccount(NEW_CARD));

    // The cadre edits something else on the synced copy and sends it again.
    const edited = structuredClone(pulled.body);
    edited.members[0]!.note = '户主补充说明';
    expect(await push(edited, formId, 1)).toMatchObject({ status: 'applied', rev: 2 });
    const stored = (await findFormById(t.app.db.db, formId))!;
    expect(stored.body.members.find((m) => m.isNew)?.idNumber).toBe(NEW_MEMBER_ID);
    expect(stored.body.accounts.find((a) => a.isNew === true)?.accountNumber).toBe(NEW_CARD);
    expect(stored.body.members[0]!.note).toBe('户主补充说明');
  });

  it('refuses a masked number the server does not hold, naming the field; nothing stored changes', async () => {
    const body = formWithTypedNumbers();
    const i = body.members.findIndex((m) => m.isNew);
    body.members[i]!.idNumber = '4213**********9999';
    const formId = randomUUID();
    const result = await push(body, formId, 0);
    expect(result).toMatchObject({ status: 'rejected', message: '表单中有被隐藏部分数字的号码，服务器上没有对应的完整号码' });
    expect(result.fields).toEqual([{ path: `body.members.${i}.idNumber`, message: '请重新输入完整号码' }]);
    expect(await findFormById(t.app.db.db, formId)).toBeUndefined();
  });
});

describe('seeing a full number', () => {
  let formId: string;
  let householdId: string;
  beforeAll(async () => {
    formId = randomUUID();
    const body = formWithTypedNumbers();
    householdId = body.householdId;
    expect(await push(body, formId, 0)).toMatchObject({ status: 'applied' });
  });
  const reveal = async (cookie: string, payload: Record<string, string>, id = formId) => t.app.inject({ method: 'POST', url: `/api/forms/${id}/reveal`, headers: { cookie }, payload });

  it('shows the review screen masked numbers only', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/forms/${formId}`, headers: { cookie: cookies.supervisor } });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(FULL_ID_RE);
    expect(res.body).not.toContain(NEW_CARD);
    const detail = z.parse(FormDetailSchema, res.json());
    const body = detail.body as CheckFormBody;
    const head = rowsOf<{ id: string }>(await t.database.db.execute(sql`select head_person_id as id from households where id = ${householdId}`))[0]!.id;
    expect(detail.maskedIds?.[body.household.headPersonId]).toBe(maskCitizenId(head));
  });

  it('answers one number, with a reason, and logs who saw what and why', async () => {
    const detail = z.parse(FormDetailSchema, (await t.app.inject({ method: 'GET', url: `/api/forms/${formId}`, headers: { cookie: cookies.supervisor } })).json());
    const body = detail.body as CheckFormBody;
    const head = rowsOf<{ id: string }>(await t.database.db.execute(sql`select head_person_id as id from households where id = ${householdId}`))[0]!.id;

    const res = await reveal(cookies.supervisor, { kind: 'citizen-id', key: body.household.headPersonId, reason: '核实户主身份' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ number: head });
    expect(res.headers['cache-control']).toBe('no-store');

    const newMember = body.members.find((m) => m.isNew)!;
    expect((await reveal(cookies.supervisor, { kind: 'citizen-id', key: newMember.personId, reason: '核对新增成员' })).json()).toEqual({ number: NEW_MEMBER_ID });
    const known = body.accounts.find((a) => a.accountId !== undefined)!;
    const full = rowsOf<{ n: string; b: string }>(
      await t.database.db.execute(sql`select number as n, bank_name as b from accounts union select account_number, bank_name from payment_lines where household_id = ${householdId}`),
    ).find((a) => accountKey(keys, a.n, a.b) === known.accountId)!;
    expect((await reveal(cookies.supervisor, { kind: 'account', key: known.accountId!, reason: '核对账户' })).json()).toEqual({ number: full.n });

    const log = z.parse(AuditPageSchema, (await t.app.inject({ method: 'GET', url: '/api/admin/audit?action=pii.view', headers: { cookie: cookies.admin } })).json());
    expect(log.entries.map((e) => [e.username, e.targetType, e.targetId, e.details.reason, e.details.formId])).toEqual([
      ['supervisor', 'account', known.accountId, '核对账户', formId],
      ['supervisor', 'citizen-id', newMember.personId, '核对新增成员', formId],
      ['supervisor', 'citizen-id', body.household.headPersonId, '核实户主身份', formId],
    ]);
    // The log itself carries keys, never the numbers shown.
    expect(JSON.stringify(log)).not.toMatch(FULL_ID_RE);
  });

  it('is refused without a reason, for a key not of the household, and to a cadre', async () => {
    const noReason = await reveal(cookies.supervisor, { kind: 'citizen-id', key: 'pAAAAAAAAAAA', reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('请写明查看原因');
    const other = roster.person.find((p) => p.householdId !== householdId)!;
    const elsewhere = await reveal(cookies.supervisor, { kind: 'citizen-id', key: other.id, reason: '试一试' });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json()).toMatchObject({ error: { code: 'not_found', message: '本户没有这个号码' } });
    expect((await reveal(cookies.cadre, { kind: 'citizen-id', key: other.id, reason: '试一试' })).statusCode).toBe(403);
    expect((await reveal(cookies.supervisor, { kind: 'citizen-id', key: other.id, reason: '试一试' }, randomUUID())).statusCode).toBe(404);
  });
});
