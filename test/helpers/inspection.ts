import { sql } from 'drizzle-orm';
import { DEFAULT_SAMPLE_RULE } from '#shared/domain/inspection/sample.ts';
import type { Db } from '#server/db/client.ts';
import { rowsOf } from '#server/db/client.ts';

/**
 * Gives households to an inspector the short way (a round with these
 * households, straight into the tables), for tests about something else
 * that need an inspector allowed to re-check them. The real path is the
 * draw and assignment API (inspection.test.ts).
 */
export async function giveToInspector(db: Db, username: string, householdIds: readonly string[], areaCode = '421321000000'): Promise<string> {
  const [round] = rowsOf<{ id: string }>(
    await db.execute(sql`insert into inspection_rounds (name, area_code, seed, rule, input_hash, input, households)
      values ('test', ${areaCode}, 'test', ${JSON.stringify(DEFAULT_SAMPLE_RULE)}::jsonb, ${'0'.repeat(64)}, ${JSON.stringify({ areaCode, townships: [] })}::jsonb, ${householdIds.length}) returning id`),
  );
  if (!round) throw new Error('no round');
  await db.execute(sql`insert into inspection_sample (round_id, household_id, village_code, position, reason, inspector_user_id, assigned_at)
    select ${round.id}::uuid, h.id, h.village_code, row_number() over (order by h.id)::int, 'drawn', u.id, now()
    from households h, users u where u.username = ${username} and h.id in (${sql.join(householdIds.map((h) => sql`${h}`), sql`, `)})`);
  return round.id;
}

/** Every household of an area given to the demo inspector (tests of the inspector's device that predate sampling). */
export async function giveAreaToInspector(db: Db, areaPrefix: string, username = 'inspector'): Promise<string> {
  const ids = rowsOf<{ id: string }>(await db.execute(sql`select id from households where village_code like ${`${areaPrefix}%`}`)).map((r) => r.id);
  return giveToInspector(db, username, ids);
}
