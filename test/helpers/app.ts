import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOptions } from '#server/app.ts';
import { ensureDemoData } from '#server/cli/demo-data.ts';
import type { Database } from '#server/db/client.ts';
import { createTestDatabase } from './database.ts';

export const DEMO_PASSWORD = 'Test-Demo-2026';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  close: () => Promise<void>;
}

/** The real app on a fresh database with the demo accounts, as `npm start` builds it. */
export async function buildTestApp(overrides: Partial<Omit<AppOptions, 'database'>> = {}): Promise<TestApp> {
  const { database, cleanup } = await createTestDatabase();
  await ensureDemoData(database.db, { password: DEMO_PASSWORD });
  const app = await buildApp({ database, ...overrides });
  await app.ready();
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await cleanup();
    },
  };
}

/** The session cookie from a sign-in response, ready for a `cookie` header. */
export function sessionCookie(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'ykt_sid');
  if (!c) throw new Error(`no session cookie in response ${res.statusCode}: ${res.body}`);
  return `ykt_sid=${c.value}`;
}

export async function signIn(app: FastifyInstance, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  return sessionCookie(res);
}
