/** Devices (devices): who uses each, when it last synced, what it still holds. */
import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { devices, users } from './schema/index.ts';

/**
 * Serializes pushes of one device for the rest of the transaction: two
 * runners (or a replay) sending the same batch at once then answer applied
 * and duplicate, instead of racing to insert the same ids.
 */
export async function lockDevice(db: Db, deviceId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${deviceId}, 0))`);
}

export async function touchDevice(
  db: Db,
  d: { id: string; userId: string; appVersion: string | null; push?: boolean; pull?: boolean; unsentCount?: number | null },
): Promise<void> {
  const now = new Date();
  await db
    .insert(devices)
    .values({
      id: d.id,
      userId: d.userId,
      appVersion: d.appVersion,
      lastPushAt: d.push ? now : null,
      lastPullAt: d.pull ? now : null,
      unsentCount: d.unsentCount ?? null,
    })
    .onConflictDoUpdate({
      target: devices.id,
      // A device id is bound to the user who registered it: another user's sync never takes it over.
      setWhere: eq(devices.userId, d.userId),
      set: {
        userId: d.userId,
        ...(d.appVersion !== null ? { appVersion: d.appVersion } : {}),
        ...(d.push ? { lastPushAt: now } : {}),
        ...(d.pull ? { lastPullAt: now } : {}),
        ...(d.unsentCount !== undefined && d.unsentCount !== null ? { unsentCount: d.unsentCount } : {}),
      },
    });
}

/** The user a device id is bound to (the first to sync under it), if any. */
export async function deviceOwner(db: Db, id: string): Promise<string | undefined> {
  const [row] = await db.select({ userId: devices.userId }).from(devices).where(eq(devices.id, id)).limit(1);
  return row?.userId;
}

/** Devices of the users whose area lies inside the given area. */
export async function listDevicesInArea(db: Db, area: { lo: string; hi: string | null }) {
  const conds = [gte(users.areaCode, area.lo)];
  if (area.hi !== null) conds.push(lt(users.areaCode, area.hi));
  return db
    .select({
      id: devices.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      areaCode: users.areaCode,
      appVersion: devices.appVersion,
      lastPushAt: devices.lastPushAt,
      lastPullAt: devices.lastPullAt,
      unsentCount: devices.unsentCount,
    })
    .from(devices)
    .innerJoin(users, eq(users.id, devices.userId))
    .where(and(...conds))
    .orderBy(desc(devices.lastPullAt));
}
