/** Devices (devices): who uses each, when it last synced, what it still holds. */
import { and, desc, eq, gte, isNull, lt, sql } from 'drizzle-orm';
import { rowsOf, type Db } from './client.ts';
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

/** The user a device id is bound to (the first to sync under it), and whether it was revoked; undefined for a new id. */
export async function deviceOwner(db: Db, id: string): Promise<{ userId: string; revoked: boolean } | undefined> {
  const [row] = await db.select({ userId: devices.userId, revokedAt: devices.revokedAt }).from(devices).where(eq(devices.id, id)).limit(1);
  return row ? { userId: row.userId, revoked: row.revokedAt !== null } : undefined;
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
      revokedAt: devices.revokedAt,
      wipedAt: devices.wipedAt,
      lostForms: devices.lostForms,
      lostMutations: devices.lostMutations,
    })
    .from(devices)
    .innerJoin(users, eq(users.id, devices.userId))
    .where(and(...conds))
    .orderBy(desc(devices.lastPullAt));
}

/** A device with the area of its user, for a revoke (the actor's area must contain it). */
export async function findDeviceWithArea(db: Db, id: string) {
  const [row] = await db
    .select({ id: devices.id, userId: devices.userId, username: users.username, areaCode: users.areaCode, revokedAt: devices.revokedAt })
    .from(devices)
    .innerJoin(users, eq(users.id, devices.userId))
    .where(eq(devices.id, id))
    .limit(1);
  return row;
}

export async function revokeDevice(db: Db, id: string, by: string, now: Date): Promise<void> {
  await db.update(devices).set({ revokedAt: now, revokedBy: by }).where(and(eq(devices.id, id), isNull(devices.revokedAt)));
}

/**
 * Records a wipe the device reports, once, and only for a device that was
 * told to wipe (revoked, or its user disabled); false otherwise.
 */
export async function recordWipe(db: Db, id: string, lost: { forms: number; mutations: number }, now: Date): Promise<{ areaCode: string; username: string } | null> {
  const rows = await db.execute(sql`
    update devices d set wiped_at = ${now.toISOString()}::timestamptz, lost_forms = ${lost.forms}, lost_mutations = ${lost.mutations}
    from users u
    where d.id = ${id} and u.id = d.user_id and d.wiped_at is null and (d.revoked_at is not null or u.disabled_at is not null)
    returning u.area_code as "areaCode", u.username`);
  const [row] = rowsOf<{ areaCode: string; username: string }>(rows);
  return row ?? null;
}
