/** Check forms (check_forms) and their versions (check_form_versions). */
import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { FieldConflict } from '#shared/domain/form-merge.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import type { ReviewStatus } from '#shared/schemas/sync.ts';
import { type Db, rowsOf } from './client.ts';
import type { MutationWrite } from './mutations-repository.ts';
import { checkForms, checkFormVersions, households, persons, regions, users } from './schema/index.ts';

export type FormRow = typeof checkForms.$inferSelect;

/*
 * The batch path (push-service.ts applyBatch) reads and writes a whole batch
 * in a handful of statements, passing each list as ONE json parameter:
 * building and binding hundreds of parameters per statement cost more CPU
 * than everything else a push does.
 */

/** The forms (without their bodies), locked for the rest of the transaction, in id order (two batches never lock in opposite orders). */
export async function lockFormsForUpdate(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  const result = await db.execute(sql`
    select id::text as id, household_id as "householdId", village_code as "villageCode", kind, rev,
           review_status as "reviewStatus", review_comment as "reviewComment", conflicts
    from check_forms where id = any(array(select value::uuid from json_array_elements_text(${JSON.stringify(ids)}::json)))
    order by id for update`);
  return rowsOf<FormState>(result);
}

/** Bodies of some versions, keyed `formId:rev`. */
export async function findFormVersionBodies(db: Db, pairs: { formId: string; rev: number }[]): Promise<Map<string, CheckFormBody>> {
  if (pairs.length === 0) return new Map();
  const result = await db.execute(sql`
    select v.form_id::text as "formId", v.rev, v.body
    from check_form_versions v
    join json_to_recordset(${JSON.stringify(pairs)}::json) as x("formId" uuid, rev integer) on v.form_id = x."formId" and v.rev = x.rev`);
  return new Map(rowsOf<{ formId: string; rev: number; body: CheckFormBody }>(result).map((r) => [`${r.formId}:${r.rev}`, r.body]));
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
  return row?.body;
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
  reviewSection?: string | null | undefined;
}

/** A form's state apart from its body: what a new version starts from. */
export type FormState = Pick<FormRow, 'id' | 'householdId' | 'villageCode' | 'kind' | 'rev' | 'reviewStatus' | 'reviewComment' | 'conflicts'>;

/** Who makes a version: a user, and the device and mutation when it was pushed (null for a server-side change). */
export interface VersionAuthor {
  userId: string;
  deviceId: string | null;
  mutationId: string | null;
}

/**
 * The version after `form` (rev 1 for a form not yet stored, given as rev 0):
 * the same form with `change` applied. The one builder of a form version, for
 * a push, a review and a resolution alike. Written out, not spread: spreading
 * is several times slower on the push path.
 */
export function nextVersion(
  form: FormState,
  change: { body: CheckFormBody; reviewStatus?: ReviewStatus; reviewComment?: string | null; reviewSection?: string | null; conflicts?: FieldConflict[] },
  by: VersionAuthor,
): FormWrite {
  return {
    id: form.id,
    householdId: form.householdId,
    villageCode: form.villageCode,
    kind: form.kind,
    rev: form.rev + 1,
    body: change.body,
    reviewStatus: change.reviewStatus ?? form.reviewStatus,
    reviewComment: change.reviewComment !== undefined ? change.reviewComment : form.reviewComment,
    reviewSection: change.reviewSection,
    conflicts: change.conflicts ?? form.conflicts,
    userId: by.userId,
    deviceId: by.deviceId,
    mutationId: by.mutationId,
  };
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
  filter: {
    reviewStatus?: ReviewStatus | undefined;
    withConflicts?: boolean | undefined;
    id?: string | undefined;
    authorId?: string | undefined;
    /** Part of the head's name, or the house number. */
    search?: string | undefined;
    /** Keyset: rows after this one, newest first (updated_at to the millisecond, then id). */
    before?: { at: string; id: string } | undefined;
    limit: number;
  },
): Promise<FormSummaryRow[]> {
  const conds = [gte(checkForms.villageCode, area.lo)];
  if (area.hi !== null) conds.push(lt(checkForms.villageCode, area.hi));
  if (filter.id !== undefined) conds.push(eq(checkForms.id, filter.id));
  if (filter.reviewStatus) conds.push(eq(checkForms.reviewStatus, filter.reviewStatus));
  if (filter.withConflicts) conds.push(sql`jsonb_array_length(${checkForms.conflicts}) > 0`);
  if (filter.authorId !== undefined) conds.push(eq(checkForms.authorUserId, filter.authorId));
  if (filter.search) {
    const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // The roster's house number, or the one the cadre wrote on the form (corrected on the spot).
    conds.push(sql`(${persons.name} like ${like} or ${households.houseNumber} = ${filter.search} or ${checkForms.body} -> 'household' ->> 'houseNumber' = ${filter.search})`);
  }
  if (filter.before) conds.push(sql`(date_trunc('milliseconds', ${checkForms.updatedAt}), ${checkForms.id}) < (${filter.before.at}::timestamptz, ${filter.before.id}::uuid)`);
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
    .orderBy(sql`date_trunc('milliseconds', ${checkForms.updatedAt}) desc`, desc(checkForms.id))
    .limit(filter.limit);
}

/** Who wrote forms in the area, by name. */
export async function formAuthorsInArea(db: Db, area: { lo: string; hi: string | null }): Promise<{ id: string; name: string }[]> {
  const conds = [gte(checkForms.villageCode, area.lo)];
  if (area.hi !== null) conds.push(lt(checkForms.villageCode, area.hi));
  return db
    .selectDistinct({ id: users.id, name: users.displayName })
    .from(checkForms)
    .innerJoin(users, eq(users.id, checkForms.authorUserId))
    .where(and(...conds))
    .orderBy(users.displayName, users.id);
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
