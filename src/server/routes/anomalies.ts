import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as z from 'zod/mini';
import { compareFindings, countFindings } from '#shared/domain/anomalies/index.ts';
import { isWithinArea } from '#shared/domain/region-code.ts';
import { ApiErrorSchema } from '#shared/schemas/api.ts';
import { AnomalyScanBodySchema, AnomalyScanResultSchema } from '#shared/schemas/anomalies.ts';
import { areaScan } from '#server/ledger/area-scan.ts';
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
 * Every call rescans, township by township (ledger/area-scan.ts), and
 * stores nothing: the scan that keeps its findings is the ledger's
 * (POST /api/ledger/scan), whose items these ids also key.
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
      // Township by township (area-scan.ts): a county's or a city's rows are never all in memory.
      const area = await areaScan(app.db, areaPrefix);
      const findings: Finding[] = [];
      const scanned = { households: 0, persons: 0, accounts: 0, paymentLines: 0 };
      let loadMs = 0;
      let rulesMs = 0;
      for await (const unit of area.each()) {
        for (const f of unit.findings) findings.push(f);
        for (const k of ['households', 'persons', 'accounts', 'paymentLines'] as const) scanned[k] += unit.scanned[k];
        loadMs += unit.loadMs;
        rulesMs += unit.rulesMs;
      }
      findings.sort(compareFindings);

      const all = countFindings(findings);
      const matching = body.problemCode === undefined ? findings : findings.filter((f) => f.problemCode === body.problemCode);
      const offset = body.offset ?? 0;
      const limit = body.limit ?? DEFAULT_LIMIT;
      request.log.info(
        { areaPrefix, units: area.units.length, findings: findings.length, lines: scanned.paymentLines, loadMs: Math.round(loadMs), rulesMs: Math.round(rulesMs) },
        'anomaly scan',
      );
      return {
        areaPrefix,
        scannedAt: new Date().toISOString(),
        scanned,
        counts: all.byProblemCode,
        countsByRule: all.byRule,
        total: matching.length,
        amountFen: matching.reduce((sum, f) => sum + f.amountFen, 0),
        offset,
        limit,
        findings: matching.slice(offset, offset + limit).map((f) => outward(keys, f)),
        durationMs: { load: Math.round(loadMs), rules: Math.round(rulesMs) },
      };
    },
  );
};
