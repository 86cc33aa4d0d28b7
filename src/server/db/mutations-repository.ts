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
