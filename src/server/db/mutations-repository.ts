/** The mutation log (sync_mutations): every mutation received, with the answer it got. */
import { and, eq, sql } from 'drizzle-orm';
import type { MutationResult } from '#shared/schemas/sync.ts';
import { type Db, rowsOf } from './client.ts';
import { syncMutations } from './schema/index.ts';

export type MutationRow = typeof syncMutations.$inferSelect;

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
  return rowsOf<{ id: string; deviceId: string; userId: string; counter: number; result: MutationResult }>(result);
}

/**
 * The form body each logged mutation was sent with: in its payload, or, when
 * it was stored exactly as sent (writeBatch), in the version it made. Absent
 * when it was not kept (a payload too malformed to store whole).
 */
export async function findSentBodies(db: Db, ids: string[]): Promise<Map<string, unknown>> {
  if (ids.length === 0) return new Map();
  const result = await db.execute(sql`
    select m.id::text as id, coalesce(m.payload -> 'body', v.body) as body
    from sync_mutations m
    left join check_form_versions v
      on v.mutation_id = m.id
     and v.form_id = case when m.payload ->> 'formId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then (m.payload ->> 'formId')::uuid end
    where m.id = any(array(select value::uuid from json_array_elements_text(${JSON.stringify(ids)}::json)))`);
  const bodies = new Map<string, unknown>();
  for (const r of rowsOf<{ id: string; body: unknown }>(result)) if (r.body !== null) bodies.set(r.id, r.body);
  return bodies;
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
