import { asc, count, eq, inArray } from 'drizzle-orm';
import type { Role } from '#shared/schemas/auth.ts';
import { areaFilter } from './area-filter.ts';
import type { Db } from './client.ts';
import { regions, users } from './schema/index.ts';

export type UserRow = typeof users.$inferSelect;

export function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db.query.users.findFirst({ where: eq(users.username, username) });
}

export function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.query.users.findFirst({ where: eq(users.id, id) });
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  areaCode: string;
  passwordHash: string;
  phone?: string | null;
  mustChangePassword?: boolean;
}

export async function insertUser(db: Db, user: NewUser): Promise<UserRow> {
  const [row] = await db.insert(users).values(user).returning();
  if (!row) throw new Error(`insert of user ${user.username} returned nothing`);
  return row;
}

/** The accounts of an area (by the area each is assigned to), with the area's name, by area then username. */
export async function listUsersInArea(db: Db, areaPrefix: string) {
  return db
    .select({ user: users, areaName: regions.name })
    .from(users)
    .leftJoin(regions, eq(regions.code, users.areaCode))
    .where(areaFilter(users.areaCode, areaPrefix))
    .orderBy(asc(users.areaCode), asc(users.username));
}

export type UserPatch = Partial<Pick<UserRow, 'displayName' | 'role' | 'areaCode' | 'phone' | 'disabledAt' | 'passwordHash' | 'mustChangePassword'>>;

export async function updateUser(db: Db, id: string, patch: UserPatch): Promise<UserRow> {
  const [row] = await db
    .update(users)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning();
  if (!row) throw new Error(`update of user ${id} returned nothing`);
  return row;
}

/** Names of these accounts, by id (for showing who did what). */
export async function findUsersByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, [...ids]));
}
