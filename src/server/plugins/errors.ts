import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ApiError } from '#shared/schemas/api.ts';
import { apiText as t } from '#server/messages/api.zh-CN.ts';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields?: ApiError['error']['fields'],
  ) {
    super(message);
  }
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string, fields?: ApiError['error']['fields']) {
  message = chineseMessage(status, message);
  const body: ApiError = { error: { code, message, ...(fields ? { fields } : {}) } };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/** Fastify's own request errors, mapped to one clear Chinese message each. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json', message: t.http.fastify.FST_ERR_CTP_INVALID_JSON_BODY },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', message: t.http.fastify.FST_ERR_CTP_EMPTY_JSON_BODY },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large', message: t.http.fastify.FST_ERR_CTP_BODY_TOO_LARGE },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: t.http.fastify.FST_ERR_CTP_INVALID_MEDIA_TYPE },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_content_length', message: t.http.fastify.FST_ERR_CTP_INVALID_CONTENT_LENGTH },
  // @fastify/compress, undoing a request's Content-Encoding.
  FST_CP_ERR_INVALID_CONTENT: { status: 400, code: 'invalid_encoding', message: t.http.fastify.FST_CP_ERR_INVALID_CONTENT },
  FST_CP_ERR_INVALID_CONTENT_ENCODING: { status: 415, code: 'unsupported_encoding', message: t.http.fastify.FST_CP_ERR_INVALID_CONTENT_ENCODING },
  // @fastify/multipart.
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, code: 'unsupported_media_type', message: t.http.fastify.FST_INVALID_MULTIPART_CONTENT_TYPE },
  FST_MP_PREMATURE_CLOSE: { status: 400, code: 'invalid_multipart', message: t.http.fastify.FST_MP_PREMATURE_CLOSE },
  FST_PROTO_VIOLATION: { status: 400, code: 'invalid_multipart', message: t.http.fastify.FST_PROTO_VIOLATION },
  FST_PARTS_LIMIT: { status: 413, code: 'too_many_parts', message: t.http.fastify.FST_PARTS_LIMIT },
  FST_FIELDS_LIMIT: { status: 413, code: 'too_many_fields', message: t.http.fastify.FST_FIELDS_LIMIT },
};

/**
 * What of an error goes into the log. A failed query's error (Drizzle's)
 * carries the statement's parameters in its message, and the database's
 * carries the offending values in `detail`: citizen IDs, account numbers and
 * the key secret (privacy/keys.ts) must not reach a log file, so such an
 * error is logged as its statement and the database's code and message only.
 */
export function loggableError(error: unknown): unknown {
  if (!(error instanceof Error) || !('params' in error) || !('query' in error)) return error;
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  return {
    type: error.name,
    message: `Failed query: ${String(error.query)}`,
    // The frames only: the stack's first lines repeat the message, parameters included.
    stack: error.stack
      ?.split('\n')
      .filter((line) => /^\s+at /.test(line))
      .join('\n'),
    cause: cause ? { code: cause.code, message: cause.message } : undefined,
  };
}

const CHINESE = /[\u4e00-\u9fff]/u;

/** Every message the API answers with is Chinese: a library's English one is replaced (and logged by the caller). */
export function chineseMessage(status: number, message: string): string {
  if (CHINESE.test(message)) return message;
  return t.http.status[status] ?? (status >= 500 ? t.http.internal : t.http.unprocessable);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) return sendError(reply, error.statusCode, error.code, error.message, error.fields);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const part = error.validationContext;
      const fields = error.validation.map((v) => {
        const path = [part, ...v.instancePath.split('/').filter(Boolean)].join('.');
        return { path, message: v.message ?? t.http.invalidValue };
      });
      const first = fields[0];
      const message = first ? t.http.invalidField(first.path, first.message) : t.http.invalidRequest;
      return sendError(reply, 400, 'validation', message, fields);
    }
    const known = error.code ? FASTIFY_ERRORS[error.code] : undefined;
    if (known) return sendError(reply, known.status, known.code, known.message);
    if (isResponseSerializationError(error)) {
      request.log.error({ err: loggableError(error) }, 'response did not match its schema');
      return sendError(reply, 500, 'internal', t.http.internal);
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      const message = chineseMessage(error.statusCode, error.message);
      if (message !== error.message) request.log.info({ err: loggableError(error) }, 'client error answered with a generic message');
      return sendError(reply, error.statusCode, error.code, message);
    }
    request.log.error({ err: loggableError(error) }, 'unhandled error');
    return sendError(reply, 500, 'internal', t.http.internal);
  });
}
