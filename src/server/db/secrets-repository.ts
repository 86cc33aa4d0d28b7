/** The secrets the database made for itself (schema/secrets.ts). */
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from './client.ts';

/** The `person-key` secret (migration 0011), or undefined when the migration has not run. */
export async function readPersonKeySecret(db: Db): Promise<string | undefined> {
  return rowsOf<{ value: string }>(await db.execute(sql`select value from server_secrets where name = 'person-key'`))[0]?.value;
}
