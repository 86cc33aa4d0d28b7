import { and, desc, eq, gt, isNull, ne } from 'drizzle-orm';
import type { Db } from './client.ts';
import { devices, sessions, users } from './schema/index.ts';
import type { UserRow } from './users-repository.ts';

export type SessionRow = typeof sessions.$inferSelect;

export async function insertSession(
  db: Db,
  s: { id: string; userId: string; deviceId: string | null; userAgent: string | null; expiresAt: Date },
): Promise<void> {
  await db.insert(sessions).values(s);
}

/** The live session with its user, or undefined when unknown, expired, revoked or the user is disabled. */
export async function findLiveSession(
  db: Db,
  id: string,
  now: Date,
): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), isNull(users.disabledAt)))
    .limit(1);
  return row;
}

export async function touchSession(db: Db, id: string, now: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
}

export async function revokeSession(db: Db, id: string, userId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, id), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}

export function listLiveSessions(db: Db, userId: string, now: Date): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.lastSeenAt));
}

/** Ends every live session of a user (a password reset), but `keep` (the session making the change); the number ended. */
export async function revokeUserSessions(db: Db, userId: string, now: Date, keep: string | null = null): Promise<number> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), ...(keep === null ? [] : [ne(sessions.id, keep)])))
    .returning({ id: sessions.id });
  return rows.length;
}

/**
 * Why a presented session is not live, when the answer is "wipe": its device
 * was revoked, or its user disabled. Null for an unknown, expired or signed-
 * out session (those only sign in again).
 */
export async function wipeReason(db: Db, id: string): Promise<'device_revoked' | 'account_disabled' | null> {
  const [row] = await db
    .select({ disabledAt: users.disabledAt, revokedAt: devices.revokedAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(devices, eq(devices.id, sessions.deviceId))
    .where(eq(sessions.id, id))
    .limit(1);
  if (!row) return null;
  if (row.revokedAt !== null) return 'device_revoked';
  if (row.disabledAt !== null) return 'account_disabled';
  return null;
}

/** Ends every live session a device holds (a revoke). */
export async function revokeDeviceSessions(db: Db, deviceId: string, now: Date): Promise<number> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.deviceId, deviceId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length;
}
