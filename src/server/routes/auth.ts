import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as z from 'zod/mini';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import { MeSchema, SessionInfoSchema, SignInBodySchema } from '#shared/schemas/auth.ts';
import { burnPasswordCheck, verifyPassword } from '#server/auth/password.ts';
import { SignInThrottle, waitText, type SignInThrottleOptions } from '#server/auth/sign-in-throttle.ts';
import { findRegion } from '#server/db/regions-repository.ts';
import { listLiveSessions, revokeSession } from '#server/db/sessions-repository.ts';
import { findUserByUsername } from '#server/db/users-repository.ts';
import { regionLevel, regionPrefix } from '#shared/domain/region-code.ts';
import type { UserRow } from '#server/db/users-repository.ts';
import { currentUser, SESSION_COOKIE } from '../plugins/auth.ts';
import { HttpError } from '../plugins/errors.ts';
import { apiText as t } from '#server/messages/api.zh-CN.ts';
import { audit } from '#server/audit/audit.ts';

/** One message for an unknown user and a wrong password: it must not tell which was wrong. */
const BAD_CREDENTIALS = t.auth.badCredentials;

export interface AuthRouteOptions {
  signInRateLimit: SignInThrottleOptions;
}

export const authRoutes: FastifyPluginAsyncZod<AuthRouteOptions> = async (app, opts) => {
  async function me(user: Pick<UserRow, 'id' | 'username' | 'displayName' | 'role' | 'areaCode'> & { mustChangePassword?: boolean }) {
    const region = await findRegion(app.db.db, user.areaCode);
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      area: {
        code: user.areaCode,
        prefix: regionPrefix(user.areaCode),
        name: region?.name ?? user.areaCode,
        level: regionLevel(user.areaCode) ?? 'village',
      },
      ...(user.mustChangePassword === true ? { mustChangePassword: true } : {}),
    };
  }

  const throttle = new SignInThrottle(opts.signInRateLimit);

  app.post(
    '/auth/sign-in',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username and password; sets the session cookie',
        body: SignInBodySchema,
        response: { 200: MeSchema, 401: ApiErrorSchema, 429: ApiErrorSchema },
      },
    },
    async (request, reply) => {
      const { username, password, deviceId } = request.body;
      // Failures only are counted (sign-in-throttle.ts): per account and address, and per address.
      const wait = await throttle.blockedFor(request.ip, username);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        throw new HttpError(429, 'rate_limited', t.auth.throttled(waitText(wait)));
      }
      const user = await findUserByUsername(app.db.db, username);
      const failed = async (reason: 'unknown_user' | 'disabled' | 'wrong_password') => {
        await throttle.failed(request.ip, username);
        await audit(app.db.db, request, { action: 'auth.sign_in_failed', userId: user?.id ?? null, username, areaCode: user?.areaCode ?? null, details: { reason } });
        return new HttpError(401, 'bad_credentials', BAD_CREDENTIALS);
      };
      if (!user || user.disabledAt) {
        await burnPasswordCheck(password);
        throw await failed(user ? 'disabled' : 'unknown_user');
      }
      if (!(await verifyPassword(password, user.passwordHash))) throw await failed('wrong_password');
      await throttle.succeeded(request.ip, username);
      await app.startSession(reply, user.id, { deviceId: deviceId ?? null, userAgent: request.headers['user-agent'] ?? null });
      await audit(app.db.db, request, { action: 'auth.sign_in', userId: user.id, username: user.username, areaCode: user.areaCode, details: { deviceId: deviceId ?? null } });
      request.log.info({ userId: user.id, deviceId }, 'signed in');
      return me(user);
    },
  );

  app.post(
    '/auth/sign-out',
    { preHandler: app.authenticate, schema: { tags: ['auth'], summary: 'Revoke the current session', response: { 204: z.null() } } },
    async (request, reply) => {
      const user = currentUser(request);
      await revokeSession(app.db.db, user.sessionId, user.id, new Date());
      await audit(app.db.db, request, { action: 'auth.sign_out' });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me',
    { preHandler: app.authenticate, schema: { tags: ['auth'], summary: 'The signed-in user, role and area', response: { 200: MeSchema, 401: ApiErrorSchema } } },
    async (request) => me(currentUser(request)),
  );

  app.get(
    '/me/sessions',
    { preHandler: app.authenticate, schema: { tags: ['auth'], summary: 'My live sessions (one per device)', response: { 200: z.array(SessionInfoSchema) } } },
    async (request) => {
      const user = currentUser(request);
      const rows = await listLiveSessions(app.db.db, user.id, new Date());
      return rows.map((s) => ({
        id: s.id,
        createdAt: s.createdAt.toISOString(),
        lastSeenAt: s.lastSeenAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
        userAgent: s.userAgent,
        deviceId: s.deviceId,
        current: s.id === user.sessionId,
      }));
    },
  );

  app.delete(
    '/me/sessions/:id',
    {
      preHandler: app.authenticate,
      schema: {
        tags: ['auth'],
        summary: 'Revoke one of my sessions (a lost phone)',
        params: z.object({ id: z.string().check(z.regex(/^[0-9a-f]{64}$/)) }),
        response: { 204: z.null(), 404: ApiErrorSchema },
      },
    },
    async (request, reply) => {
      const ok = await revokeSession(app.db.db, request.params.id, currentUser(request).id, new Date());
      if (!ok) throw new HttpError(404, 'not_found', t.auth.sessionNotFound);
      await audit(app.db.db, request, { action: 'auth.session_revoked', targetType: 'session', targetId: request.params.id.slice(0, 16) });
      return reply.code(204).send(null);
    },
  );
};
