import { count, eq } from 'drizzle-orm';
import type { Role } from '#shared/schemas/auth.ts';
import type { Db } from './client.ts';
import { users } from './schema/index.ts';

export type UserRow = typeof users.$inferSelect;

export function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db.query.users.findFirst({ where: eq(users.username, username) });
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
}

export async function insertUser(db: Db, user: NewUser): Promise<UserRow> {
  const [row] = await db.insert(users).values(user).returning();
  if (!row) throw new Error(`insert of user ${user.username} returned nothing`);
  return row;
}
