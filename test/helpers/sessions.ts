import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '#server/db/client.ts';
import { sessions, users } from '#server/db/schema/auth.ts';

/** The device ids of a user's live sessions, as the server recorded them at sign-in. */
export async function sessionDeviceIds(db: Db, username: string): Promise<(string | null)[]> {
  const rows = await db
    .select({ deviceId: sessions.deviceId })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(users.username, username), isNull(sessions.revokedAt)));
  return rows.map((r) => r.deviceId);
}
