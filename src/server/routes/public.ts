/**
 * Public routes (no sign-in, never a session): the regions a citizen picks
 * from, the tip-off form (举报线索, issue 13, item 5), throttled per
 * address so a flood is refused (429) and never reaches the ledger, and a
 * village's disclosure (公示, issue 15, item 6): masked names and amounts,
 * cached, and throttled per address.
 */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import * as z from 'zod/mini';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import { DisclosureQuerySchema, DisclosureSchema, VillageCodeParamSchema } from '#shared/schemas/disclosure.ts';
import { TipReceiptSchema, TipSchema } from '#shared/schemas/ledger.ts';
import { RegionNameSchema } from '#shared/schemas/sync.ts';
import { townshipsAndVillages } from '#server/db/regions-repository.ts';
import { waitText } from '#server/auth/sign-in-throttle.ts';
import { receiveTip } from '#server/ledger/tips.ts';
import { DISCLOSURE_TTL_MS, DisclosureService } from '#server/disclosure/disclosure-service.ts';
import { apiText as t } from '#server/messages/api.zh-CN.ts';
import { sendError } from '../plugins/errors.ts';

export interface ThrottleOptions {
  /** Requests per address within `duration` seconds. */
  points: number;
  duration: number;
}

/** A few a day from one address is a person; more is a flood. */
export const DEFAULT_TIP_THROTTLE: ThrottleOptions = { points: 5, duration: 3600 };
/** A villager pages through a few villages and years; a scraper asks for hundreds. */
export const DEFAULT_DISCLOSURE_THROTTLE: ThrottleOptions = { points: 60, duration: 60 };

/**
 * Consumes one point for the address; when none is left, answers 429 with when to try
 * again and returns true. (A boolean, not the reply: a reply is thenable, and an async
 * function returning it would resolve to undefined once it is sent.)
 */
async function refused(limiter: RateLimiterMemory, ip: string, reply: FastifyReply, code: string, message: (wait: string) => string): Promise<boolean> {
  try {
    await limiter.consume(ip);
    return false;
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) throw err;
    const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
    void sendError(reply.header('retry-after', String(seconds)), 429, code, message(waitText(seconds)));
    return true;
  }
}

export const publicRoutes: FastifyPluginAsyncZod<{ tipThrottle: ThrottleOptions; disclosureThrottle: ThrottleOptions }> = async (app, opts) => {
  const limiter = new RateLimiterMemory({ keyPrefix: 'tip', points: opts.tipThrottle.points, duration: opts.tipThrottle.duration });
  const disclosureLimiter = new RateLimiterMemory({ keyPrefix: 'disclosure', points: opts.disclosureThrottle.points, duration: opts.disclosureThrottle.duration });
  const disclosures = new DisclosureService(app.db.db);

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
      if (await refused(limiter, request.ip, reply, 'too_many_tips', t.tips.tooMany)) return reply;
      const receipt = await receiveTip(app.db.db, request.body, 'web', { userId: null, username: null });
      return reply.code(201).send({ number: receipt.number });
    },
  );

  app.get(
    '/public/disclosure/:villageCode',
    {
      schema: {
        tags: ['public'],
        summary: "A village's public disclosure: the policy list and who was paid what per item and period, names masked, never an ID or account; cached a few minutes",
        params: VillageCodeParamSchema,
        querystring: DisclosureQuerySchema,
        response: { 200: DisclosureSchema, 400: ApiErrorSchema, 404: ApiErrorSchema, 429: ApiErrorSchema },
      },
    },
    async (request, reply) => {
      if (await refused(disclosureLimiter, request.ip, reply, 'too_many_requests', t.disclosure.tooMany)) return reply;
      const { villageCode } = request.params;
      const hit = disclosures.cached(villageCode);
      const disclosure = await disclosures.village(villageCode, request.query.year);
      if (!disclosure) return sendError(reply, 404, 'not_found', t.disclosure.unknownVillage(villageCode));
      if (request.query.year !== undefined && !disclosure.years.includes(request.query.year)) {
        return sendError(reply, 404, 'not_found', t.disclosure.noYear(disclosure.village.name, request.query.year, disclosure.years));
      }
      void reply.header('cache-control', `public, max-age=${Math.floor(DISCLOSURE_TTL_MS / 2000)}`).header('x-cache', hit ? 'hit' : 'miss');
      return disclosure;
    },
  );
};
