import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite, types } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** The one database type the rest of the server sees, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DatabaseKind;
  /** Applies pending migrations; safe to call on every start. */
  migrate(): Promise<void>;
  /** Number of migrations applied, reported by /api/health. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export type DatabaseOptions =
  | {
      kind: 'postgres';
      url: string;
      poolSize?: number;
      /** Told when an idle pooled connection fails (server restart, admin termination); the pool replaces it. */
      onIdleError?: (error: Error) => void;
    }
  /** `dataDir` undefined keeps PGlite in memory (tests). */
  | { kind: 'pglite'; dataDir?: string | undefined };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle client that loses its connection (PostgreSQL restarted, a backend terminated)
    // is re-emitted by the pool as 'error': unhandled, that event would crash the process.
    // The pool has already discarded the client; the next query opens a new one.
    const onIdleError = options.onIdleError ?? (() => undefined);
    pool.on('error', onIdleError);
    // Fail at start, not on the first request, when the URL is wrong.
    const probe = await pool.connect();
    probe.release();
    const db = drizzleNodePg(pool, { schema });
    return {
      db,
      kind: 'postgres',
      migrate: () => migrateNodePg(db, { migrationsFolder }),
      schemaVersion: () => countMigrations(db),
      close: () => pool.end(),
    };
  }
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
  // PGlite's Serializer type says string; its bind writes a Uint8Array it is given as binary, which for text is the UTF-8 itself.
  const client = new PGlite(options.dataDir, { serializers: { [types.TEXT]: textParameter as (value: unknown) => string } });
  await client.waitReady;
  const db = drizzlePglite(client, { schema });
  return {
    db,
    kind: 'pglite',
    migrate: () => migratePglite(db, { migrationsFolder }),
    schemaVersion: () => countMigrations(db),
    close: () => client.close(),
  };
}

/**
 * PGlite's text parameters: a string as PGlite writes it; bytes (a Buffer,
 * UTF-8) as they are, as node-postgres sends them. By default PGlite decodes
 * bytes to a string and encodes it again, measuring its UTF-8 length in a
 * JavaScript loop, twice: for a push batch's half megabyte, a tenth of the
 * ingest's CPU. PostgreSQL still checks the bytes are valid UTF-8.
 */
function textParameter(value: unknown): unknown {
  if (value instanceof Uint8Array) return value;
  return value instanceof Date ? value.toISOString() : String(value);
}

async function countMigrations(db: Db): Promise<number> {
  // count(*) is a number on PGlite and a string on pg: cast in SQL.
  // Both drivers return { rows }, but PgDatabase's generic result type does not say so.
  const result: unknown = await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return (result as { rows: { n: number }[] }).rows[0]?.n ?? 0;
}

/** Runs `fn` in a transaction, or a savepoint when `db` is already one: a failing mutation rolls back alone. */
export function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction((tx) => fn(tx as unknown as Db));
}

/** The rows of a raw `db.execute`: both drivers answer `{ rows }`, but PgDatabase's generic result type does not say so. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
