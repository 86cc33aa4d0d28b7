/**
 * Accounts: created, edited, disabled and re-enabled, and their passwords
 * reset, by an admin inside the admin's own area; a user's own password
 * change. Each change and its audit entry commit together. The command line
 * (`npm run cli -- users add`) acts with no area limit, as the deployment's
 * operator.
 */
import { checkPassword } from '#shared/domain/password-rules.ts';
import { isWithinArea, regionLevel, validateRegionCode } from '#shared/domain/region-code.ts';
import type { Role } from '#shared/schemas/auth.ts';
import type { User, UserCreate, UserUpdate } from '#shared/schemas/users.ts';
import { hashPassword, verifyPassword } from '#server/auth/password.ts';
import { appendAudit, type AuditWrite } from '#server/db/audit-repository.ts';
import { inTransaction, type Db } from '#server/db/client.ts';
import { findRegion } from '#server/db/regions-repository.ts';
import { revokeUserSessions } from '#server/db/sessions-repository.ts';
import { findUserById, findUserByUsername, insertUser, updateUser, type UserPatch, type UserRow } from '#server/db/users-repository.ts';
import { apiText as t } from '#server/messages/api.zh-CN.ts';
import { HttpError } from '#server/plugins/errors.ts';

/** Who acts: a signed-in admin (their area bounds what they may touch), or the command line (areaPrefix null). */
export interface Actor {
  id: string | null;
  username: string | null;
  areaCode: string | null;
  areaPrefix: string | null;
  sessionId: string | null;
  ip: string | null;
}

export function toUser(row: UserRow, areaName: string | null): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    areaCode: row.areaCode,
    areaName,
    phone: row.phone,
    disabled: row.disabledAt !== null,
    mustChangePassword: row.mustChangePassword,
    createdAt: row.createdAt.toISOString(),
  };
}

function inScope(actor: Actor, areaCode: string): boolean {
  return actor.areaPrefix === null || isWithinArea(areaCode, actor.areaPrefix);
}

/**
 * The area exists, lies in the actor's, and suits the role (a cadre works in
 * one village). The command line may name a valid code not imported yet: a
 * new deployment's first admin comes before its roster.
 */
async function checkArea(db: Db, actor: Actor, role: Role, areaCode: string): Promise<string | null> {
  if (!inScope(actor, areaCode)) throw new HttpError(403, 'outside_area', t.users.outsideArea, [{ path: 'body.areaCode', message: t.users.outsideArea }]);
  const region = await findRegion(db, areaCode);
  const known = region !== undefined || (actor.areaPrefix === null && validateRegionCode(areaCode).ok);
  if (!known) throw new HttpError(400, 'validation', t.users.unknownArea(areaCode), [{ path: 'body.areaCode', message: t.users.unknownArea(areaCode) }]);
  const level = regionLevel(areaCode);
  const fits = role === 'cadre' ? level === 'village' : role === 'inspector' ? level === 'township' || level === 'village' : true;
  if (!fits) {
    const message = t.users.areaForRole(t.users.roleName[role] ?? role, t.users.levelFor[role] ?? '');
    throw new HttpError(400, 'validation', message, [{ path: 'body.areaCode', message }]);
  }
  return region?.name ?? null;
}

function checkNewPassword(password: string, username: string, path: string): void {
  const r = checkPassword(password, username);
  if (!r.ok) throw new HttpError(400, 'validation', r.message, [{ path, message: r.message }]);
}

async function targetOf(db: Db, actor: Actor, id: string): Promise<UserRow> {
  const row = await findUserById(db, id);
  // Outside the area answers like a missing account: it does not confirm the id exists.
  if (!row || !inScope(actor, row.areaCode)) throw new HttpError(404, 'not_found', t.users.notFound);
  return row;
}

function auditOf(actor: Actor, row: UserRow, action: AuditWrite['action'], details: Record<string, unknown>): AuditWrite {
  return { action, userId: actor.id, username: actor.username, areaCode: row.areaCode, ip: actor.ip, targetType: 'user', targetId: row.username, details };
}

/** A new account; it must choose its own password at first sign-in unless `mustChangePassword` is false (the operator's own). */
export async function createUser(db: Db, actor: Actor, input: UserCreate, opts: { mustChangePassword?: boolean } = {}): Promise<User> {
  const areaName = await checkArea(db, actor, input.role, input.areaCode);
  checkNewPassword(input.password, input.username, 'body.password');
  if (await findUserByUsername(db, input.username)) throw new HttpError(409, 'username_taken', t.users.usernameTaken(input.username), [{ path: 'body.username', message: t.users.usernameTaken(input.username) }]);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(db, async (tx) => {
    const row = await insertUser(tx, {
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      areaCode: input.areaCode,
      phone: input.phone ?? null,
      passwordHash,
      mustChangePassword: opts.mustChangePassword ?? true,
    });
    await appendAudit(tx, auditOf(actor, row, 'user.create', { role: row.role, areaCode: row.areaCode, displayName: row.displayName, via: actor.id === null ? 'cli' : 'admin' }));
    return toUser(row, areaName);
  });
}

export async function editUser(db: Db, actor: Actor, id: string, patch: UserUpdate): Promise<User> {
  const before = await targetOf(db, actor, id);
  if (before.id === actor.id && patch.role !== undefined && patch.role !== before.role) throw new HttpError(409, 'not_self', t.users.notSelf);
  const role = patch.role ?? before.role;
  const areaCode = patch.areaCode ?? before.areaCode;
  const areaName = await checkArea(db, actor, role, areaCode);
  const change: UserPatch = {};
  if (patch.displayName !== undefined && patch.displayName !== before.displayName) change.displayName = patch.displayName;
  if (role !== before.role) change.role = role;
  if (areaCode !== before.areaCode) change.areaCode = areaCode;
  const phone = patch.phone === '' ? null : patch.phone;
  if (phone !== undefined && phone !== before.phone) change.phone = phone;
  if (Object.keys(change).length === 0) return toUser(before, areaName);
  return inTransaction(db, async (tx) => {
    const row = await updateUser(tx, id, change);
    const from = Object.fromEntries(Object.keys(change).map((k) => [k, before[k as keyof UserPatch]]));
    await appendAudit(tx, auditOf(actor, row, 'user.update', { from, to: change }));
    return toUser(row, areaName);
  });
}

/** Disabled: its sessions stop working at once (a session of a disabled user is not live), on every device. */
export async function setUserDisabled(db: Db, actor: Actor, id: string, disabled: boolean): Promise<User> {
  const before = await targetOf(db, actor, id);
  if (before.id === actor.id) throw new HttpError(409, 'not_self', t.users.notSelf);
  const region = await findRegion(db, before.areaCode);
  if ((before.disabledAt !== null) === disabled) return toUser(before, region?.name ?? null);
  return inTransaction(db, async (tx) => {
    const row = await updateUser(tx, id, { disabledAt: disabled ? new Date() : null });
    await appendAudit(tx, auditOf(actor, row, disabled ? 'user.disable' : 'user.enable', {}));
    return toUser(row, region?.name ?? null);
  });
}

/** A temporary password: every session of the account ends, and it must choose its own at next sign-in. */
export async function resetPassword(db: Db, actor: Actor, id: string, password: string): Promise<User> {
  const before = await targetOf(db, actor, id);
  checkNewPassword(password, before.username, 'body.password');
  const passwordHash = await hashPassword(password);
  const region = await findRegion(db, before.areaCode);
  return inTransaction(db, async (tx) => {
    const row = await updateUser(tx, id, { passwordHash, mustChangePassword: true });
    const ended = await revokeUserSessions(tx, id, new Date(), before.id === actor.id ? actor.sessionId : null);
    await appendAudit(tx, auditOf(actor, row, 'user.reset_password', { sessionsEnded: ended }));
    return toUser(row, region?.name ?? null);
  });
}

/** The signed-in user's own change; clears "must change". Other sessions of the account end. */
export async function changeOwnPassword(db: Db, actor: Actor & { id: string }, current: string, next: string): Promise<void> {
  const row = await findUserById(db, actor.id);
  if (!row) throw new HttpError(404, 'not_found', t.users.notFound);
  if (!(await verifyPassword(current, row.passwordHash))) throw new HttpError(400, 'validation', t.users.wrongCurrent, [{ path: 'body.current', message: t.users.wrongCurrent }]);
  if (current === next) throw new HttpError(400, 'validation', t.users.sameAsCurrent, [{ path: 'body.next', message: t.users.sameAsCurrent }]);
  checkNewPassword(next, row.username, 'body.next');
  const passwordHash = await hashPassword(next);
  await inTransaction(db, async (tx) => {
    await updateUser(tx, row.id, { passwordHash, mustChangePassword: false });
    const ended = await revokeUserSessions(tx, row.id, new Date(), actor.sessionId);
    await appendAudit(tx, auditOf(actor, row, 'user.password_changed', { sessionsEnded: ended }));
  });
}
