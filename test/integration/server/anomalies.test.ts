import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { PLANTED_KIND_CODES, PLANTED_KINDS, type DemoCounty } from '#server/cli/demo/generate.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { hashPassword } from '#server/auth/password.ts';
import { insertRosterBatch } from '#server/db/roster-bulk-repository.ts';
import { personKey, privacyKeys } from '#server/privacy/keys.ts';
import { maskAccount } from '#shared/domain/mask.ts';
import { insertUser } from '#server/db/users-repository.ts';
import { PROBLEM_CODE_VALUES, type ProblemCode } from '#shared/domain/problem-codes.ts';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import { AnomalyScanResultSchema, type AnomalyScanResult } from '#shared/schemas/anomalies.ts';
import { buildTestApp, DEMO_PASSWORD, signIn, type TestApp } from '#test/helpers/app.ts';

let t: TestApp;
let county: DemoCounty;
let supervisor: string;
/** The whole county's scan, every finding on one page. */
let full: AnomalyScanResult;

async function scan(cookie: string, body?: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/anomalies/scan', headers: { cookie }, ...(body ? { payload: body } : {}) });
}

async function scanOk(cookie: string, body?: Record<string, unknown>): Promise<AnomalyScanResult> {
  const res = await scan(cookie, body);
  expect(res.statusCode, res.body).toBe(200);
  return z.parse(AnomalyScanResultSchema, res.json());
}

async function userFor(username: string, role: 'supervisor' | 'cadre', areaCode: string): Promise<string> {
  await insertUser(t.database.db, { username, displayName: username, role, areaCode, passwordHash: await hashPassword(DEMO_PASSWORD) });
  return signIn(t.app, username);
}

beforeAll(async () => {
  t = await buildTestApp();
  county = await loadDemoCounty(t.database.db, { seed: 20220, people: 2000 });
  supervisor = await signIn(t.app, 'supervisor');
  full = await scanOk(supervisor, { limit: 500 });
});
afterAll(async () => {
  await t.close();
});

describe('POST /api/anomalies/scan', () => {
  it("finds every planted anomaly of the supervisor's county at its planted count", async () => {
    const planted = Object.fromEntries(PROBLEM_CODE_VALUES.map((c) => [c, 0])) as Record<ProblemCode, number>;
    for (const kind of PLANTED_KINDS) planted[PLANTED_KIND_CODES[kind]] += county.planted.counts[kind];
    expect(full.counts).toEqual(planted);
    expect(full.total).toBe(county.planted.cases.length);
    expect(full.findings).toHaveLength(full.total);
    expect(full.scanned).toEqual({
      households: county.counts.households,
      persons: county.counts.persons,
      accounts: county.counts.accounts,
      paymentLines: county.counts.paymentLines,
    });
    expect(full.areaPrefix).toBe('421321');

    // By the manifest's ids: the deceased, the C2 accounts, the C1 households.
    const idsOf = (kind: (typeof PLANTED_KINDS)[number], pick: (c: (typeof county.planted.cases)[number]) => string) =>
      county.planted.cases.filter((c) => c.kind === kind).map(pick).sort();
    const found = (code: ProblemCode, pick: (f: AnomalyScanResult['findings'][number]) => string) =>
      full.findings.filter((f) => f.problemCode === code).map(pick).sort();
    // The answer names people by key and accounts masked: never a full number.
    const keys = await privacyKeys(t.app.db.db);
    expect(found('A3', (f) => f.personIds.join())).toEqual(idsOf('payment-after-death', (c) => c.personIds.map((id) => personKey(keys, id)).join()).sort());
    expect(found('C2', (f) => f.accountNumbers.join())).toEqual(idsOf('account-for-unrelated-people', (c) => c.accountNumbers.map(maskAccount).join()).sort());
    expect(JSON.stringify(full)).not.toMatch(/\d{17}[\dX]|\d{16,19}/);
    expect(found('C1', (f) => f.householdIds.join())).toEqual(idsOf('cadre-relative-receiving', (c) => c.householdIds.join()));
    const b2 = full.findings.find((f) => f.problemCode === 'B2');
    expect(b2?.detail).toMatch(/^\S+镇|^\S+乡|^\S+街道/); // the township by name, from the regions table
  });

  it('gives the same finding ids on every scan', async () => {
    const again = await scanOk(supervisor, { limit: 500 });
    expect(again.findings.map((f) => f.id)).toEqual(full.findings.map((f) => f.id));
  });

  it('pages and filters the findings while the counts stay whole', async () => {
    const page = await scanOk(supervisor, { offset: 3, limit: 4 });
    expect(page.findings.map((f) => f.id)).toEqual(full.findings.slice(3, 7).map((f) => f.id));
    expect(page.total).toBe(full.total);
    expect(page.counts).toEqual(full.counts);

    const a2 = await scanOk(supervisor, { problemCode: 'A2' });
    expect(a2.total).toBe(full.counts.A2);
    expect(a2.findings.every((f) => f.problemCode === 'A2')).toBe(true);
    expect(a2.amountFen).toBe(a2.findings.reduce((s, f) => s + f.amountFen, 0));
    expect(a2.counts).toEqual(full.counts);

    const bare = await scanOk(supervisor);
    expect(bare.limit).toBe(100);
    expect(bare.total).toBe(full.total);
  });

  it('is for supervisors and admins only', async () => {
    const cadreCookie = await signIn(t.app, 'cadre');
    const cadre = await scan(cadreCookie);
    expect(cadre.statusCode).toBe(403);
    expect(ApiErrorSchema.parse(cadre.json()).error.code).toBe('forbidden');
    // Refused before the body is looked at: no validation answer for a caller without the role.
    expect((await scan(cadreCookie, { villageCode: 'not-a-code' })).statusCode).toBe(403);
    expect((await scan(await signIn(t.app, 'inspector'))).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/anomalies/scan' })).statusCode).toBe(401);
    const admin = await scanOk(await signIn(t.app, 'admin'), { limit: 500 });
    expect(admin.findings.map((f) => f.id)).toEqual(full.findings.map((f) => f.id));
  });

  it("shows a township supervisor their township's findings only", async () => {
    // The township with the most findings, so there is something on both sides.
    const perTownship = new Map<string, number>();
    for (const f of full.findings) for (const v of new Set(f.villageCodes.map((c) => c.slice(0, 9)))) perTownship.set(v, (perTownship.get(v) ?? 0) + 1);
    const [township] = [...perTownship].sort((a, b) => b[1] - a[1])[0]!;
    const cookie = await userFor('sup-township', 'supervisor', `${township}000`);

    const own = await scanOk(cookie, { limit: 500 });
    expect(own.areaPrefix).toBe(township);
    expect(own.total).toBeGreaterThan(0);
    expect(own.total).toBeLessThan(full.total);
    for (const f of own.findings) expect(f.villageCodes.every((v) => v.startsWith(township)), f.detail).toBe(true);
    const expected = full.findings.filter((f) => f.villageCodes.some((v) => v.startsWith(township))).map((f) => f.id);
    expect(own.findings.map((f) => f.id)).toEqual(expected);
    expect(own.scanned.paymentLines).toBeLessThan(full.scanned.paymentLines);

    // Narrowing to a village: allowed inside the township, refused outside it.
    const village = own.findings[0]!.villageCodes[0]!;
    const narrowed = await scanOk(cookie, { villageCode: village, limit: 500 });
    expect(narrowed.areaPrefix).toBe(village);
    expect(narrowed.findings.length).toBeGreaterThan(0);
    for (const f of narrowed.findings) expect(f.villageCodes).toContain(village);

    const elsewhere = county.regions.find((r) => r.level === 'village' && !r.code.startsWith(township))!;
    const refused = await scan(cookie, { villageCode: elsewhere.code });
    expect(refused.statusCode).toBe(403);
    expect(ApiErrorSchema.parse(refused.json()).error.code).toBe('outside_area');
  });

  it('follows a line of the area into an account held outside it', async () => {
    // 厉山镇's resident holds the card; a person of another township is paid into it.
    const villageOf = (township: string) => county.regions.find((r) => r.level === 'village' && r.code.startsWith(township))!.code;
    const [holderVillage, claimantVillage] = [villageOf('421321101'), villageOf('421321102')];
    const holder = { id: '421321190001010011', householdId: 'ctx-holder' };
    const claimant = { id: '421321190001020022', householdId: 'ctx-claimant' };
    const account = { number: '6210590000000000017', bankName: '湖北随县农村商业银行', type: 'card', holderPersonId: holder.id } as const;
    const person = (p: { id: string; householdId: string }, name: string) =>
      ({ ...p, name, sex: 'M', birthDate: '1900-01-01', relation: '户主', status: 'living' }) as const;
    const household = (id: string, villageCode: string, headPersonId: string) => ({ id, villageCode, groupName: '一组', houseNumber: '99', headPersonId });
    await insertRosterBatch(t.database.db, {
      households: [household(holder.householdId, holderVillage, holder.id), household(claimant.householdId, claimantVillage, claimant.id)],
      persons: [person(holder, '甲某某'), person(claimant, '乙某某')],
      accounts: [account],
      paymentLines: [
        {
          id: `CL02:${claimant.id}:2021-01:1`,
          itemCode: 'CL02',
          beneficiaryPersonId: claimant.id,
          householdId: claimant.householdId,
          period: '2021-01',
          amountFen: 8000,
          paidOn: '2021-01-15',
          accountNumber: account.number,
          bankName: account.bankName,
        },
      ],
    });
    const keys = await privacyKeys(t.app.db.db);
    const onAccount = (r: AnomalyScanResult) => r.findings.filter((f) => f.accountNumbers.includes(maskAccount(account.number)) && f.rule === 'account-for-other-households');

    const claimantSide = await scanOk(await userFor('sup-claimant', 'supervisor', `${claimantVillage.slice(0, 9)}000`), { limit: 500 });
    const [found, ...more] = onAccount(claimantSide);
    expect(more).toEqual([]);
    expect(found).toMatchObject({ problemCode: 'C2', villageCodes: [holderVillage, claimantVillage], amountFen: 8000 });
    expect(found!.personIds).toEqual([personKey(keys, holder.id), personKey(keys, claimant.id)]);
    expect(found!.detail).toContain('甲某某');

    // The finding lives where the money was claimed; the county sees it once.
    const holderSide = await scanOk(await userFor('sup-holder', 'supervisor', `${holderVillage.slice(0, 9)}000`), { limit: 500 });
    expect(onAccount(holderSide)).toEqual([]);
    expect(onAccount(await scanOk(supervisor, { limit: 500 })).map((f) => f.id)).toEqual([found!.id]);
  });

  it('names the field of a bad body', async () => {
    const res = await scan(supervisor, { villageCode: '421321101000' });
    expect(res.statusCode).toBe(400);
    expect(ApiErrorSchema.parse(res.json()).error.fields?.map((f) => f.path)).toContain('body.villageCode');
    expect((await scan(supervisor, { limit: 501 })).statusCode).toBe(400);
  });
});
