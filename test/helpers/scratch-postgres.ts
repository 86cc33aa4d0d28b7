import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** An empty database on a PostgreSQL server, made for one test run or benchmark and dropped by `drop`. */
export interface ScratchPostgres {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

async function withClient<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A new database beside the one `adminUrl` names (same server and user).
 * `drop` waits briefly for connections still closing (pg-pool's end()
 * resolves before they have: dropping at once would terminate them
 * mid-goodbye, an unhandled error in the caller), then forces the drop.
 */
export async function createScratchPostgres(adminUrl: string, prefix: string): Promise<ScratchPostgres> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withClient(adminUrl, async (c) => {
        for (let i = 0; i < 50; i++) {
          const { rows } = await c.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
          if (rows[0]?.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await c.query(`drop database if exists ${name} with (force)`);
      }),
  };
}
