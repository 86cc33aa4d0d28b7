/**
 * Public routes (no sign-in, never a session): the regions a citizen picks
 * from, and the tip-off form (举报线索, issue 13, item 5), throttled per
 * address so a flood is refused (429) and never reaches the ledger.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import * as z from 'zod/mini';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import { TipReceiptSchema, TipSchema } from '#shared/schemas/ledger.ts';
import { RegionNameSchema } from '#shared/schemas/sync.ts';
import { townshipsAndVillages } from '#server/db/regions-repository.ts';
import { waitText } from '#server/auth/sign-in-throttle.ts';
import { receiveTip } from '#server/ledger/tips.ts';
import { apiText as t } from '#server/messages/api.zh-CN.ts';
import { sendError } from '../plugins/errors.ts';

export interface TipThrottleOptions {
  /** Tips per address within `duration` seconds. */
  points: number;
  duration: number;
}

/** A few a day from one address is a person; more is a flood. */
export const DEFAULT_TIP_THROTTLE: TipThrottleOptions = { points: 5, duration: 3600 };

export const publicRoutes: FastifyPluginAsyncZod<{ tipThrottle: TipThrottleOptions }> = async (app, opts) => {
  const limiter = new RateLimiterMemory({ keyPrefix: 'tip', points: opts.tipThrottle.points, duration: opts.tipThrottle.duration });

  app.get(
    '/public/regions',
    { schema: { tags: ['public'], summary: 'The townships and villages a tip-off can name', response: { 200: z.array(RegionNameSchema) } } },
    async () => townshipsAndVillages(app.db.db),
  );

  app.post(
    '/public/tips',
    {
      schema: { tags: ['public'], summary: 'A citizen reports a problem (anonymous allowed); it goes on the ledger as found', body: TipSchema, response: { 201: TipReceiptSchema, 400: ApiErrorSchema, 429: ApiErrorSchema } },
    },
    async (request, reply) => {
      try {
        await limiter.consume(request.ip);
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        void reply.header('retry-after', String(seconds));
        return sendError(reply, 429, 'too_many_tips', t.tips.tooMany(waitText(seconds)));
      }
      const receipt = await receiveTip(app.db.db, request.body, 'web', { userId: null, username: null });
      return reply.code(201).send({ number: receipt.number });
    },
  );
};
