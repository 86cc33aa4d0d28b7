import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as z from 'zod/mini';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import { areaCodeRange } from '#shared/domain/region-code.ts';
import { findBlob, findBlobForArea, insertBlob } from '#server/db/blobs-repository.ts';
import { currentUser } from '../plugins/auth.ts';
import { sha256Hex } from '../plugins/blobs.ts';
import { HttpError } from '../plugins/errors.ts';
import { apiText as t } from '#server/messages/api.zh-CN.ts';

/** A photo is compressed on the device; anything near this size is a mistake, not evidence. */
export const MAX_BLOB_BYTES = 8 * 1024 * 1024;
const BLOB_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
const MAX_CHUNK_BYTES = 1024 * 1024;

/**
 * Declared uploads in progress, each owned by the user who declared it: only
 * they may send its chunks, so another user can neither corrupt it nor take
 * it over. In memory: after a restart the device's next POST declares again
 * and resumes from the bytes on disk.
 */
const pendingUploads = new Map<string, { size: number; contentType: (typeof BLOB_TYPES)[number]; userId: string; touchedAt: number }>();
/** An upload nobody has sent a chunk to for this long may be declared again by someone else. */
const ABANDONED_AFTER_MS = 60 * 60 * 1000;
const IN_PROGRESS_MESSAGE = t.blobs.uploadInProgress;

const Params = z.object({ sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/, t.blobs.sha256)) });

export const blobRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addContentTypeParser([...BLOB_TYPES], { parseAs: 'buffer', bodyLimit: MAX_BLOB_BYTES }, (_req, body, done) => {
    done(null, body);
  });

  app.put(
    '/blobs/:sha256',
    {
      preHandler: app.authenticate,
      bodyLimit: MAX_BLOB_BYTES,
      schema: {
        tags: ['sync'],
        summary: 'Upload an attachment by its SHA-256 (idempotent); the hash must match the bytes',
        params: Params,
        response: { 201: z.object({ sha256: z.string(), size: z.int() }), 200: z.object({ sha256: z.string(), size: z.int() }), 400: ApiErrorSchema, 413: ApiErrorSchema, 415: ApiErrorSchema },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const bytes = request.body;
      if (!Buffer.isBuffer(bytes)) throw new HttpError(415, 'unsupported_media_type', t.blobs.imageOnly);
      const { sha256 } = request.params;
      const actual = sha256Hex(bytes);
      if (actual !== sha256) throw new HttpError(400, 'hash_mismatch', t.blobs.hashMismatch(actual.slice(0, 12)));
      // Bytes first (written again on a retry: the same bytes, and a lost file is
      // repaired), then the row: a row always means the bytes are there.
      await app.blobs.put(sha256, bytes);
      const contentType = String(request.headers['content-type']).split(';')[0] ?? 'application/octet-stream';
      const created = await insertBlob(app.db.db, { sha256, size: bytes.length, contentType, userId: user.id });
      return reply.code(created ? 201 : 200).send({ sha256, size: bytes.length });
    },
  );

  // Resumable upload for larger attachments on bad links: declare, then send
  // chunks at the offset the server confirms; a dropped connection resumes
  // where the server's copy ends. The hash is checked when the last byte arrives.
  app.addContentTypeParser('application/offset+octet-stream', { parseAs: 'buffer', bodyLimit: MAX_CHUNK_BYTES }, (_req, body, done) => {
    done(null, body);
  });

  const UploadState = z.object({ sha256: z.string(), offset: z.int(), size: z.int(), complete: z.boolean() });

  app.post(
    '/uploads',
    {
      preHandler: app.authenticate,
      schema: {
        tags: ['sync'],
        summary: 'Start or resume a chunked attachment upload; answers the offset to continue from',
        body: z.object({ sha256: Params.shape.sha256, size: z.int().check(z.positive()), contentType: z.enum(BLOB_TYPES) }),
        response: { 200: UploadState, 400: ApiErrorSchema, 413: ApiErrorSchema },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { sha256, size, contentType } = request.body;
      if (size > MAX_BLOB_BYTES) throw new HttpError(413, 'body_too_large', t.blobs.tooLarge(`${(size / 1024 / 1024).toFixed(1)} MB`, `${MAX_BLOB_BYTES / 1024 / 1024} MB`));
      const existing = await findBlob(app.db.db, sha256);
      if (existing) return { sha256, offset: existing.size, size: existing.size, complete: true };
      const pending = pendingUploads.get(sha256);
      if (pending && pending.userId !== user.id && Date.now() - pending.touchedAt < ABANDONED_AFTER_MS) throw new HttpError(409, 'upload_in_progress', IN_PROGRESS_MESSAGE);
      const taken = pending !== undefined && pending.userId !== user.id;
      // An abandoned upload of someone else starts over: its bytes were never checked against anyone's hash.
      if (taken) await app.blobs.discardPartial(sha256);
      pendingUploads.set(sha256, { size, contentType, userId: user.id, touchedAt: Date.now() });
      return { sha256, offset: await app.blobs.partialSize(sha256), size, complete: false };
    },
  );

  app.patch(
    '/uploads/:sha256',
    {
      preHandler: app.authenticate,
      bodyLimit: MAX_CHUNK_BYTES,
      schema: {
        tags: ['sync'],
        summary: 'Append one chunk at upload-offset (only the user who declared the upload)',
        params: Params,
        response: { 200: UploadState, 400: ApiErrorSchema, 404: ApiErrorSchema, 409: ApiErrorSchema },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { sha256 } = request.params;
      const declared = pendingUploads.get(sha256);
      if (!declared) throw new HttpError(404, 'not_found', t.blobs.noSuchUpload);
      if (declared.userId !== user.id) throw new HttpError(409, 'upload_in_progress', IN_PROGRESS_MESSAGE);
      declared.touchedAt = Date.now();
      const bytes = request.body;
      if (!Buffer.isBuffer(bytes)) throw new HttpError(415, 'unsupported_media_type', t.blobs.chunkType);
      const offset = Number(request.headers['upload-offset']);
      const have = await app.blobs.partialSize(sha256);
      if (!Number.isInteger(offset) || offset !== have) throw new HttpError(409, 'offset_mismatch', t.blobs.offsetMismatch(have));
      if (have + bytes.length > declared.size) throw new HttpError(400, 'too_long', t.blobs.chunkTooLong);
      const now = await app.blobs.appendPartial(sha256, bytes);
      if (now < declared.size) return { sha256, offset: now, size: declared.size, complete: false };
      const done = await app.blobs.completePartial(sha256);
      pendingUploads.delete(sha256);
      if (!done.ok) throw new HttpError(400, 'hash_mismatch', t.blobs.hashMismatchRetry(done.actual.slice(0, 12)));
      await insertBlob(app.db.db, { sha256, size: done.size, contentType: declared.contentType, userId: user.id });
      return { sha256, offset: done.size, size: done.size, complete: true };
    },
  );

  app.get(
    '/blobs/:sha256',
    { preHandler: app.authenticate, schema: { tags: ['sync'], summary: 'Download an attachment', params: Params } },
    async (request, reply) => {
      // Another area's evidence answers exactly as a missing blob: no oracle for which hashes exist.
      const user = currentUser(request);
      const row = await findBlobForArea(app.db.db, request.params.sha256, { id: user.id, area: areaCodeRange(user.areaPrefix) });
      if (!row) throw new HttpError(404, 'not_found', t.blobs.notFound);
      return reply.header('cache-control', 'private, max-age=31536000, immutable').type(row.contentType).send(app.blobs.read(row.sha256));
    },
  );
};
