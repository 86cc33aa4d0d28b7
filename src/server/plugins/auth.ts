import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { regionPrefix } from '#shared/domain/region-code.ts';
import type { Role } from '#shared/schemas/auth.ts';
import { findLiveSession, insertSession, touchSession, wipeReason } from '#server/db/sessions-repository.ts';
import { HttpError } from './errors.ts';
import { apiText as t } from '#server/messages/api.zh-CN.ts';

export const SESSION_COOKIE = 'ykt_sid';
/** Field devices go offline for days; a session lasts a month and slides with use. */
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
/** Write last_seen at most this often: a sync burst should not become a write burst. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  areaCode: string;
  /** Significant prefix of areaCode: the scope of every read and write. */
  areaPrefix: string;
  sessionId: string;
  /** An admin set the password: until the user picks their own, only PASSWORD_CHANGE_ROUTES answer. */
  mustChangePassword: boolean;
}

/** What a session whose password an admin set may still do: see who it is, change the password, sign out. */
const PASSWORD_CHANGE_ROUTES: ReadonlySet<string> = new Set(['/api/me', '/api/me/password', '/api/auth/sign-out']);

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null;
  }
  interface FastifyInstance {
    /** preHandler: 401 unless a live session is presented. */
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    requireRole: (...roles: Role[]) => (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    startSession: (reply: FastifyReply, userId: string, meta: { deviceId: string | null; userAgent: string | null }) => Promise<void>;
  }
}

/** The user of an authenticated route; throws 401 if the route forgot its preHandler. */
export function currentUser(request: FastifyRequest): AuthUser {
  if (!request.user) throw new HttpError(401, 'unauthenticated', t.auth.signInFirst);
  return request.user;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export default fp(
  async (app, opts: { secureCookies: boolean }) => {
    app.decorateRequest('user', null);

    const cookieOptions = {
      path: '/',
      httpOnly: true,
      sameSite: 'strict' as const,
      // 'auto': Secure whenever the request came over HTTPS (behind a trusted proxy, by X-Forwarded-Proto).
      secure: opts.secureCookies ? true : ('auto' as const),
      maxAge: SESSION_TTL_MS / 1000,
    };

    app.decorate('startSession', async (reply: FastifyReply, userId: string, meta: { deviceId: string | null; userAgent: string | null }) => {
      const token = randomBytes(32).toString('base64url');
      await insertSession(app.db.db, {
        id: hashToken(token),
        userId,
        deviceId: meta.deviceId,
        userAgent: meta.userAgent?.slice(0, 300) ?? null,
        expiresAt: new Date(Date.now() + SESSION_TTL_MS),
      });
      reply.setCookie(SESSION_COOKIE, token, cookieOptions);
    });

    app.decorate('authenticate', async (request: FastifyRequest) => {
      const token = request.cookies[SESSION_COOKIE];
      if (!token) throw new HttpError(401, 'unauthenticated', t.auth.signInFirst);
      const now = new Date();
      const id = hashToken(token);
      const found = await findLiveSession(app.db.db, id, now);
      if (!found) {
        // A revoked phone, or a disabled user's: the app deletes the area's data when told so.
        const wipe = await wipeReason(app.db.db, id);
        if (wipe === 'device_revoked') throw new HttpError(401, 'device_revoked', t.auth.deviceRevoked);
        if (wipe === 'account_disabled') throw new HttpError(401, 'account_disabled', t.auth.accountDisabled);
        throw new HttpError(401, 'session_expired', t.auth.sessionExpired);
      }
      if (now.getTime() - found.session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) await touchSession(app.db.db, id, now);
      const u = found.user;
      request.user = {
        id: u.id,
        username: u.username,
        displayName: u.displayName,
        role: u.role,
        areaCode: u.areaCode,
        areaPrefix: regionPrefix(u.areaCode),
        sessionId: id,
        mustChangePassword: u.mustChangePassword,
      };
      if (u.mustChangePassword && !PASSWORD_CHANGE_ROUTES.has(request.routeOptions.url ?? '')) {
        throw new HttpError(403, 'password_change_required', t.auth.mustChangePassword);
      }
    });

    app.decorate('requireRole', (...roles: Role[]) => async (request: FastifyRequest, reply: FastifyReply) => {
      await app.authenticate(request, reply);
      if (!request.user || !roles.includes(request.user.role)) throw new HttpError(403, 'forbidden', t.auth.forbidden);
    });
  },
  { name: 'auth', dependencies: ['db', '@fastify/cookie'] },
);
