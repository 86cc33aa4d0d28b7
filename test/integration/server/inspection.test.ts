import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { sql } from 'drizzle-orm';
import { PullResponseSchema, PushResponseSchema, type SyncHousehold } from '#shared/schemas/sync.ts';
import { FormDetailSchema } from '#shared/schemas/review.ts';
import { ComparisonSchema, VisitQualitySchema, DrawPreviewSchema, QualitySchema, RoundDetailSchema, RoundSummarySchema, SampleHouseholdSchema, type DrawRequest } from '#shared/schemas/inspection.ts';
import { drawSample, DEFAULT_SAMPLE_RULE, type SampleInput, type SampleRule } from '#shared/domain/inspection/sample.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import { rowsOf } from '#server/db/client.ts';
import { loadDemoCounty } from '#server/cli/demo/load.ts';
import { buildTestApp, signIn, type TestApp } from '#test/helpers/app.ts';
import { checkFormBody } from '#test/fixtures/check-form.ts';

const TOWNSHIP = '421321101000';
const VILLAGE = '421321101200';

let t: TestApp;
let cadre: string;
let inspector: string;
let supervisor: string;
let households: SyncHousehold[];

interface ApiErrorBody {
  error: { code: string; fields?: { path: string }[] };
}
const errorOf = (res: { json: () => unknown }) => res.json() as ApiErrorBody;

async function call(method: 'GET' | 'POST', url: string, cookie: string, payload?: unknown) {
  return t.app.inject({ method, url: `/api${url}`, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

/** A device pulling like the app (column format), keeping its cursor. */
class Device {
  readonly id = randomUUID();
  cursor: string | null = null;
  counter = 0;
  constructor(readonly cookie: string) {}
  /** Every page until done: what arrived, and whether the server restarted the download. */
  async pull(columns = false) {
    const got = { households: [] as string[], persons: 0, lines: 0, forms: [] as { id: string; kind: string }[], reset: false, raw: '' };
    for (;;) {
      const q = new URLSearchParams({ limit: '5000', ...(columns ? { format: 'columns' } : {}) });
      if (this.cursor) q.set('cursor', this.cursor);
      const res = await t.app.inject({ method: 'GET', url: `/api/sync/pull?${q.toString()}`, headers: { cookie: this.cookie, 'x-device-id': this.id } });
      expect(res.statusCode, res.body).toBe(200);
      got.raw += res.body;
      const page = z.parse(PullResponseSchema, res.json());
      if (page.reset) got.reset = true;
      const hh = page.columns?.household;
      if (hh) got.households.push(...((hh.c as Record<string, string[]>).id ?? []));
      got.households.push(...page.changes.household.map((h) => h.id));
      got.persons += page.changes.person.length + (page.columns?.person?.n ?? 0);
      got.lines += page.changes.paymentLine.length + (page.columns?.paymentLine?.n ?? 0);
      got.forms.push(...page.changes.form.map((f) => ({ id: f.id, kind: f.kind })));
      this.cursor = page.cursor;
      if (!page.hasMore) return got;
    }
  }
  async put(body: CheckFormBody, formId: string = randomUUID(), baseRev = 0) {
    this.counter += 1;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { cookie: this.cookie },
      payload: { deviceId: this.id, appVersion: 'test', outboxSize: 1, mutations: [{ id: randomUUID(), counter: this.counter, kind: 'form.put', formId, baseRev, body, blobs: [], clientTime: new Date().toISOString() }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    return { formId, result: z.parse(PushResponseSchema, res.json()).results[0] };
  }
}

const RULE: SampleRule = { ...DEFAULT_SAMPLE_RULE, villageShare: 1, weakVillageShare: 1 };
const draw: DrawRequest = { areaCode: TOWNSHIP, seed: '2026-12-03 县纪委监委公开抽签', rule: RULE };

let roundId: string;
let sampleInVillage: string[];
const cadreForms = new Map<string, string>();

beforeAll(async () => {
  t = await buildTestApp();
  await loadDemoCounty(t.database.db, { people: 1500 });
  cadre = await signIn(t.app, 'cadre');
  inspector = await signIn(t.app, 'inspector');
  supervisor = await signIn(t.app, 'supervisor');
  const page = z.parse(PullResponseSchema, (await call('GET', '/sync/pull?limit=20000', cadre)).json());
  households = page.changes.household;
  expect(households.length).toBeGreaterThanOrEqual(3);
  // The cadre checks every household of the village, one problem found in all.
  const dev = new Device(cadre);
  for (const [i, h] of households.entries()) {
    const body = checkFormBody(h, i === 0 ? { problems: [{ key: 'k1', code: 'A5', amountFen: null, description: '政策清单未公示', personIds: [], source: 'manual' }] } : {});
    const { formId, result } = await dev.put(body);
    expect(result?.status).toBe('applied');
    cadreForms.set(h.id, formId);
  }
});
afterAll(async () => {
  await t.close();
});

describe('drawing a round', () => {
  it('previews the draw against the rule and publishes it only for the input the preview saw', async () => {
    const res = await call('POST', '/inspection/preview', supervisor, draw);
    expect(res.statusCode, res.body).toBe(200);
    const preview = z.parse(DrawPreviewSchema, res.json());
    expect(preview.townships).toHaveLength(1);
    const town = preview.townships[0]!;
    expect(town.name).toBe('厉山镇');
    expect(town.sampledVillages.length).toBe(town.villages);
    for (const v of town.sampledVillages) expect(v.sampled).toBeGreaterThanOrEqual(v.required);
    expect(preview.sampledHouseholds).toBe(town.sampledHouseholds);

    const stale = await call('POST', '/inspection/rounds', supervisor, { ...draw, name: '第一批', inputHash: '0'.repeat(64) });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale).error.fields?.[0]?.path).toBe('body.inputHash');

    const published = await call('POST', '/inspection/rounds', supervisor, { ...draw, name: '第一批', inputHash: preview.inputHash });
    expect(published.statusCode, published.body).toBe(201);
    const round = z.parse(RoundSummarySchema, published.json());
    expect(round).toMatchObject({ name: '第一批', areaCode: TOWNSHIP, areaName: '厉山镇', households: preview.sampledHouseholds, inputHash: preview.inputHash });
    roundId = round.id;

    const audit = rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from audit_log where action = 'inspection.draw' and target_id = ${roundId}`));
    expect(audit[0]?.n).toBe(1);
  });

  it('keeps a sample anyone can re-draw from the stored input and seed, unchanged when the roster changes', async () => {
    const input: { seed: string; rule: SampleRule; inputHash: string; input: SampleInput } = (await call('GET', `/inspection/rounds/${roundId}/input`, supervisor)).json();
    const again = drawSample(input.seed, input.rule, input.input);
    expect(again.inputHash).toBe(input.inputHash);
    const listed = z.parse(z.array(SampleHouseholdSchema), (await call('GET', `/inspection/rounds/${roundId}/households`, supervisor)).json());
    expect(new Set(listed.map((h) => h.householdId))).toEqual(new Set(again.households.map((h) => h.householdId)));
    sampleInVillage = listed.filter((h) => h.villageCode === VILLAGE).map((h) => h.householdId);
    expect(sampleInVillage.length).toBeGreaterThan(0);
    expect(sampleInVillage.length).toBeLessThan(households.length);

    // A new household after publishing changes the input of a new draw, not this round.
    await t.database.db.execute(sql`insert into households (id, village_code, group_name, house_number, head_person_id) select 'late-household', village_code, group_name, '999', head_person_id from households where id = ${households[0]!.id}`);
    const preview = z.parse(DrawPreviewSchema, (await call('POST', '/inspection/preview', supervisor, draw)).json());
    expect(preview.inputHash).not.toBe(input.inputHash);
    const still = z.parse(z.array(SampleHouseholdSchema), (await call('GET', `/inspection/rounds/${roundId}/households`, supervisor)).json());
    expect(still.map((h) => h.householdId)).toEqual(listed.map((h) => h.householdId));
    await t.database.db.execute(sql`delete from households where id = 'late-household'`);
  });

  it('always includes a household with an open anomaly on the ledger, and one the cadre could not find', async () => {
    const [withAnomaly, notFound] = households.slice(-2);
    const [item] = rowsOf<{ id: string }>(
      await t.database.db.execute(sql`insert into ledger_items (problem_code, category, area_code, household_id, dedupe_key, title, description)
        values ('A3', 'A', ${VILLAGE}, ${withAnomaly!.id}, ${`test:${withAnomaly!.id}`}, 'test', 'test') returning id`),
    );
    await t.database.db.execute(sql`insert into ledger_sources (item_id, kind, ref) values (${item!.id}::uuid, 'anomaly', ${`test-finding-${withAnomaly!.id}`})`);
    const dev = new Device(cadre);
    const gone = { ...checkFormBody(notFound!), outcome: 'not-found' as const, outcomeReason: '全家外出' };
    expect((await dev.put(gone, cadreForms.get(notFound!.id), 1)).result?.status).toBe('applied');
    // A small share, so that only the mandatory ones are sure to be in.
    const rule = { ...RULE, villageShare: 0.01, weakVillageShare: 0.01, householdShare: 0.01 };
    const preview = z.parse(DrawPreviewSchema, (await call('POST', '/inspection/preview', supervisor, { ...draw, rule })).json());
    expect(preview.mandatory).toBeGreaterThanOrEqual(2);
    const res = await call('POST', '/inspection/rounds', supervisor, { ...draw, rule, name: '必查户', inputHash: preview.inputHash });
    const round = z.parse(RoundSummarySchema, res.json());
    const listed = z.parse(z.array(SampleHouseholdSchema), (await call('GET', `/inspection/rounds/${round.id}/households?village=${VILLAGE}`, supervisor)).json());
    expect(listed.find((h) => h.householdId === withAnomaly!.id)?.reason).toBe('anomaly');
    expect(listed.find((h) => h.householdId === notFound!.id)?.reason).toBe('not-found');
    // Put back: the cadre found them after all (later tests compare checked forms).
    expect((await dev.put(checkFormBody(notFound!), cadreForms.get(notFound!.id), 2)).result?.status).toBe('applied');
  });

  it('refuses an area outside the user, or a village as the area, naming the field', async () => {
    for (const areaCode of ['420100000000', VILLAGE]) {
      const res = await call('POST', '/inspection/preview', supervisor, { ...draw, areaCode });
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).error.fields?.[0]?.path).toBe('body.areaCode');
    }
    const badShare = await call('POST', '/inspection/preview', supervisor, { ...draw, rule: { ...RULE, householdShare: 0 } });
    expect(badShare.statusCode).toBe(400);
    expect(JSON.stringify(badShare.json())).toContain('householdShare');
  });
});

describe('an inspector re-checks only the households given to them, blind', () => {
  const dev = () => new Device(inspector);
  let device: Device;

  it('receives nothing of the roster before being given households, and may not write a re-check', async () => {
    device = dev();
    const got = await device.pull(true);
    expect(got.households).toEqual([]);
    expect(got.persons).toBe(0);
    const h = households[0]!;
    const res = await device.put({ ...checkFormBody(h), kind: 'inspection' });
    expect(res.result).toMatchObject({ status: 'rejected' });
    expect(res.result?.fields?.[0]?.path).toBe('body.householdId');
  });

  it('after the village is given, downloads exactly its sampled households again, and no cadre form', async () => {
    const other = z.parse(z.array(SampleHouseholdSchema), (await call('GET', `/inspection/rounds/${roundId}/households`, supervisor)).json()).find((h) => h.villageCode !== VILLAGE);
    const assign = await call('POST', `/inspection/rounds/${roundId}/assign`, supervisor, { inspectorId: await inspectorId(), villageCodes: [VILLAGE] });
    expect(assign.statusCode, assign.body).toBe(200);
    expect(assign.json()).toEqual({ households: sampleInVillage.length });

    for (const columns of [true, false]) {
      const d = columns ? device : dev();
      const got = await d.pull(columns);
      if (columns) expect(got.reset).toBe(true);
      expect(new Set(got.households)).toEqual(new Set(sampleInVillage));
      expect(got.persons).toBeGreaterThanOrEqual(sampleInVillage.length);
      expect(got.forms.filter((f) => f.kind === 'cadre')).toEqual([]);
      for (const formId of cadreForms.values()) expect(got.raw).not.toContain(formId);
      if (other) expect(got.raw).not.toContain(other.householdId);
    }
    // Nothing changed since: the next pull is empty and not a restart.
    const again = await device.pull(true);
    expect(again).toMatchObject({ reset: false, households: [], forms: [] });
  });

  it('sees no comparison before the re-check is in; after it, the differences are classed and the problems go on the ledger', async () => {
    const hid = sampleInVillage[0]!;
    const h = households.find((x) => x.id === hid)!;
    expect((await call('GET', `/inspection/households/${hid}/comparison`, inspector)).statusCode).toBe(409);

    const recheck: CheckFormBody = {
      ...checkFormBody(h),
      kind: 'inspection',
      members: [{ personId: h.headPersonId, name: '户主', idNumber: null, isNew: false, present: false, identityChecked: false, status: 'living', statusDate: null, relation: '户主', note: '' }],
      publicity: { sawPolicyList: false, sawResults: null },
      problems: [{ key: 'r1', code: 'C4', amountFen: null, description: '一卡通由村干部代管', personIds: [h.headPersonId], source: 'manual' }],
    };
    const { formId, result } = await device.put(recheck);
    expect(result?.status).toBe('applied');

    const res = await call('GET', `/inspection/households/${hid}/comparison`, supervisor);
    expect(res.statusCode, res.body).toBe(200);
    const c = z.parse(ComparisonSchema, res.json());
    expect(c.inspection.formId).toBe(formId);
    expect(c.cadre.formId).toBe(cadreForms.get(hid));
    const differing = c.fields.filter((f) => f.differs).map((f) => `${f.cls}:${f.field}`);
    expect(differing.sort()).toEqual(['T1:member.present', 'T1:problems', 'T2:member.identityChecked', 'T3:publicity.sawPolicyList']);
    expect(c.fields.find((f) => f.field === 'member.present')).toMatchObject({ aboutLabel: '户主', cadre: true, inspector: false });
    expect(c.byClass.T1.differing).toBe(2);
    // Now the inspector may see it too.
    expect((await call('GET', `/inspection/households/${hid}/comparison`, inspector)).statusCode).toBe(200);

    const sources = rowsOf<{ kind: string; code: string }>(
      await t.database.db.execute(sql`select s.kind, i.problem_code as code from ledger_sources s join ledger_items i on i.id = s.item_id where s.ref like ${`${formId}:%`}`),
    );
    expect(sources).toEqual([{ kind: 'inspection', code: 'C4' }]);

    const detail = z.parse(RoundDetailSchema, (await call('GET', `/inspection/rounds/${roundId}`, supervisor)).json());
    expect(detail.villages.find((v) => v.villageCode === VILLAGE)).toMatchObject({ sampled: sampleInVillage.length, assigned: sampleInVillage.length, done: 1, compared: 1, t1Flagged: 1, inspectors: '陈思远' });

    const q = z.parse(QualitySchema, (await call('GET', `/inspection/rounds/${roundId}/quality`, supervisor)).json());
    expect(q.threshold).toBe(0.1);
    const cadreRow = q.rows.find((r) => r.level === 'cadre');
    expect(cadreRow).toMatchObject({ households: 1, t1Households: 1, t1Differing: 2, flagged: true });
    expect(q.rows.find((r) => r.level === 'village')).toMatchObject({ key: VILLAGE, households: 1 });
    expect(q.rows.find((r) => r.level === 'township')).toMatchObject({ key: TOWNSHIP, name: '厉山镇' });

    // The cadre's form is flagged on the review screen.
    const reviewed = z.parse(FormDetailSchema, (await call('GET', `/forms/${cadreForms.get(hid) ?? ''}`, supervisor)).json());
    expect(reviewed.recheck).toMatchObject({ t1Differing: 2 });

    // The cadre corrects the form: the comparison follows the new revision.
    const fixed = { ...checkFormBody(h), members: recheck.members, problems: recheck.problems, publicity: recheck.publicity };
    const cadreDevice = new Device(cadre);
    expect((await cadreDevice.put(fixed, cadreForms.get(hid), 1)).result?.status).toBe('applied');
    const after = z.parse(ComparisonSchema, (await call('GET', `/inspection/households/${hid}/comparison`, supervisor)).json());
    expect(after.cadre.rev).toBe(2);
    expect(after.byClass.T1.differing).toBe(0);
  });

  it("exports the round's sample with what each re-check found, as CSV and XLSX, and logs it", async () => {
    const sample = z.parse(z.array(SampleHouseholdSchema), (await call('GET', `/inspection/rounds/${roundId}/households`, supervisor)).json());
    const hid = sampleInVillage[0]!;
    const c = z.parse(ComparisonSchema, (await call('GET', `/inspection/households/${hid}/comparison`, supervisor)).json());
    const differing = c.fields.filter((f) => f.differs);

    const csv = await call('GET', `/exports/rounds/${roundId}/households.csv`, supervisor);
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + sample.length);
    expect(lines[0]?.split(',').slice(5, 8)).toEqual(['入选原因', '检查组', '是否已复查']);
    const head = households.find((h) => h.id === hid)!;
    const rechecked = lines.slice(1).filter((l) => l.split(',')[7] === '是');
    expect(rechecked).toHaveLength(1);
    const cols = rechecked[0]!.split(',');
    expect(cols[3]).toBe(head.houseNumber);
    expect(cols[6]).toBe('陈思远');
    expect(Number(cols[9])).toBe(c.fields.length);
    expect(Number(cols[10])).toBe(differing.length);
    expect(Number(cols[11])).toBe(c.byClass.T1.differing);
    expect(csv.body).not.toMatch(/\d{17}[\dX]/);

    const xlsx = await call('GET', `/exports/rounds/${roundId}/households.xlsx`, supervisor);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe('抽查名单与比对');
    expect(sheet.rowCount).toBe(1 + sample.length);
    const logged = rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from audit_log where action = 'export.sample'`))[0]?.n;
    expect(logged).toBe(2);
    // Another area's round is not found; an inspector may not export.
    expect((await call('GET', `/exports/rounds/${randomUUID()}/households.csv`, supervisor)).statusCode).toBe(404);
    expect((await call('GET', `/exports/rounds/${roundId}/households.csv`, inspector)).statusCode).toBe(403);
  });

  it('an inspector never reads the comparison of a household not given to them', async () => {
    const other = households.find((h) => !sampleInVillage.includes(h.id))!;
    expect((await call('GET', `/inspection/households/${other.id}/comparison`, inspector)).statusCode).toBe(404);
  });

  it('taking the households back empties the device on its next pull', async () => {
    const res = await call('POST', `/inspection/rounds/${roundId}/assign`, supervisor, { inspectorId: null, villageCodes: [VILLAGE] });
    expect(res.json()).toEqual({ households: sampleInVillage.length });
    const got = await device.pull(true);
    expect(got.reset).toBe(true);
    expect(got.households).toEqual([]);
    expect(got.forms).toEqual([]);
  });

  it('refuses to give households to someone who is not an inspector, or outside the inspector area, naming the field', async () => {
    const users: { id: string; username: string }[] = (await call('GET', '/admin/users', await signIn(t.app, 'admin'))).json();
    // A cadre of the village, or the county's admin (whose area holds everything): neither is an inspector.
    for (const username of ['cadre', 'admin', 'supervisor']) {
      const id = users.find((u) => u.username === username)!.id;
      const notInspector = await call('POST', `/inspection/rounds/${roundId}/assign`, supervisor, { inspectorId: id, villageCodes: [VILLAGE] });
      expect(notInspector.statusCode, username).toBe(400);
      expect(errorOf(notInspector).error.fields?.[0]?.path).toBe('body.inspectorId');
    }
    const listed: { username: string }[] = (await call('GET', '/inspection/inspectors', supervisor)).json();
    expect(listed.map((u) => u.username)).toEqual(['inspector']);
    const notSampled = await call('POST', `/inspection/rounds/${roundId}/assign`, supervisor, { inspectorId: await inspectorId(), householdIds: ['no-such-household'] });
    expect(notSampled.statusCode).toBe(400);
    expect(errorOf(notSampled).error.fields?.[0]?.path).toBe('body.householdIds[0]');
  });
});

async function inspectorId(): Promise<string> {
  const list: { id: string; username: string }[] = (await call('GET', '/inspection/inspectors', supervisor)).json();
  const found = list.find((i) => i.username === 'inspector');
  if (!found) throw new Error('no demo inspector');
  return found.id;
}


describe('visit proof', () => {
  it("records the visit the app sends with a form, and flags the cadre's forms from one spot or too quick", async () => {
    const dev = new Device(cadre);
    const spot = { lat: 31.7169, lon: 113.3739, accuracyM: 8, at: '2026-11-20T09:00:00+08:00' };
    const ids = households.slice(0, 3).map((h) => h.id);
    for (const [i, h] of households.slice(0, 3).entries()) {
      const visit = {
        openedAt: `2026-11-20T09:${String(i * 20).padStart(2, '0')}:00+08:00`,
        submittedAt: `2026-11-20T09:${String(i * 20 + 15).padStart(2, '0')}:00+08:00`,
        activeSeconds: i === 0 ? { household: 20, members: 10 } : { household: 300, members: 600 },
        gpsOpen: spot,
        gpsSubmit: { ...spot, lat: spot.lat + i * 0.00002 },
      };
      const current: { id: string; householdId: string; rev: number }[] = (await call('GET', `/forms?limit=200`, supervisor)).json();
      const form = current.find((f) => f.householdId === h.id && f.id === cadreForms.get(h.id));
      const { result } = await dev.put({ ...checkFormBody(h), visit }, cadreForms.get(h.id), form?.rev ?? 1);
      expect(result?.status, JSON.stringify(result)).toBe('applied');
    }
    const q = z.parse(VisitQualitySchema, (await call('GET', '/inspection/visit-quality', supervisor)).json());
    const mine = q.find((r) => r.name === '李建国') ?? q[0];
    expect(mine).toMatchObject({ recorded: 3, flagged: 3 });
    expect(mine?.flags['same-position']).toBe(3);
    expect(mine?.flags['too-fast']).toBe(1);

    const detail = z.parse(FormDetailSchema, (await call('GET', `/forms/${cadreForms.get(ids[0] ?? '') ?? ''}`, supervisor)).json());
    expect(detail.visitFlags).toEqual(['too-fast', 'same-position']);
    expect((detail.body as CheckFormBody).visit).toMatchObject({ submittedAt: '2026-11-20T09:15:00+08:00' });
  });
});
