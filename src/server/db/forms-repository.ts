import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { FieldConflict } from '#shared/domain/form-merge.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import type { MutationResult, ReviewStatus } from '#shared/schemas/sync.ts';
import type { Db } from './client.ts';
import { blobs, checkForms, checkFormVersions, devices, households, persons, regions, subsidyItems, syncMutations, users } from './schema/index.ts';

export type FormRow = typeof checkForms.$inferSelect;
export type MutationRow = typeof syncMutations.$inferSelect;

/** Runs `fn` in a transaction, or a savepoint when `db` is already one: a failing mutation rolls back alone. */
export function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction((tx) => fn(tx as unknown as Db));
}

/**
 * Serializes pushes of one device for the rest of the transaction: two
 * runners (or a replay) sending the same batch at once then answer applied
 * and duplicate, instead of racing to insert the same ids.
 */
export async function lockDevice(db: Db, deviceId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${deviceId}, 0))`);
}

export async function findMutation(db: Db, id: string): Promise<MutationRow | undefined> {
  const [row] = await db.select().from(syncMutations).where(eq(syncMutations.id, id)).limit(1);
  return row;
}

export async function findMutationByCounter(db: Db, deviceId: string, counter: number): Promise<MutationRow | undefined> {
  const [row] = await db
    .select()
    .from(syncMutations)
    .where(and(eq(syncMutations.deviceId, deviceId), eq(syncMutations.counter, counter)))
    .limit(1);
  return row;
}

/*
 * The batch path (push-service.ts applyBatch) reads and writes a whole batch
 * in a handful of statements, passing each list as ONE json parameter:
 * building and binding hundreds of parameters per statement cost more CPU
 * than everything else a push does.
 */
type Rows<T> = { rows: T[] };
const rowsOf = <T>(result: unknown): T[] => (result as Rows<T>).rows;

/** The mutations of a batch already in the log: by id (any device), or by this device's counters. */
export async function findMutationsOfBatch(db: Db, deviceId: string, ids: string[], counters: number[]) {
  if (ids.length === 0) return [];
  // Two index lookups (an OR of the two would scan the whole log).
  const result = await db.execute(sql`
    select id::text as id, device_id as "deviceId", user_id::text as "userId", counter::float8 as counter, result from sync_mutations
    where id = any(array(select value::uuid from json_array_elements_text(${JSON.stringify(ids)}::json)))
    union all
    select id::text as id, device_id as "deviceId", user_id::text as "userId", counter::float8 as counter, result from sync_mutations
    where device_id = ${deviceId} and counter = any(array(select value::bigint from json_array_elements_text(${JSON.stringify(counters)}::json)))`);
  return rowsOf<{ id: string; deviceId: string; userId: string; counter: number; result: unknown }>(result);
}

export async function householdVillages(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const result = await db.execute(sql`
    select id, village_code as v from households where id = any(array(select value from json_array_elements_text(${JSON.stringify(ids)}::json)))`);
  return new Map(rowsOf<{ id: string; v: string }>(result).map((r) => [r.id, r.v]));
}

/** The forms (without their bodies), locked for the rest of the transaction, in id order (two batches never lock in opposite orders). */
export async function lockFormsForUpdate(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  const result = await db.execute(sql`
    select id::text as id, household_id as "householdId", village_code as "villageCode", kind, rev,
           review_status as "reviewStatus", review_comment as "reviewComment", conflicts
    from check_forms where id = any(array(select value::uuid from json_array_elements_text(${JSON.stringify(ids)}::json)))
    order by id for update`);
  return rowsOf<Pick<FormRow, 'id' | 'householdId' | 'villageCode' | 'kind' | 'rev' | 'reviewStatus' | 'reviewComment' | 'conflicts'>>(result);
}

/** Bodies of some versions, keyed `formId:rev`. */
export async function findFormVersionBodies(db: Db, pairs: { formId: string; rev: number }[]): Promise<Map<string, unknown>> {
  if (pairs.length === 0) return new Map();
  const result = await db.execute(sql`
    select v.form_id::text as "formId", v.rev, v.body
    from check_form_versions v
    join json_to_recordset(${JSON.stringify(pairs)}::json) as x("formId" uuid, rev integer) on v.form_id = x."formId" and v.rev = x.rev`);
  return new Map(rowsOf<{ formId: string; rev: number; body: unknown }>(result).map((r) => [`${r.formId}:${r.rev}`, r.body]));
}

export interface MutationWrite {
  id: string;
  deviceId: string;
  counter: number;
  userId: string;
  kind: string;
  result: MutationResult;
  /** What was sent, as parsed. Not encoded again when the request's own text travels (see writeBatch). */
  payload: unknown;
  /** Its position in the request's `mutations`. */
  index: number;
}

/**
 * A batch's writes in ONE statement: each mutation's answer is logged, each
 * form write appends a version, and each form touched ends at its last state
 * (inserted if new, updated otherwise). One json row per mutation; a form's
 * body travels once and feeds both the form and its version, and not at all
 * when it is the body of the mutation as sent (`bodyAsSent`).
 *
 * What was sent travels once, too: with `requestText` (the push request's
 * bytes, which the caller has found PostgreSQL can store as they are), the
 * database takes each mutation out of the request itself, by its index, and
 * the rows carry no payload; without it (text PostgreSQL would refuse, or
 * a caller without the bytes), each row carries its payload. Encoding half a megabyte of JSON
 * again, and converting it for the wire, was the largest part of a batch's
 * cost in the server process.
 *
 * A body stored as sent is kept once in the log, in its version (found by
 * mutation_id): the logged payload leaves it out. A merged or refused
 * mutation keeps its body in the payload, as the evidence of what was sent.
 */
export async function writeBatch(
  db: Db,
  w: { formWrites: FormWrite[]; newForms: Set<string>; mutationWrites: MutationWrite[]; bodyAsSent: Set<string>; requestText?: Buffer | undefined },
): Promise<void> {
  if (w.mutationWrites.length === 0) return;
  const writeOf = new Map(w.formWrites.map((f) => [f.mutationId, f]));
  const lastWrite = new Map<string, string | null>();
  for (const f of w.formWrites) lastWrite.set(f.id, f.mutationId);
  const withPayload = w.requestText === undefined;
  // One literal of one shape for every row (absent values are undefined, which JSON leaves out):
  // spreading conditional parts made each row cost ~20 µs, a tenth of the batch's time in this process.
  const rows = JSON.stringify(
    w.mutationWrites.map((m) => {
      const f = writeOf.get(m.id);
      return {
        id: m.id,
        idx: m.index,
        device_id: m.deviceId,
        counter: m.counter,
        user_id: m.userId,
        kind: m.kind,
        status: m.result.status,
        result: m.result,
        payload: withPayload ? m.payload : undefined,
        form_id: f?.id,
        household_id: f?.householdId,
        village_code: f?.villageCode,
        form_kind: f?.kind,
        rev: f?.rev,
        body: f === undefined || w.bodyAsSent.has(m.id) ? undefined : f.body,
        review_status: f?.reviewStatus,
        review_comment: f?.reviewComment,
        conflicts: f?.conflicts,
        is_new: f === undefined ? undefined : w.newForms.has(f.id),
        is_last: f === undefined ? undefined : lastWrite.get(f.id) === m.id,
      };
    }),
  );
  // Buffers go out as the parameters' bytes (both drivers send them unconverted); `::text` checks they are UTF-8.
  const request = w.requestText ?? null;
  const rowBytes = Buffer.from(rows, 'utf8');
  await db.execute(sql`
    with request as materialized (
      select ${request}::text::jsonb -> 'mutations' as mutations
    ),
    sent as (
      select x.*, coalesce(x.payload, request.mutations -> x.idx) as sent
      from jsonb_to_recordset(${rowBytes}::text::jsonb) as x(
        id uuid, idx integer, device_id text, counter bigint, user_id uuid, kind text, status text, result jsonb, payload jsonb,
        form_id uuid, household_id text, village_code text, form_kind text, rev integer, body jsonb,
        review_status text, review_comment text, conflicts jsonb, is_new boolean, is_last boolean)
      cross join request
    ),
    x as materialized (
      select id, device_id, counter, user_id, kind, status, result, sent as payload, form_id, household_id, village_code, form_kind, rev,
             coalesce(body, sent->'body') as body, body is null as body_as_sent, review_status, review_comment, conflicts, is_new, is_last
      from sent
    ),
    inserted as (
      insert into check_forms (id, household_id, village_code, kind, rev, body, review_status, review_comment, conflicts, author_user_id, device_id)
      select form_id, household_id, village_code, form_kind, rev, body, review_status, review_comment, conflicts, user_id, device_id
      from x where form_id is not null and is_new and is_last
    ),
    updated as (
      update check_forms as f
      set rev = x.rev, body = x.body, review_status = x.review_status, review_comment = x.review_comment, review_section = null, conflicts = x.conflicts, updated_at = now()
      from x where x.form_id is not null and not x.is_new and x.is_last and f.id = x.form_id
    ),
    versions as (
      insert into check_form_versions (form_id, rev, body, review_status, review_comment, mutation_id, user_id, device_id)
      select form_id, rev, body, review_status, review_comment, id, user_id, device_id from x where form_id is not null
    )
    insert into sync_mutations (id, device_id, counter, user_id, kind, status, result, payload)
    select id, device_id, counter, user_id, kind, status, result,
           case when form_id is not null and body_as_sent then payload - 'body' else payload end
    from x`);
}

export async function recordMutation(
  db: Db,
  m: { id: string; deviceId: string; counter: number; userId: string; kind: string; result: MutationResult; payload: unknown },
): Promise<void> {
  await db.insert(syncMutations).values({
    id: m.id,
    deviceId: m.deviceId,
    counter: m.counter,
    userId: m.userId,
    kind: m.kind,
    status: m.result.status,
    result: m.result,
    payload: m.payload,
  });
}

/** The form, locked for the rest of the transaction so two pushes to it apply one after the other. */
export async function findFormForUpdate(db: Db, id: string): Promise<FormRow | undefined> {
  const [row] = await db.select().from(checkForms).where(eq(checkForms.id, id)).for('update').limit(1);
  return row;
}

export async function findFormVersionBody(db: Db, formId: string, rev: number): Promise<CheckFormBody | undefined> {
  const [row] = await db
    .select({ body: checkFormVersions.body })
    .from(checkFormVersions)
    .where(and(eq(checkFormVersions.formId, formId), eq(checkFormVersions.rev, rev)))
    .limit(1);
  return row?.body as CheckFormBody | undefined;
}

export async function householdVillage(db: Db, householdId: string): Promise<string | undefined> {
  const [row] = await db.select({ v: households.villageCode }).from(households).where(eq(households.id, householdId)).limit(1);
  return row?.v;
}

/** Whether `user` may read the blob: they uploaded it, or a version of a form in their area references it. */
const readableBy = (sha256: SQL, user: { id: string; area: { lo: string; hi: string | null } }) => sql`(${blobs.userId} = ${user.id} or exists (
    select 1 from ${checkFormVersions} v join ${checkForms} f on f.id = v.form_id
    where (v.body #>> '{evidence,signatureBlob}' = ${sha256} or v.body #> '{evidence,photoBlobs}' @> jsonb_build_array(${sha256}::text))
      and f.village_code >= ${user.area.lo} ${user.area.hi === null ? sql`` : sql`and f.village_code < ${user.area.hi}`}))`;

/**
 * The hashes `user` may not reference: missing, or another area's blob
 * (a hash known from elsewhere must not open that area's evidence, which
 * referencing it from one's own form would). The two are one answer, so the
 * reply is no oracle for which hashes exist.
 */
export async function unreadableBlobs(db: Db, hashes: string[], user: { id: string; area: { lo: string; hi: string | null } }): Promise<string[]> {
  if (hashes.length === 0) return [];
  const present = await db
    .select({ h: blobs.sha256 })
    .from(blobs)
    .where(and(inArray(blobs.sha256, hashes), readableBy(sql`${blobs.sha256}`, user)));
  const have = new Set(present.map((r) => r.h));
  return hashes.filter((h) => !have.has(h));
}

export interface FormWrite {
  id: string;
  householdId: string;
  villageCode: string;
  kind: 'cadre' | 'inspection';
  rev: number;
  body: CheckFormBody;
  reviewStatus: ReviewStatus;
  reviewComment: string | null;
  conflicts: FieldConflict[];
  userId: string;
  deviceId: string | null;
  mutationId: string | null;
  /** What a return's comment is about (a SectionId); undefined leaves it as it is. */
  reviewSection?: string | null;
}

/** Writes the form's new current state and appends the same state to its history. */
export async function writeFormVersion(db: Db, w: FormWrite, isNew: boolean): Promise<void> {
  if (isNew) {
    await db.insert(checkForms).values({
      id: w.id,
      householdId: w.householdId,
      villageCode: w.villageCode,
      kind: w.kind,
      rev: w.rev,
      body: w.body,
      reviewStatus: w.reviewStatus,
      reviewComment: w.reviewComment,
      conflicts: w.conflicts,
      authorUserId: w.userId,
      deviceId: w.deviceId ?? 'server',
    });
  } else {
    await db
      .update(checkForms)
      .set({
        rev: w.rev,
        body: w.body,
        reviewStatus: w.reviewStatus,
        reviewComment: w.reviewComment,
        conflicts: w.conflicts,
        ...(w.reviewSection !== undefined ? { reviewSection: w.reviewSection } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(checkForms.id, w.id));
  }
  await db.insert(checkFormVersions).values({
    formId: w.id,
    rev: w.rev,
    body: w.body,
    reviewStatus: w.reviewStatus,
    reviewComment: w.reviewComment,
    mutationId: w.mutationId,
    userId: w.userId,
    deviceId: w.deviceId,
  });
}

export async function touchDevice(
  db: Db,
  d: { id: string; userId: string; appVersion: string | null; push?: boolean; pull?: boolean; unsentCount?: number | null },
): Promise<void> {
  const now = new Date();
  await db
    .insert(devices)
    .values({
      id: d.id,
      userId: d.userId,
      appVersion: d.appVersion,
      lastPushAt: d.push ? now : null,
      lastPullAt: d.pull ? now : null,
      unsentCount: d.unsentCount ?? null,
    })
    .onConflictDoUpdate({
      target: devices.id,
      // A device id is bound to the user who registered it: another user's sync never takes it over.
      setWhere: eq(devices.userId, d.userId),
      set: {
        userId: d.userId,
        ...(d.appVersion !== null ? { appVersion: d.appVersion } : {}),
        ...(d.push ? { lastPushAt: now } : {}),
        ...(d.pull ? { lastPullAt: now } : {}),
        ...(d.unsentCount !== undefined && d.unsentCount !== null ? { unsentCount: d.unsentCount } : {}),
      },
    });
}

/** The user a device id is bound to (the first to sync under it), if any. */
export async function deviceOwner(db: Db, id: string): Promise<string | undefined> {
  const [row] = await db.select({ userId: devices.userId }).from(devices).where(eq(devices.id, id)).limit(1);
  return row?.userId;
}

export async function findFormsOfHousehold(db: Db, householdId: string): Promise<FormRow[]> {
  return db.select().from(checkForms).where(eq(checkForms.householdId, householdId));
}

export async function formHistory(db: Db, formId: string) {
  return db.select().from(checkFormVersions).where(eq(checkFormVersions.formId, formId)).orderBy(checkFormVersions.rev);
}

/** Records a blob; false when it was already recorded. */
export async function insertBlob(db: Db, b: { sha256: string; size: number; contentType: string; userId: string }): Promise<boolean> {
  const rows = await db.insert(blobs).values(b).onConflictDoNothing().returning({ sha256: blobs.sha256 });
  return rows.length > 0;
}

/** Names of subsidy items by code (the catalogue is a few dozen rows). */
export async function itemNames(db: Db, codes: string[]): Promise<Record<string, string>> {
  if (codes.length === 0) return {};
  const rows = await db.select({ code: subsidyItems.code, name: subsidyItems.name }).from(subsidyItems).where(inArray(subsidyItems.code, codes));
  return Object.fromEntries(rows.map((r) => [r.code, r.name]));
}

export async function findBlob(db: Db, sha256: string) {
  const [row] = await db.select().from(blobs).where(eq(blobs.sha256, sha256)).limit(1);
  return row;
}

/**
 * A blob as `user` may read it: one they uploaded, or one that some version of
 * a form in their area references (its signature or one of its photos).
 * Hashes are not secrets: a hash known from elsewhere does not open another
 * area's evidence. Indexed lookups (migration 0004), then the forms' villages.
 */
export async function findBlobForArea(db: Db, sha256: string, user: { id: string; area: { lo: string; hi: string | null } }) {
  const [row] = await db
    .select()
    .from(blobs)
    .where(and(eq(blobs.sha256, sha256), readableBy(sql`${sha256}`, user)))
    .limit(1);
  return row;
}

export interface FormSummaryRow {
  id: string;
  householdId: string;
  villageCode: string;
  kind: 'cadre' | 'inspection';
  rev: number;
  reviewStatus: ReviewStatus;
  reviewComment: string | null;
  conflictCount: number;
  authorName: string;
  headName: string | null;
  houseNumber: string | null;
  groupName: string | null;
  villageName: string | null;
  updatedAt: Date;
}

/** Forms of an area for review, newest first; with `id`, that one form if it is in the area. */
export async function listFormsInArea(
  db: Db,
  area: { lo: string; hi: string | null },
  filter: { reviewStatus?: ReviewStatus | undefined; withConflicts?: boolean | undefined; id?: string | undefined; limit: number },
): Promise<FormSummaryRow[]> {
  const conds = [gte(checkForms.villageCode, area.lo)];
  if (area.hi !== null) conds.push(lt(checkForms.villageCode, area.hi));
  if (filter.id !== undefined) conds.push(eq(checkForms.id, filter.id));
  if (filter.reviewStatus) conds.push(eq(checkForms.reviewStatus, filter.reviewStatus));
  if (filter.withConflicts) conds.push(sql`jsonb_array_length(${checkForms.conflicts}) > 0`);
  return db
    .select({
      id: checkForms.id,
      householdId: checkForms.householdId,
      villageCode: checkForms.villageCode,
      kind: checkForms.kind,
      rev: checkForms.rev,
      reviewStatus: checkForms.reviewStatus,
      reviewComment: checkForms.reviewComment,
      conflictCount: sql<number>`jsonb_array_length(${checkForms.conflicts})::int`,
      authorName: users.displayName,
      headName: persons.name,
      houseNumber: households.houseNumber,
      groupName: households.groupName,
      villageName: regions.name,
      updatedAt: checkForms.updatedAt,
    })
    .from(checkForms)
    .innerJoin(users, eq(users.id, checkForms.authorUserId))
    .leftJoin(households, eq(households.id, checkForms.householdId))
    .leftJoin(persons, eq(persons.id, households.headPersonId))
    .leftJoin(regions, eq(regions.code, checkForms.villageCode))
    .where(and(...conds))
    .orderBy(desc(checkForms.updatedAt))
    .limit(filter.limit);
}

export async function findFormById(db: Db, id: string): Promise<FormRow | undefined> {
  const [row] = await db.select().from(checkForms).where(eq(checkForms.id, id)).limit(1);
  return row;
}

export async function formHistoryWithUsers(db: Db, formId: string) {
  return db
    .select({
      rev: checkFormVersions.rev,
      reviewStatus: checkFormVersions.reviewStatus,
      reviewComment: checkFormVersions.reviewComment,
      userName: users.displayName,
      deviceId: checkFormVersions.deviceId,
      createdAt: checkFormVersions.createdAt,
    })
    .from(checkFormVersions)
    .innerJoin(users, eq(users.id, checkFormVersions.userId))
    .where(eq(checkFormVersions.formId, formId))
    .orderBy(checkFormVersions.rev);
}

/** Devices of the users whose area lies inside the given area. */
export async function listDevicesInArea(db: Db, area: { lo: string; hi: string | null }) {
  const conds = [gte(users.areaCode, area.lo)];
  if (area.hi !== null) conds.push(lt(users.areaCode, area.hi));
  return db
    .select({
      id: devices.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      areaCode: users.areaCode,
      appVersion: devices.appVersion,
      lastPushAt: devices.lastPushAt,
      lastPullAt: devices.lastPullAt,
      unsentCount: devices.unsentCount,
    })
    .from(devices)
    .innerJoin(users, eq(users.id, devices.userId))
    .where(and(...conds))
    .orderBy(desc(devices.lastPullAt));
}
