import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as z from 'zod/mini';
import { countFindings, runAnomalyChecks } from '#shared/domain/anomalies/index.ts';
import { isWithinArea } from '#shared/domain/region-code.ts';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import { AnomalyScanBodySchema, AnomalyScanResultSchema } from '#shared/schemas/anomalies.ts';
import { loadAnomalyInput } from '#server/db/anomaly-repository.ts';
import { maskAccount } from '#shared/domain/mask.ts';
import type { Finding } from '#shared/domain/anomalies/types.ts';
import { personKey, privacyKeys, wireLineId, type PrivacyKeys } from '#server/privacy/keys.ts';
import { currentUser } from '../plugins/auth.ts';
import { HttpError } from '../plugins/errors.ts';
import { apiText as t } from '#server/messages/api.zh-CN.ts';

/** Findings per response when the client does not say. */
const DEFAULT_LIMIT = 100;

/**
 * Automatic anomaly checks over the caller's area (issue 3 item 4). The area
 * always comes from the session, never from the request: a body may only
 * narrow it to one of its villages.
 *
 * Every call rescans (a county is a few seconds); findings are not stored
 * yet. Their ids are deterministic, so the problem ledger can later upsert
 * them on each scan.
 */
/**
 * A finding as it leaves the server: people by key, accounts and line ids
 * without full numbers (the rules work on full numbers; the answer never
 * carries them). Titles and details are already written with masks.
 */
function outward(keys: PrivacyKeys, f: Finding): Finding {
  return {
    ...f,
    personIds: f.personIds.map((id) => personKey(keys, id)),
    accountNumbers: f.accountNumbers.map(maskAccount),
    evidence: {
      ...f.evidence,
      paymentLineIds: f.evidence.paymentLineIds.map((id) => wireLineId(keys, id)),
      accounts: f.evidence.accounts.map((a) => ({ number: maskAccount(a.number), bankName: a.bankName })),
    },
  };
}

export const anomalyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/anomalies/scan',
    {
      // onRequest, not preHandler: a caller without the role is refused before
      // the body is parsed or validated, so a cadre learns nothing from a 400.
      onRequest: app.requireRole('supervisor', 'admin'),
      schema: {
        tags: ['anomalies'],
        summary: "Scan the caller's area (or one of its villages) for payment anomalies",
        // The body is optional: a bare POST (no body, parsed as null) scans the whole area.
        body: z.nullish(AnomalyScanBodySchema),
        response: { 200: AnomalyScanResultSchema, 400: ApiErrorSchema, 401: ApiErrorSchema, 403: ApiErrorSchema },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const body = request.body ?? {};
      let areaPrefix = user.areaPrefix;
      if (body.villageCode !== undefined) {
        if (!isWithinArea(body.villageCode, user.areaPrefix)) throw new HttpError(403, 'outside_area', t.anomalies.villageOutsideArea);
        areaPrefix = body.villageCode;
      }

      const keys = await privacyKeys(app.db.db);
      const started = performance.now();
      const input = await loadAnomalyInput(app.db, areaPrefix);
      const loaded = performance.now();
      const findings = runAnomalyChecks(input, { areaPrefix });
      const checked = performance.now();

      const all = countFindings(findings);
      const matching = body.problemCode === undefined ? findings : findings.filter((f) => f.problemCode === body.problemCode);
      const offset = body.offset ?? 0;
      const limit = body.limit ?? DEFAULT_LIMIT;
      request.log.info(
        { areaPrefix, findings: findings.length, lines: input.paymentLines.length, loadMs: Math.round(loaded - started), rulesMs: Math.round(checked - loaded) },
        'anomaly scan',
      );
      return {
        areaPrefix,
        scannedAt: new Date().toISOString(),
        scanned: {
          households: input.households.length,
          persons: input.persons.length,
          accounts: input.accounts.length,
          paymentLines: input.paymentLines.length,
        },
        counts: all.byProblemCode,
        countsByRule: all.byRule,
        total: matching.length,
        amountFen: matching.reduce((sum, f) => sum + f.amountFen, 0),
        offset,
        limit,
        findings: matching.slice(offset, offset + limit).map((f) => outward(keys, f)),
        durationMs: { load: Math.round(loaded - started), rules: Math.round(checked - loaded) },
      };
    },
  );
};
