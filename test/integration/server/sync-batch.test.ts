import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import { PullResponseSchema, PushResponseSchema } from '#shared/schemas/sync.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { checkFormVersions, syncMutations } from '#server/db/schema/index.ts';
import { buildTestApp, signIn, type TestApp } from '#test/helpers/app.ts';
import { checkFormBody } from '#test/fixtures/check-form.ts';

/**
 * The batch path of push (push-service.ts): a whole batch decided in memory
 * and written in one statement must answer exactly as one-by-one would,
 * including the cases only a batch has (the same form or the same id twice in
 * it), store the validated body (trimmed, unknown keys dropped), and fall back
 * to one mutation at a time when the database refuses the batch.
 */
let t: TestApp;
let cadre: string;
let supervisor: string;
let h: { id: string; villageCode: string; headPersonId: string };

beforeAll(async () => {
  t = await buildTestApp();
  await loadDemoCounty(t.database.db, { people: 1200 });
  cadre = await signIn(t.app, 'cadre');
  supervisor = await signIn(t.app, 'supervisor');
  const res = await t.app.inject({ method: 'GET', url: '/api/sync/pull?limit=20000', headers: { cookie: cadre } });
  h = z.parse(PullResponseSchema, res.json()).changes.household[0]!;
});
afterAll(async () => {
  await t.close();
});

function m<B>(counter: number, formId: string, baseRev: number, body: B) {
  return { id: randomUUID(), counter, kind: 'form.put', formId, baseRev, body, blobs: [], clientTime: new Date().toISOString() };
}

async function push(deviceId: string, mutations: unknown[]) {
  const res = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie: cadre }, payload: { deviceId, appVersion: 'test', mutations } });
  expect(res.statusCode, res.body).toBe(200);
  return z.parse(PushResponseSchema, res.json()).results;
}

async function stored(formId: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/forms/${formId}`, headers: { cookie: supervisor } });
  expect(res.statusCode).toBe(200);
  return res.json<{ body: CheckFormBody; form: { rev: number } }>();
}

describe('push, batch path', () => {
  it('stores the validated body: names trimmed, unknown keys dropped; the log keeps what was sent', async () => {
    const body = checkFormBody(h) as CheckFormBody & { extra?: number };
    body.members[0]!.name = '  户主  ';
    body.extra = 1;
    const formId = randomUUID();
    const deviceId = randomUUID();
    const [r] = await push(deviceId, [m(1, formId, 0, body)]);
    expect(r).toMatchObject({ status: 'applied', rev: 1 });
    const s = await stored(formId);
    expect(s.body.members[0]!.name).toBe('户主');
    expect('extra' in s.body).toBe(false);
    const [version] = await t.database.db.select().from(checkFormVersions).where(eq(checkFormVersions.formId, formId));
    expect(version!.body).toEqual(s.body);
    const [logged] = await t.database.db.select().from(syncMutations).where(eq(syncMutations.deviceId, deviceId));
    expect((logged!.payload as { body: { extra: number } }).body.extra).toBe(1);
  });

  it('logs a body stored exactly as sent once: in its version, found by the mutation id', async () => {
    const body = checkFormBody(h);
    const formId = randomUUID();
    const deviceId = randomUUID();
    const sent = m(1, formId, 0, body);
    const [r] = await push(deviceId, [sent]);
    expect(r).toMatchObject({ status: 'applied', rev: 1 });
    const [logged] = await t.database.db.select().from(syncMutations).where(eq(syncMutations.deviceId, deviceId));
    expect(logged!.payload).not.toHaveProperty('body');
    expect(logged!.payload).toMatchObject({ id: sent.id, formId, counter: 1, baseRev: 0 });
    const [version] = await t.database.db.select().from(checkFormVersions).where(eq(checkFormVersions.mutationId, logged!.id));
    expect(version!.body).toEqual(JSON.parse(JSON.stringify(body)));
  });

  it('logs each mutation as sent, taken from the request by its place in the batch', async () => {
    const deviceId = randomUUID();
    const valid = (counter: number, remarks: string) => {
      const body = checkFormBody(h);
      body.evidence.remarks = remarks;
      return m(counter, randomUUID(), 0, body);
    };
    const a = valid(1, '第一份 😀');
    const refused = m(2, randomUUID(), 0, { ...checkFormBody(h), outcome: 'maybe' });
    const c = valid(3, '第三份');
    // Not-quite-mutations first and between: they are answered but not logged, so the logged ones are not at their own index.
    const request = { deviceId, appVersion: 'test', mutations: [42, a, { kind: 'form.put' }, refused, c] };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { cookie: cadre, 'content-type': 'application/json' },
      payload: JSON.stringify(request, null, 2),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(z.parse(PushResponseSchema, res.json()).results.map((r) => r.status)).toEqual(['rejected', 'applied', 'rejected', 'rejected', 'applied']);
    const logged = await t.database.db.select().from(syncMutations).where(eq(syncMutations.deviceId, deviceId)).orderBy(syncMutations.counter);
    expect(logged.map((l) => l.id)).toEqual([a.id, refused.id, c.id]);
    for (const [sent, l] of [a, refused, c].map((x, i) => [x, logged[i]!] as const)) {
      const [version] = await t.database.db.select().from(checkFormVersions).where(eq(checkFormVersions.mutationId, l.id));
      // A body stored as sent lives in its version; put back, the log holds the mutation exactly as sent.
      const payload = l.payload as Record<string, unknown>;
      expect('body' in payload ? payload : { ...payload, body: version!.body }).toEqual(JSON.parse(JSON.stringify(sent)));
    }
  });

  it('stores a ~3 KB body compressed with lz4 on PostgreSQL, and whole on PGlite (no pglz on its one thread)', async () => {
    const body = checkFormBody(h);
    body.evidence.remarks = '入户核实情况说明：户主本人在家，逐项核对补贴项目与台账一致。'.repeat(30);
    const deviceId = randomUUID();
    const [r] = await push(deviceId, [m(1, randomUUID(), 0, body)]);
    expect(r).toMatchObject({ status: 'applied', rev: 1 });
    const result = await t.database.db.execute(sql`
      select pg_column_compression(v.body) as version, pg_column_compression(f.body) as form, octet_length(v.body::text) as bytes
      from check_form_versions v join check_forms f on f.id = v.form_id
      join sync_mutations s on s.id = v.mutation_id where s.device_id = ${deviceId}`);
    const [row] = (result as { rows: { version: string | null; form: string | null; bytes: number }[] }).rows;
    expect(row!.bytes).toBeGreaterThan(2500);
    const expected = t.database.kind === 'postgres' ? 'lz4' : null;
    expect([row!.version, row!.form]).toEqual([expected, expected]);
  });

  it('applies the same form twice in one batch in order, and answers a repeated id as duplicate', async () => {
    const formId = randomUUID();
    const deviceId = randomUUID();
    const first = m(1, formId, 0, checkFormBody(h));
    const edited = checkFormBody(h);
    edited.evidence.remarks = 'second';
    const second = m(2, formId, 1, edited);
    const sameCounter = m(2, randomUUID(), 0, checkFormBody(h));
    const results = await push(deviceId, [first, second, { ...first }, sameCounter]);
    expect(results.map((r) => [r.status, r.rev ?? null])).toEqual([
      ['applied', 1],
      ['applied', 2],
      ['duplicate', 1],
      ['rejected', null],
    ]);
    const s = await stored(formId);
    expect(s.form.rev).toBe(2);
    expect(s.body.evidence.remarks).toBe('second');
    const versions = await t.database.db.select().from(checkFormVersions).where(eq(checkFormVersions.formId, formId)).orderBy(checkFormVersions.rev);
    expect(versions.map((v) => [v.rev, (v.body).evidence.remarks])).toEqual([
      [1, ''],
      [2, 'second'],
    ]);
    // The rejected counter was answered, not logged.
    const logged = await t.database.db.select().from(syncMutations).where(eq(syncMutations.deviceId, deviceId));
    expect(logged).toHaveLength(2);
  });

  it('answers a retried id that carries another body (its answer lost, then an edit) as such, and stores nothing', async () => {
    const formId = randomUUID();
    const deviceId = randomUUID();
    const first = m(1, formId, 0, checkFormBody(h));
    expect(await push(deviceId, [first])).toMatchObject([{ status: 'applied', rev: 1 }]);
    const edited = checkFormBody(h);
    edited.evidence.remarks = 'edited after the lost answer';
    const retried = { ...first, body: edited };
    const [answer] = await push(deviceId, [retried]);
    expect(answer).toMatchObject({ status: 'duplicate', rev: 1, bodyDiffers: true });
    expect(answer!.message).toContain('新记录');
    // The plain retry of the same body stays a plain duplicate.
    const [plain] = await push(deviceId, [first]);
    expect(plain).toMatchObject({ status: 'duplicate', rev: 1 });
    expect(plain).not.toHaveProperty('bodyDiffers');
    expect((await stored(formId)).body.evidence.remarks).toBe('');
    // The device then sends the edit under a new id on top of rev 1: applied, nothing in conflict.
    const [renewed] = await push(deviceId, [m(2, formId, 1, edited)]);
    expect(renewed).toMatchObject({ status: 'applied', rev: 2 });
    expect((await stored(formId)).body.evidence.remarks).toBe('edited after the lost answer');
  });

  it('compares a retry with the body as sent, also when what was stored differs from it (trimmed) or the id repeats in one batch', async () => {
    const body = checkFormBody(h);
    body.members[0]!.name = '  户主  ';
    const formId = randomUUID();
    const deviceId = randomUUID();
    const first = m(1, formId, 0, body);
    const other = checkFormBody(h);
    other.evidence.remarks = 'other';
    const results = await push(deviceId, [first, { ...first, body: other }, { ...first }]);
    expect(results.map((r) => [r.status, r.bodyDiffers ?? false])).toEqual([
      ['applied', false],
      ['duplicate', true],
      ['duplicate', false],
    ]);
    // From the log: the body kept in the payload (stored trimmed, so not as sent).
    expect((await push(deviceId, [first]))[0]).not.toHaveProperty('bodyDiffers');
    expect((await push(deviceId, [{ ...first, body: other }]))[0]).toMatchObject({ status: 'duplicate', bodyDiffers: true });
  });

  it('merges an edit made from an older revision with what the batch itself just wrote', async () => {
    const formId = randomUUID();
    const deviceId = randomUUID();
    const base = checkFormBody(h);
    const a = structuredClone(base);
    a.household.phone = '13812345678';
    const b = structuredClone(base);
    b.publicity.sawResults = true;
    const results = await push(deviceId, [m(1, formId, 0, base), m(2, formId, 1, a), m(3, formId, 1, b)]);
    expect(results.map((r) => [r.status, r.rev])).toEqual([
      ['applied', 1],
      ['applied', 2],
      ['applied', 3],
    ]);
    const s = await stored(formId);
    expect(s.body.household.phone).toBe('13812345678');
    expect(s.body.publicity.sawResults).toBe(true);
  });
});

describe('a batch the database refuses', () => {
  it('is applied again one mutation at a time: the failing one is rejected and kept, the others apply', async () => {
    // A stand-in for any fault of the database on one row: a trigger that refuses one marked body.
    await t.database.db.execute(sql`
      create function ykt_test_refuse() returns trigger language plpgsql as $$
      begin
        if new.body->'evidence'->>'remarks' = 'refused by the database' then raise exception 'refused'; end if;
        return new;
      end $$`);
    await t.database.db.execute(sql`create trigger ykt_test_refuse before insert on check_form_versions for each row execute function ykt_test_refuse()`);
    try {
      const deviceId = randomUUID();
      const withRemarks = (counter: number, remarks: string) => {
        const body = checkFormBody(h);
        body.evidence.remarks = remarks;
        return m(counter, randomUUID(), 0, body);
      };
      const batch = [withRemarks(1, 'a'), withRemarks(2, 'refused by the database'), withRemarks(3, 'b')];
      const res = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie: cadre }, payload: { deviceId, appVersion: 'test', mutations: batch } });
      expect(res.statusCode, res.body).toBe(200);
      const results = z.parse(PushResponseSchema, res.json()).results;
      expect(results.map((r) => [r.status, r.rev])).toEqual([
        ['applied', 1],
        ['rejected', undefined],
        ['applied', 1],
      ]);
      const kept = await t.database.db.select().from(syncMutations).where(eq(syncMutations.deviceId, deviceId)).orderBy(syncMutations.counter);
      expect(kept.map((k) => k.status)).toEqual(['applied', 'rejected', 'applied']);
      // The retry of the refused one is a duplicate: the queue moves on.
      const retry = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie: cadre }, payload: { deviceId, appVersion: 'test', mutations: [batch[1], withRemarks(4, 'c')] } });
      expect(z.parse(PushResponseSchema, retry.json()).results.map((r) => r.status)).toEqual(['duplicate', 'applied']);

      // One mutation at a time, too: a retry of an applied id carrying an edit says so.
      const edited = { ...batch[0]!, body: { ...batch[0]!.body, evidence: { ...batch[0]!.body.evidence, remarks: 'a, edited' } } };
      const again = await t.app.inject({ method: 'POST', url: '/api/sync/push', headers: { cookie: cadre }, payload: { deviceId, appVersion: 'test', mutations: [edited, withRemarks(5, 'refused by the database')] } });
      const answers = z.parse(PushResponseSchema, again.json()).results;
      expect(answers.map((r) => [r.status, r.rev, r.bodyDiffers])).toEqual([
        ['duplicate', 1, true],
        ['rejected', undefined, undefined],
      ]);
      expect((await stored(batch[0]!.formId)).body.evidence.remarks).toBe('a');
    } finally {
      await t.database.db.execute(sql`drop trigger ykt_test_refuse on check_form_versions`);
      await t.database.db.execute(sql`drop function ykt_test_refuse()`);
    }
  });
});
