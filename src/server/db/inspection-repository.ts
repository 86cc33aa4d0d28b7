/**
 * Spot-check rounds (schema/inspection.ts): the input a draw is made from,
 * the rounds and their samples, who re-checks what, and the comparisons.
 * Everything that grows with the area is counted here, in SQL.
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { SyncEntity } from '#shared/schemas/sync.ts';
import type { SampledHousehold } from '#shared/domain/inspection/sample.ts';
import type { FormComparison } from '#shared/domain/inspection/compare.ts';
import type { VisitRecord } from '#shared/domain/inspection/visit-proof.ts';
import { areaFilter, areaFilterSql } from './area-filter.ts';
import { rowsOf, type Db } from './client.ts';
import { checkForms, inspectionComparisons, inspectionRounds, inspectionSample, users } from './schema/index.ts';

/** The households given to an inspector, in any round. */
function assignedSql(userId: string): SQL {
  return sql`(select s.household_id from inspection_sample s where s.inspector_user_id = ${userId})`;
}

/**
 * What of its area an inspector's device receives: only the households it
 * was given to re-check (architecture.md, security model), and their people,
 * accounts, payment lines and re-check forms. Column names are unqualified:
 * each pull query reads one table.
 */
export function inspectorScope(userId: string): (entity: Exclude<SyncEntity, 'item'>) => SQL {
  const assigned = assignedSql(userId);
  return (entity) => {
    switch (entity) {
      case 'household':
        return sql`id in ${assigned}`;
      case 'account':
        return sql`holder_person_id in (select p.id from persons p where p.household_id in ${assigned})`;
      default:
        return sql`household_id in ${assigned}`;
    }
  };
}

/** A fingerprint of the households given to an inspector: when it changes, the device's download starts again. */
export async function assignmentToken(db: Db, userId: string): Promise<string> {
  const r = await db.execute(sql`select md5(coalesce(string_agg(distinct household_id, ',' order by household_id), '')) as t from inspection_sample where inspector_user_id = ${userId}`);
  return rowsOf<{ t: string }>(r)[0]?.t ?? '';
}

/** Which of these households the inspector was given. */
export async function assignedAmong(db: Db, userId: string, householdIds: readonly string[]): Promise<Set<string>> {
  if (householdIds.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ id: inspectionSample.householdId })
    .from(inspectionSample)
    .where(and(eq(inspectionSample.inspectorUserId, userId), inArray(inspectionSample.householdId, [...householdIds])));
  return new Set(rows.map((r) => r.id));
}

export interface DrawRow {
  householdId: string;
  villageCode: string;
  /** The author of the household's latest cadre form. */
  cadre: string | null;
  outcome: string | null;
  problems: number;
  /** An open ledger item from the payment data is about the household. */
  anomaly: boolean;
}

/** One row per household of the area, with what the draw weighs and must include. */
export async function drawRows(db: Db, areaPrefix: string): Promise<DrawRow[]> {
  const r = await db.execute(sql`
    select h.id as "householdId", h.village_code as "villageCode",
           f.author_user_id::text as cadre, f.body->>'outcome' as outcome,
           coalesce(jsonb_array_length(f.body->'problems'), 0)::int as problems,
           (a.household_id is not null) as anomaly
    from households h
    left join lateral (select author_user_id, body from check_forms c where c.household_id = h.id and c.kind = 'cadre' order by c.updated_at desc limit 1) f on true
    left join (select distinct li.household_id from ledger_items li join ledger_sources ls on ls.item_id = li.id and ls.kind = 'anomaly'
               where li.household_id is not null and li.state not in ('closed', 'dismissed') and ${areaFilterSql(sql.raw('li.area_code'), areaPrefix)}) a on a.household_id = h.id
    where ${areaFilterSql(sql.raw('h.village_code'), areaPrefix)}
    order by h.id`);
  return rowsOf<DrawRow>(r);
}

export type RoundRow = typeof inspectionRounds.$inferSelect;

export async function insertRound(tx: Db, round: typeof inspectionRounds.$inferInsert, sample: readonly SampledHousehold[]): Promise<RoundRow> {
  const [row] = await tx.insert(inspectionRounds).values(round).returning();
  if (!row) throw new Error('round not stored');
  for (let i = 0; i < sample.length; i += 2000) {
    await tx.insert(inspectionSample).values(
      sample.slice(i, i + 2000).map((h, j) => ({ roundId: row.id, householdId: h.householdId, villageCode: h.villageCode, position: i + j, reason: h.reason })),
    );
  }
  return row;
}

/** Rounds of an area, or of an area around it (a county's round shows in its townships), newest first; without their input. */
export async function listRounds(db: Db, areaPrefix: string) {
  return db
    .select({
      id: inspectionRounds.id,
      number: inspectionRounds.number,
      name: inspectionRounds.name,
      areaCode: inspectionRounds.areaCode,
      seed: inspectionRounds.seed,
      rule: inspectionRounds.rule,
      inputHash: inspectionRounds.inputHash,
      households: inspectionRounds.households,
      createdByName: inspectionRounds.createdByName,
      createdAt: inspectionRounds.createdAt,
    })
    .from(inspectionRounds)
    .where(sql`((${areaFilter(inspectionRounds.areaCode, areaPrefix)}) or starts_with(${areaPrefix}, rtrim(${inspectionRounds.areaCode}, '0')))`)
    .orderBy(desc(inspectionRounds.createdAt))
    .limit(200);
}

export async function findRound(db: Db, id: string): Promise<RoundRow | undefined> {
  const [row] = await db.select().from(inspectionRounds).where(eq(inspectionRounds.id, id));
  return row;
}

export interface VillageProgressRow {
  villageCode: string;
  villageName: string | null;
  sampled: number;
  assigned: number;
  done: number;
  compared: number;
  t1Flagged: number;
  inspectors: string | null;
}

/** Per sampled village of a round (inside the caller's area): drawn, assigned, re-checked, compared, with a T1 difference. */
export async function roundProgress(db: Db, roundId: string, areaPrefix: string): Promise<VillageProgressRow[]> {
  const r = await db.execute(sql`
    select s.village_code as "villageCode", rg.name as "villageName",
           count(*)::int as sampled,
           count(s.inspector_user_id)::int as assigned,
           count(*) filter (where exists (select 1 from check_forms f where f.household_id = s.household_id and f.kind = 'inspection'))::int as done,
           count(c.household_id)::int as compared,
           count(*) filter (where c.t1_differing > 0)::int as "t1Flagged",
           string_agg(distinct u.display_name, '、') as inspectors
    from inspection_sample s
    left join inspection_comparisons c on c.round_id = s.round_id and c.household_id = s.household_id
    left join users u on u.id = s.inspector_user_id
    left join regions rg on rg.code = s.village_code
    where s.round_id = ${roundId} and ${areaFilterSql(sql.raw('s.village_code'), areaPrefix)}
    group by s.village_code, rg.name
    order by s.village_code`);
  return rowsOf<VillageProgressRow>(r);
}

export interface SampleHouseholdRow {
  householdId: string;
  villageCode: string;
  groupName: string | null;
  houseNumber: string | null;
  headName: string | null;
  reason: (typeof inspectionSample.reason.enumValues)[number];
  inspectorUserId: string | null;
  inspectorName: string | null;
  done: boolean;
  compared: number | null;
  differing: number | null;
  t1Differing: number | null;
}

export async function roundHouseholds(db: Db, roundId: string, areaPrefix: string, villageCode: string | null): Promise<SampleHouseholdRow[]> {
  const r = await db.execute(sql`
    select s.household_id as "householdId", s.village_code as "villageCode", h.group_name as "groupName", h.house_number as "houseNumber",
           p.name as "headName", s.reason, s.inspector_user_id::text as "inspectorUserId", u.display_name as "inspectorName",
           exists (select 1 from check_forms f where f.household_id = s.household_id and f.kind = 'inspection') as done,
           c.compared, c.differing, c.t1_differing as "t1Differing"
    from inspection_sample s
    left join households h on h.id = s.household_id
    left join persons p on p.id = h.head_person_id
    left join users u on u.id = s.inspector_user_id
    left join inspection_comparisons c on c.round_id = s.round_id and c.household_id = s.household_id
    where s.round_id = ${roundId} and ${areaFilterSql(sql.raw('s.village_code'), areaPrefix)}
      ${villageCode === null ? sql`` : sql`and s.village_code = ${villageCode}`}
    order by s.village_code, s.position
    limit 5000`);
  return rowsOf<SampleHouseholdRow>(r);
}

/** Gives (or, with null, takes back) households of a round; returns how many rows changed. */
export async function assignHouseholds(tx: Db, roundId: string, inspectorUserId: string | null, householdIds: readonly string[]): Promise<number> {
  if (householdIds.length === 0) return 0;
  const rows = await tx
    .update(inspectionSample)
    .set({ inspectorUserId, assignedAt: inspectorUserId === null ? null : new Date() })
    .where(and(eq(inspectionSample.roundId, roundId), inArray(inspectionSample.householdId, [...householdIds])))
    .returning({ id: inspectionSample.householdId });
  return rows.length;
}

/** Which of these households the round sampled, with their villages. */
export async function sampledAmong(db: Db, roundId: string, householdIds: readonly string[]): Promise<Map<string, string>> {
  if (householdIds.length === 0) return new Map();
  const rows = await db
    .select({ id: inspectionSample.householdId, village: inspectionSample.villageCode })
    .from(inspectionSample)
    .where(and(eq(inspectionSample.roundId, roundId), inArray(inspectionSample.householdId, [...householdIds])));
  return new Map(rows.map((r) => [r.id, r.village]));
}

/** The sampled households of these villages. */
export async function sampledInVillages(db: Db, roundId: string, villageCodes: readonly string[]): Promise<{ id: string; village: string }[]> {
  if (villageCodes.length === 0) return [];
  return db
    .select({ id: inspectionSample.householdId, village: inspectionSample.villageCode })
    .from(inspectionSample)
    .where(and(eq(inspectionSample.roundId, roundId), inArray(inspectionSample.villageCode, [...villageCodes])))
    .orderBy(asc(inspectionSample.position));
}

/** Active inspectors whose area holds, or lies in, this area. */
export async function inspectorsFor(db: Db, areaPrefix: string) {
  return db
    .select({ id: users.id, username: users.username, displayName: users.displayName, areaCode: users.areaCode })
    .from(users)
    .where(and(eq(users.role, 'inspector'), sql`${users.disabledAt} is null`, sql`((${areaFilter(users.areaCode, areaPrefix)}) or starts_with(${areaPrefix}, rtrim(${users.areaCode}, '0')))`))
    .orderBy(asc(users.areaCode), asc(users.username));
}

export interface PairRow {
  roundId: string;
  householdId: string;
  villageCode: string;
  cadreFormId: string;
  cadreRev: number;
  cadreUserId: string;
  inspectionFormId: string;
  inspectionRev: number;
  inspectorUserId: string;
}

/**
 * Sampled households with both a cadre form and a re-check whose comparison
 * is missing or was made from other revisions: of one round, or of these households in any round.
 */
export async function stalePairs(db: Db, where: { roundId: string } | { householdIds: readonly string[] }, limit: number): Promise<(PairRow & { cadreBody: unknown; inspectionBody: unknown })[]> {
  if ('householdIds' in where && where.householdIds.length === 0) return [];
  const filter = 'roundId' in where ? sql`s.round_id = ${where.roundId}` : sql`s.household_id in ${sql`(${sql.join(where.householdIds.map((h) => sql`${h}`), sql`, `)})`}`;
  const r = await db.execute(sql`
    select s.round_id as "roundId", s.household_id as "householdId", s.village_code as "villageCode",
           cf.id as "cadreFormId", cf.rev as "cadreRev", cf.author_user_id as "cadreUserId",
           inf.id as "inspectionFormId", inf.rev as "inspectionRev", inf.author_user_id as "inspectorUserId",
           cf.body as "cadreBody", inf.body as "inspectionBody"
    from inspection_sample s
    join lateral (select id, rev, author_user_id, body from check_forms where household_id = s.household_id and kind = 'cadre' order by updated_at desc limit 1) cf on true
    join lateral (select id, rev, author_user_id, body from check_forms where household_id = s.household_id and kind = 'inspection' order by updated_at desc limit 1) inf on true
    left join inspection_comparisons c on c.round_id = s.round_id and c.household_id = s.household_id
    where ${filter}
      and (c.round_id is null or c.cadre_form_id <> cf.id or c.cadre_rev <> cf.rev or c.inspection_form_id <> inf.id or c.inspection_rev <> inf.rev)
    limit ${limit}`);
  return rowsOf<PairRow & { cadreBody: unknown; inspectionBody: unknown }>(r);
}

export async function upsertComparison(tx: Db, p: PairRow, c: FormComparison): Promise<void> {
  const values = {
    ...p,
    compared: c.compared,
    differing: c.differing,
    t1Compared: c.byClass.T1.compared,
    t1Differing: c.byClass.T1.differing,
    t2Compared: c.byClass.T2.compared,
    t2Differing: c.byClass.T2.differing,
    t3Compared: c.byClass.T3.compared,
    t3Differing: c.byClass.T3.differing,
    fields: c.fields,
    computedAt: new Date(),
  };
  const { roundId: _r, householdId: _h, ...set } = values;
  await tx.insert(inspectionComparisons).values(values).onConflictDoUpdate({ target: [inspectionComparisons.roundId, inspectionComparisons.householdId], set });
}

export async function findComparisons(db: Db, householdId: string) {
  return db.select().from(inspectionComparisons).where(eq(inspectionComparisons.householdId, householdId)).orderBy(desc(inspectionComparisons.computedAt));
}

export interface QualityRow {
  level: 'cadre' | 'village' | 'township';
  key: string;
  name: string | null;
  households: number;
  t1Households: number;
  compared: number;
  differing: number;
  t1Compared: number;
  t1Differing: number;
  t2Compared: number;
  t2Differing: number;
}

/** Error rates of a round per cadre, village and township (inside the caller's area). */
export async function roundQuality(db: Db, roundId: string, areaPrefix: string): Promise<QualityRow[]> {
  const sums = sql`count(*)::int as households, count(*) filter (where c.t1_differing > 0)::int as "t1Households",
    sum(c.compared)::int as compared, sum(c.differing)::int as differing, sum(c.t1_compared)::int as "t1Compared",
    sum(c.t1_differing)::int as "t1Differing", sum(c.t2_compared)::int as "t2Compared", sum(c.t2_differing)::int as "t2Differing"`;
  const inArea = sql`c.round_id = ${roundId} and ${areaFilterSql(sql.raw('c.village_code'), areaPrefix)}`;
  const r = await db.execute(sql`
    select 'cadre' as level, c.cadre_user_id::text as key, max(u.display_name) as name, ${sums}
      from inspection_comparisons c left join users u on u.id = c.cadre_user_id where ${inArea} group by c.cadre_user_id
    union all
    select 'village', c.village_code, max(rg.name), ${sums}
      from inspection_comparisons c left join regions rg on rg.code = c.village_code where ${inArea} group by c.village_code
    union all
    select 'township', substr(c.village_code, 1, 9) || '000', max(rg.name), ${sums}
      from inspection_comparisons c left join regions rg on rg.code = substr(c.village_code, 1, 9) || '000' where ${inArea} group by substr(c.village_code, 1, 9)
    order by 1, 2`);
  return rowsOf<QualityRow>(r);
}

/** The newest form of a kind for a household, with its body. */
export async function latestForm(db: Db, householdId: string, kind: 'cadre' | 'inspection') {
  const [row] = await db.select().from(checkForms).where(and(eq(checkForms.householdId, householdId), eq(checkForms.kind, kind))).orderBy(desc(checkForms.updatedAt)).limit(1);
  return row;
}

/** Whether a household is in a round the user's area can see. */
export async function roundsOfHousehold(db: Db, householdId: string) {
  return db.select({ roundId: inspectionSample.roundId, inspectorUserId: inspectionSample.inspectorUserId, villageCode: inspectionSample.villageCode }).from(inspectionSample).where(eq(inspectionSample.householdId, householdId));
}

/**
 * What visit proof needs of each form (visit-proof.ts), read straight from
 * the bodies: of an area's forms of one kind, or of one author's. The fix is
 * the submit's, else the evidence step's, else the opening's; active time is
 * counted for households actually checked.
 */
export async function visitRecords(db: Db, areaPrefix: string, kind: 'cadre' | 'inspection', author: string | null = null): Promise<VisitRecord[]> {
  const fix = sql`coalesce(nullif(f.body->'visit'->'gpsSubmit', 'null'::jsonb), nullif(f.body->'evidence'->'gps', 'null'::jsonb), nullif(f.body->'visit'->'gpsOpen', 'null'::jsonb))`;
  const r = await db.execute(sql`
    select f.id::text as "formId", f.author_user_id::text as author, f.village_code as "villageCode", f.household_id as "householdId",
           coalesce(jsonb_array_length(f.body->'members'), 0)::int as persons,
           f.body->'visit'->>'submittedAt' as "submittedAt",
           case when f.body->>'outcome' = 'checked' and jsonb_typeof(f.body->'visit'->'activeSeconds') = 'object'
                then (select coalesce(sum(value::int), 0)::int from jsonb_each_text(f.body->'visit'->'activeSeconds')) end as "activeSeconds",
           ${fix} as fix
    from check_forms f
    where ${areaFilterSql(sql.raw('f.village_code'), areaPrefix)} and f.kind = ${kind} ${author === null ? sql`` : sql`and f.author_user_id = ${author}`}`);
  return rowsOf<VisitRecord & { fix: { lat: number; lon: number; accuracyM: number } | null }>(r);
}
