/**
 * The database a command works on: the server's own (PGlite in DATA_DIR, or
 * PostgreSQL at DATABASE_URL), or the one its --data-dir / --database-url
 * name; migrated before use, like a server start.
 */
import { loadConfig } from '#server/config.ts';
import { openDatabase, type Database } from '#server/db/client.ts';

/** parseArgs options every command that opens the database takes. */
export const DATABASE_OPTIONS = {
  'database-url': { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

export async function openCliDatabase(values: { 'database-url'?: string | undefined; 'data-dir'?: string | undefined }): Promise<{ database: Database; dataDir: string }> {
  const config = loadConfig({ ...process.env, ...(values['data-dir'] ? { DATA_DIR: values['data-dir'] } : {}) });
  const url = values['database-url'] ?? config.databaseUrl;
  const database = await openDatabase(url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: config.dataDir });
  try {
    await database.migrate();
  } catch (err) {
    await database.close();
    throw err;
  }
  return { database, dataDir: config.dataDir };
}
