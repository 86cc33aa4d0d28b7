import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ApiError } from '#shared/schemas/api.ts';

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
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json', message: '请求体不是合法的 JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', message: '请求体为空，应为 JSON' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large', message: '请求体过大' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: '不支持的内容类型' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_content_length', message: '请求体长度不正确' },
  // @fastify/compress, undoing a request's Content-Encoding.
  FST_CP_ERR_INVALID_CONTENT: { status: 400, code: 'invalid_encoding', message: '请求体无法解压：内容与 Content-Encoding 声明的压缩格式不符' },
  FST_CP_ERR_INVALID_CONTENT_ENCODING: { status: 415, code: 'unsupported_encoding', message: '不支持该 Content-Encoding 压缩格式（可用 gzip、deflate、br）' },
  // @fastify/multipart.
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, code: 'unsupported_media_type', message: '请以 multipart/form-data 上传文件' },
  FST_MP_PREMATURE_CLOSE: { status: 400, code: 'invalid_multipart', message: '上传的数据不完整（连接中断或内容被截断），请重新上传' },
  FST_PROTO_VIOLATION: { status: 400, code: 'invalid_multipart', message: '上传的表单字段名无效' },
  FST_PARTS_LIMIT: { status: 413, code: 'too_many_parts', message: '上传的表单部分过多' },
  FST_FIELDS_LIMIT: { status: 413, code: 'too_many_fields', message: '上传的表单字段过多' },
};

/** What a client error says when its own message is not in Chinese (a library's English text). */
const STATUS_MESSAGES: Record<number, string> = {
  400: '请求格式错误',
  401: '请先登录',
  403: '没有权限',
  404: '找不到请求的内容',
  405: '不支持该请求方法',
  406: '无法提供请求的格式',
  408: '请求超时，请重试',
  409: '与服务器上的数据冲突',
  411: '请求缺少长度',
  413: '请求体过大',
  414: '请求地址过长',
  415: '不支持的内容类型',
  429: '请求过于频繁，请稍后再试',
  431: '请求头过大',
};

const CHINESE = /[\u4e00-\u9fff]/u;

/** Every message the API answers with is Chinese: a library's English one is replaced (and logged by the caller). */
export function chineseMessage(status: number, message: string): string {
  if (CHINESE.test(message)) return message;
  return STATUS_MESSAGES[status] ?? (status >= 500 ? '服务器内部错误' : '请求无法处理');
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) return sendError(reply, error.statusCode, error.code, error.message, error.fields);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const part = error.validationContext;
      const fields = error.validation.map((v) => {
        const path = [part, ...v.instancePath.split('/').filter(Boolean)].join('.');
        return { path, message: v.message ?? '无效' };
      });
      const first = fields[0];
      const message = first ? `字段 ${first.path} 无效：${first.message}` : '请求参数无效';
      return sendError(reply, 400, 'validation', message, fields);
    }
    const known = error.code ? FASTIFY_ERRORS[error.code] : undefined;
    if (known) return sendError(reply, known.status, known.code, known.message);
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      return sendError(reply, 500, 'internal', '服务器内部错误');
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      const message = chineseMessage(error.statusCode, error.message);
      if (message !== error.message) request.log.info({ err: error }, 'client error answered with a generic message');
      return sendError(reply, error.statusCode, error.code, message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, 500, 'internal', '服务器内部错误');
  });
}
