/** Accounts of the admin's area (issue 12, item 1), and every user's own password change. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as z from 'zod/mini';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import { PasswordChangeSchema, PasswordResetSchema, UserCreateSchema, UserImportReportSchema, UserSchema, UserUpdateSchema } from '#shared/schemas/users.ts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importUsers } from '#server/users/user-import.ts';
import { HttpError } from '../plugins/errors.ts';
import { apiText } from '#server/messages/api.zh-CN.ts';
import { regionsInArea } from '#server/db/regions-repository.ts';
import { listUsersInArea } from '#server/db/users-repository.ts';
import { RegionNameSchema } from '#shared/schemas/sync.ts';
import { changeOwnPassword, createUser, editUser, resetPassword, setUserDisabled, toUser, type Actor } from '#server/users/user-service.ts';
import { currentUser } from '../plugins/auth.ts';
import type { FastifyRequest } from 'fastify';

const IdParams = z.object({ id: z.uuid() });
const errors = { 400: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema, 409: ApiErrorSchema };

function actorOf(request: FastifyRequest): Actor & { id: string } {
  const u = currentUser(request);
  return { id: u.id, username: u.username, areaCode: u.areaCode, areaPrefix: u.areaPrefix, sessionId: u.sessionId, ip: request.ip };
}

/** The file types an accounts upload may be sent as (the raw file is the body). */
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const FILE_TYPES = ['text/csv', XLSX_TYPE, 'application/octet-stream'];
/** A county's few hundred accounts are a few tens of kilobytes. */
const MAX_ACCOUNTS_FILE_BYTES = 2 * 1024 * 1024;

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const requireAdmin = app.requireRole('admin');
  // Only within this plugin: an accounts file arrives as its own bytes.
  app.addContentTypeParser(FILE_TYPES, { parseAs: 'buffer', bodyLimit: MAX_ACCOUNTS_FILE_BYTES }, (_request, body, done) => done(null, body));

  app.get(
    '/admin/regions',
    { preHandler: requireAdmin, schema: { tags: ['users'], summary: 'The regions of my area (to pick a work area)', response: { 200: z.array(RegionNameSchema) } } },
    async (request) => regionsInArea(app.db.db, currentUser(request).areaPrefix),
  );

  app.get(
    '/admin/users',
    { preHandler: requireAdmin, schema: { tags: ['users'], summary: 'Accounts of my area', response: { 200: z.array(UserSchema) } } },
    async (request) => {
      const rows = await listUsersInArea(app.db.db, currentUser(request).areaPrefix);
      return rows.map((r) => toUser(r.user, r.areaName));
    },
  );

  app.post(
    '/admin/users',
    { preHandler: requireAdmin, schema: { tags: ['users'], summary: 'Create an account (it chooses its own password at first sign-in)', body: UserCreateSchema, response: { 201: UserSchema, ...errors } } },
    async (request, reply) => reply.code(201).send(await createUser(app.db.db, actorOf(request), request.body)),
  );

  app.post(
    '/admin/users/import',
    {
      preHandler: requireAdmin,
      bodyLimit: MAX_ACCOUNTS_FILE_BYTES,
      schema: {
        tags: ['users'],
        summary: 'Create accounts from a CSV or XLSX (the file as the body): each good row an account with a temporary password, each bad row reported',
        consumes: FILE_TYPES,
        response: { 200: UserImportReportSchema, ...errors },
      },
    },
    async (request) => {
      const bytes = request.body;
      if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new HttpError(415, 'unsupported_media_type', apiText.usersImport.notAFile);
      // An XLSX is a zip: it starts with PK\x03\x04 whatever it was labelled.
      const kind = bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) ? 'xlsx' : 'csv';
      const dir = await mkdtemp(join(tmpdir(), 'ykt-users-'));
      try {
        const path = join(dir, `accounts.${kind}`);
        await writeFile(path, bytes);
        return await importUsers(app.db.db, actorOf(request), path, kind);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  app.patch(
    '/admin/users/:id',
    { preHandler: requireAdmin, schema: { tags: ['users'], summary: 'Change name, role, area or phone', params: IdParams, body: UserUpdateSchema, response: { 200: UserSchema, ...errors } } },
    async (request) => editUser(app.db.db, actorOf(request), request.params.id, request.body),
  );

  for (const [path, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(
      `/admin/users/:id/${path}`,
      { preHandler: requireAdmin, schema: { tags: ['users'], summary: disabled ? 'Disable: its sessions on every device stop at once' : 'Enable again', params: IdParams, response: { 200: UserSchema, ...errors } } },
      async (request) => setUserDisabled(app.db.db, actorOf(request), request.params.id, disabled),
    );
  }

  app.post(
    '/admin/users/:id/password',
    { preHandler: requireAdmin, schema: { tags: ['users'], summary: 'Reset to a temporary password, to be changed at next sign-in', params: IdParams, body: PasswordResetSchema, response: { 200: UserSchema, ...errors } } },
    async (request) => resetPassword(app.db.db, actorOf(request), request.params.id, request.body.password),
  );

  app.post(
    '/me/password',
    { preHandler: app.authenticate, schema: { tags: ['auth'], summary: 'Change my own password', body: PasswordChangeSchema, response: { 204: z.null(), 400: ApiErrorSchema } } },
    async (request, reply) => {
      await changeOwnPassword(app.db.db, actorOf(request), request.body.current, request.body.next);
      return reply.code(204).send(null);
    },
  );
};
