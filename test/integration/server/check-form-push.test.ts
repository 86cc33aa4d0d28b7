import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { DEFAULT_CHECK_PERIOD, formIssues, prefillForm, proposeProblems } from '#shared/domain/check-form-rules.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import { PullResponseSchema, PushResponseSchema, type PullResponse } from '#shared/schemas/sync.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { buildTestApp, signIn, type TestApp } from '#test/helpers/app.ts';

/** The form the phone pre-fills from the roster it pulled is what the server validates with the same schema. */
let t: TestApp;
let cadre: string;
let roster: PullResponse['changes'];
let counter = 0;

beforeAll(async () => {
  t = await buildTestApp();
  await loadDemoCounty(t.database.db, { people: 1200 });
  cadre = await signIn(t.app, 'cadre');
  const res = await t.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: cadre } });
  roster = z.parse(PullResponseSchema, res.json()).changes;
});
afterAll(async () => {
  await t.close();
});

function prefilled(): CheckFormBody {
  const withLines = new Set(roster.paymentLine.map((l) => l.householdId));
  const household = roster.household.find((h) => withLines.has(h.id));
  if (!household) throw new Error('no household with payment lines in the demo village');
  return prefillForm(household, roster.person, roster.account, roster.paymentLine, roster.item, DEFAULT_CHECK_PERIOD, '李建国', { visitedAt: '2022-06-01T09:30:00+08:00' });
}

async function push(body: unknown) {
  counter += 1;
  const mutation = { id: randomUUID(), counter, kind: 'form.put', formId: randomUUID(), baseRev: 0, body, blobs: [], clientTime: new Date().toISOString() };
  const res = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie: cadre }, payload: { deviceId: '0190f0c0-0000-7000-8000-000000000001', appVersion: 'test', mutations: [mutation] } });
  expect(res.statusCode, res.body).toBe(200);
  return z.parse(PushResponseSchema, res.json()).results[0]!;
}

describe('a check form pre-filled on the phone, pushed to the server', () => {
  it('is accepted as pre-filled, with its ledger totals and account types', async () => {
    const body = prefilled();
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.accounts.every((a) => a.accountType !== undefined)).toBe(true);
    // Unanswered, it is incomplete for the cadre, yet a valid draft for the wire.
    expect(formIssues(body).errors.length).toBeGreaterThan(0);
    expect(await push(body)).toMatchObject({ status: 'applied', rev: 1 });
  });

  it('carries the accepted proposals of the rules', async () => {
    const body = prefilled();
    body.items[0]!.received = 'no';
    const proposals = proposeProblems(body, { paymentLines: roster.paymentLine, items: roster.item, persons: roster.person });
    expect(proposals.map((p) => p.code)).toContain('A2');
    body.problems.push(...proposals);
    expect(await push(body)).toMatchObject({ status: 'applied' });
  });

  it('still accepts a body from an app version without the account type', async () => {
    const body = prefilled();
    for (const a of body.accounts) delete a.accountType;
    expect(await push(body)).toMatchObject({ status: 'applied' });
  });

  it('rejects bad answers alone, naming the field in Chinese', async () => {
    const body = prefilled();
    body.accounts[0]!.accountNumber = '6217abc';
    body.items[0]!.amountReceivedFen = 12.5;
    body.members[0]!.statusDate = '2021-02-30';
    const result = await push(body);
    expect(result.status).toBe('rejected');
    const fields = new Map(result.fields?.map((f) => [f.path, f.message]));
    expect(fields.get('body.accounts.0.accountNumber')).toBe('账号应为8–30位数字');
    expect(fields.get('body.items.0.amountReceivedFen')).toBe('金额应为整数（分）');
    expect(fields.get('body.members.0.statusDate')).toBe('日期无效，应为真实存在的日期（年-月-日）');
  });
});
