/**
 * One rule for untrusted JSON on every route (issue 9): before validation,
 * the body, query string and route parameters are walked once, iteratively,
 * for nesting, size, U+0000 and unpaired surrogates (json-limits.ts). What
 * breaks a limit is a 400 that names the field; nothing reaches the database
 * that PostgreSQL would refuse with a 500.
 *
 * A route may leave one top-level array of its body to its handler
 * (`config.inputGuardSkip`): the push route checks each mutation on its own,
 * so one poison mutation is rejected alone instead of failing the batch.
 */
import type { FastifyInstance } from 'fastify';
import { checkJsonLimits, REQUEST_LIMITS } from '#shared/domain/json-limits.ts';
import { sendError } from './errors.ts';
import { apiText as t } from '#server/messages/api.zh-CN.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A top-level key of the JSON body whose elements the route checks itself. */
    inputGuardSkip?: string;
  }
}

// A Buffer is a Uint8Array.
const isPlainJson = (v: unknown): boolean => typeof v === 'object' && v !== null && !(v instanceof Uint8Array);

export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    const skipKey = request.routeOptions.config.inputGuardSkip;
    const parts = [
      ['body', request.body],
      ['querystring', request.query],
      ['params', request.params],
    ] as const;
    for (const [part, value] of parts) {
      // Text bodies are checked as one string; buffers (attachments, chunks) are bytes, not text.
      if (typeof value !== 'string' && !isPlainJson(value)) continue;
      const skip = part === 'body' && skipKey !== undefined ? (parent: readonly string[]) => parent.length === 1 && parent[0] === skipKey : undefined;
      const problem = checkJsonLimits(value, REQUEST_LIMITS, skip);
      if (problem === null) continue;
      // Fastify's own name for the part, as the validation errors use it (body.username).
      const path = [part, ...problem.path].join('.');
      return sendError(reply, 400, 'invalid_input', t.http.invalidField(path, problem.message), [{ path, message: problem.message }]);
    }
  });
}
