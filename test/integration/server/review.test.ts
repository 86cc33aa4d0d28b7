import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { FormDetailSchema, FormSummarySchema, DeviceStatusSchema } from '#shared/schemas/review.ts';
import { PullResponseSchema, PushResponseSchema, type ServerForm, type SyncHousehold } from '#shared/schemas/sync.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { demoAreas } from '#server/cli/demo-data.ts';
import { buildTestApp, signIn, type TestApp } from '#test/helpers/app.ts';
import { checkFormBody } from '#test/fixtures/check-form.ts';

let t: TestApp;
let cadre: string;
let supervisor: string;
let household: SyncHousehold;

beforeAll(async () => {
  t = await buildTestApp();
  await loadDemoCounty(t.database.db, { people: 1200 });
  cadre = await signIn(t.app, 'cadre');
  supervisor = await signIn(t.app, 'supervisor');
  const page = z.parse(PullResponseSchema, (await t.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: cadre } })).json());
  household = page.changes.household[0]!;
});
afterAll(async () => {
  await t.close();
});

/** A simulated device: its own id and counter, pushing and pulling like the app does. */
class Device {
  readonly id = randomUUID();
  counter = 0;
  cursor: string | null = null;
  forms = new Map<string, ServerForm>();
  /** What this device reports as still waiting in its outbox when it pushes. */
  outboxSize = 1;
  constructor(readonly cookie: string) {}

  async put(formId: string, baseRev: number, body: CheckFormBody) {
    this.counter += 1;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { cookie: this.cookie },
      payload: { deviceId: this.id, appVersion: 'test', outboxSize: this.outboxSize, mutations: [{ id: randomUUID(), counter: this.counter, kind: 'form.put', formId, baseRev, body, blobs: [], clientTime: new Date().toISOString() }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    return z.parse(PushResponseSchema, res.json()).results[0]!;
  }

  async pull() {
    for (;;) {
      const q = this.cursor ? `?cursor=${encodeURIComponent(this.cursor)}` : '';
      const page = z.parse(PullResponseSchema, (await t.app.inject({ method: 'GET', url: `/api/sync/pull${q}`, headers: { cookie: this.cookie, 'x-device-id': this.id } })).json());
      for (const f of page.changes.form) this.forms.set(f.id, f);
      this.cursor = page.cursor;
      if (!page.hasMore) return;
    }
  }
}

describe('two devices on one household', () => {
  it('merges different fields, keeps the same field side by side, and converges after the supervisor resolves it', async () => {
    const a = new Device(cadre);
    const b = new Device(await signIn(t.app, 'cadre'));
    const formId = randomUUID();
    const head = household.headPersonId;
    const base = checkFormBody(household, {
      members: [{ personId: head, name: '户主', idNumber: null, isNew: false, present: null, identityChecked: null, status: null, statusDate: null, relation: '户主', note: '' }],
    });
    expect((await a.put(formId, 0, base)).status).toBe('applied');
    await b.pull();
    expect(b.forms.get(formId)?.rev).toBe(1);

    // Both edit from revision 1: A answers "present" and the phone; B answers "present" differently and publicity.
    const fromA = structuredClone(base);
    fromA.members[0]!.present = true;
    fromA.household.phone = '13812345678';
    const fromB = structuredClone(base);
    fromB.members[0]!.present = false;
    fromB.publicity.sawResults = true;
    expect(await a.put(formId, 1, fromA)).toMatchObject({ status: 'applied', rev: 2 });
    const conflict = await b.put(formId, 1, fromB);
    expect(conflict.status).toBe('conflict');
    expect(conflict.rev).toBe(3);
    expect(conflict.conflicts).toEqual([{ path: `members[${head}].present`, mine: false, theirs: true }]);

    const detail = z.parse(FormDetailSchema, (await t.app.inject({ method: 'GET', url: `/api/forms/${formId}`, headers: { cookie: supervisor } })).json());
    const merged = detail.body as CheckFormBody;
    expect(merged.household.phone).toBe('13812345678');
    expect(merged.publicity.sawResults).toBe(true);
    expect(merged.members[0]!.present).toBe(true);
    expect(detail.conflicts).toHaveLength(1);
    expect(detail.history.map((h) => h.rev)).toEqual([1, 2, 3]);

    // Accepting with an open conflict is refused; resolving picks B's value.
    const accept = await t.app.inject({ method: 'POST', url: `/api/forms/${formId}/review`, headers: { cookie: supervisor }, payload: { action: 'accept', comment: '', rev: 3 } });
    expect(accept.statusCode).toBe(409);
    const resolve = await t.app.inject({ method: 'POST', url: `/api/forms/${formId}/resolve`, headers: { cookie: supervisor }, payload: { rev: 3, resolutions: [{ path: `members[${head}].present`, value: false }] } });
    expect(resolve.statusCode, resolve.body).toBe(200);
    expect(z.parse(FormSummarySchema, resolve.json())).toMatchObject({ rev: 4, conflictCount: 0 });

    await a.pull();
    await b.pull();
    const fa = a.forms.get(formId)!;
    const fb = b.forms.get(formId)!;
    expect(fa.rev).toBe(4);
    expect(fa).toEqual(fb);
    expect(fa.body.members[0]!.present).toBe(false);
    expect(fa.body.household.phone).toBe('13812345678');
  });
});

describe('send-back', () => {
  it('returns a form with a comment, the cadre pulls it marked, and a resubmission goes through', async () => {
    const dev = new Device(cadre);
    await dev.pull();
    const formId = randomUUID();
    const body = checkFormBody(household);
    expect((await dev.put(formId, 0, body)).status).toBe('applied');

    const noComment = await t.app.inject({ method: 'POST', url: `/api/forms/${formId}/review`, headers: { cookie: supervisor }, payload: { action: 'return', comment: '', rev: 1 } });
    expect(noComment.statusCode).toBe(400);
    const ret = await t.app.inject({ method: 'POST', url: `/api/forms/${formId}/review`, headers: { cookie: supervisor }, payload: { action: 'return', comment: '缺少户主签名', rev: 1, section: 'evidence' } });
    expect(ret.statusCode, ret.body).toBe(200);
    expect(z.parse(FormSummarySchema, ret.json())).toMatchObject({ reviewStatus: 'returned', reviewComment: '缺少户主签名', rev: 2 });

    await dev.pull();
    expect(dev.forms.get(formId)).toMatchObject({ reviewStatus: 'returned', reviewComment: '缺少户主签名', rev: 2, reviewSection: 'evidence' });
    // Not accepted until the cadre has sent the corrected version.
    const early = await t.app.inject({ method: 'POST', url: `/api/forms/${formId}/review`, headers: { cookie: supervisor }, payload: { action: 'accept', comment: '', rev: 2 } });
    expect(early.statusCode).toBe(409);
    expect(early.json<{ error: { code: string } }>().error.code).toBe('returned');

    const fixed = structuredClone(body);
    fixed.evidence.remarks = '已补签名';
    expect(await dev.put(formId, 2, fixed)).toMatchObject({ status: 'applied', rev: 3 });
    await dev.pull();
    expect(dev.forms.get(formId)).toMatchObject({ reviewStatus: 'submitted', reviewComment: null, rev: 3 });
    // Resubmitted: the comment's section goes with the comment.
    expect(dev.forms.get(formId)?.reviewSection).toBeUndefined();

    const ok = await t.app.inject({ method: 'POST', url: `/api/forms/${formId}/review`, headers: { cookie: supervisor }, payload: { action: 'accept', comment: '', rev: 3 } });
    expect(ok.statusCode).toBe(200);
    const afterAccept = await dev.put(formId, 4, fixed);
    expect(afterAccept.status).toBe('rejected');
    expect(afterAccept.message).toContain('审核通过');
  });

  it("names the form's subsidy items for the reviewer", async () => {
    const page = z.parse(PullResponseSchema, (await t.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: cadre } })).json());
    const line = page.changes.paymentLine.find((l) => l.householdId === household.id) ?? page.changes.paymentLine[0]!;
    const item = page.changes.item.find((i) => i.code === line.itemCode)!;
    const body = checkFormBody(household);
    body.items = [{ personId: line.beneficiaryPersonId, itemCode: line.itemCode, ledgerAmountFen: line.amountFen, ledgerLineCount: 1, knows: true, received: 'yes', amountReceivedFen: line.amountFen, onTime: true, intoOwnCard: true, distribution: 'direct', note: '' }];
    const formId = randomUUID();
    expect((await new Device(cadre).put(formId, 0, body)).status).toBe('applied');
    const detail = z.parse(FormDetailSchema, (await t.app.inject({ method: 'GET', url: `/api/forms/${formId}`, headers: { cookie: supervisor } })).json());
    expect(detail.itemNames).toEqual({ [item.code]: item.name });
  });

  it('is for supervisors of the area only', async () => {
    const dev = new Device(cadre);
    const formId = randomUUID();
    await dev.put(formId, 0, checkFormBody(household));
    const byCadre = await t.app.inject({ method: 'POST', url: `/api/forms/${formId}/review`, headers: { cookie: cadre }, payload: { action: 'return', comment: 'x', rev: 1 } });
    expect(byCadre.statusCode).toBe(403);
    const stale = await t.app.inject({ method: 'POST', url: `/api/forms/${formId}/review`, headers: { cookie: supervisor }, payload: { action: 'return', comment: 'x', rev: 7 } });
    expect(stale.statusCode).toBe(409);
  });
});

describe('device status', () => {
  it('lists the devices of the area with their last sync and app version', async () => {
    const dev = new Device(cadre);
    dev.outboxSize = 3;
    await dev.put(randomUUID(), 0, checkFormBody(household));
    await dev.pull();
    const res = await t.app.inject({ method: 'GET', url: '/api/devices', headers: { cookie: supervisor } });
    expect(res.statusCode).toBe(200);
    const list = z.parse(z.array(DeviceStatusSchema), res.json());
    const mine = list.find((d) => d.id === dev.id);
    // Three were waiting, one went through.
    expect(mine).toMatchObject({ username: 'cadre', appVersion: 'test', unsentCount: 2 });
    expect(mine?.lastPushAt).not.toBeNull();
    expect(mine?.lastPullAt).not.toBeNull();
    expect((await t.app.inject({ method: 'GET', url: '/api/devices', headers: { cookie: cadre } })).statusCode).toBe(403);
  });
});

describe('review list and detail', () => {
  it('opens any form of the area, not only the newest thousand, and names its village', async () => {
    const deviceId = randomUUID();
    const ids: string[] = [];
    for (let batch = 0, counter = 0; batch < 6; batch++) {
      const mutations = Array.from({ length: batch < 5 ? 200 : 1 }, () => {
        const formId = randomUUID();
        ids.push(formId);
        counter += 1;
        return { id: randomUUID(), counter, kind: 'form.put', formId, baseRev: 0, body: checkFormBody(household), blobs: [], clientTime: new Date().toISOString() };
      });
      const res = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie: cadre }, payload: { deviceId, appVersion: 'test', mutations } });
      expect(z.parse(PushResponseSchema, res.json()).results.every((r) => r.status === 'applied')).toBe(true);
    }
    // The first of 1,001 forms is older than the newest thousand.
    const oldest = await t.app.inject({ method: 'GET', url: `/api/forms/${ids[0]!}`, headers: { cookie: supervisor } });
    expect(oldest.statusCode, oldest.body).toBe(200);
    const detail = z.parse(FormDetailSchema, oldest.json());
    expect(detail.form.id).toBe(ids[0]);
    expect(detail.form.villageName).toBe(demoAreas().village.name);
    const list = z.parse(z.array(FormSummarySchema), (await t.app.inject({ method: 'GET', url: '/api/forms?limit=5', headers: { cookie: supervisor } })).json());
    expect(list.map((f) => f.villageName)).toEqual(Array(5).fill(demoAreas().village.name));
  });
});
