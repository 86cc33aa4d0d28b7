/**
 * Planner statistics after bulk writes. PGlite runs PostgreSQL in
 * single-user mode with no autovacuum, so a table loaded in bulk keeps no
 * statistics until someone runs ANALYZE; without them the planner guesses a
 * few hundred rows for any range and sorts a whole county per pull page
 * (1.7 s a page where the stream-order index needs 10 ms). On a PostgreSQL
 * server autovacuum gets there too, but only after a delay.
 */
import { sql } from 'drizzle-orm';
import type { Db } from './client.ts';

/** ANALYZE the roster tables; cheap (it samples), safe to run any time. */
export async function analyzeRosterTables(db: Db): Promise<void> {
  await db.execute(sql`analyze households, persons, accounts, payment_lines, subsidy_items, check_forms`);
}
