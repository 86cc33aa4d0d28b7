/**
 * Spot checks (issue 14): draw a round from the area's frozen input,
 * publish it, give its households to inspectors, and compare each
 * re-check with the cadre's form. The draw and the comparison are the
 * shared pure functions (src/shared/domain/inspection/); this module reads
 * their input, stores their output and keeps the audit trail.
 */
import { drawSample, type MandatoryReason, type SampleInput, type SampleResult, type SampleTownship } from '#shared/domain/inspection/sample.ts';
import { compareForms, errorRate, ERROR_RATE_THRESHOLD } from '#shared/domain/inspection/compare.ts';
import { VISIT_FLAGS, visitFlags, type VisitFlag, type VisitRecord } from '#shared/domain/inspection/visit-proof.ts';
import { isWithinArea, regionLevel, regionPrefix } from '#shared/domain/region-code.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import type { Assign, DrawPreview, DrawRequest, PublishRound, QualityRow, RoundSummary, VisitQualityRow } from '#shared/schemas/inspection.ts';
import { inTransaction, type Db } from '#server/db/client.ts';
import { appendAudit } from '#server/db/audit-repository.ts';
import { regionsInArea } from '#server/db/regions-repository.ts';
import {
  assignHouseholds,
  drawRows,
  findComparisons,
  findRound,
  inspectorsFor,
  insertRound,
  roundQuality,
  sampledAmong,
  sampledInVillages,
  stalePairs,
  upsertComparison,
  visitRecords,
  type RoundRow,
} from '#server/db/inspection-repository.ts';
import { recordFinding } from '#server/db/ledger-repository.ts';
import { findUsersByIds } from '#server/db/users-repository.ts';
import { formProblemEntries } from '#server/ledger/ledger-service.ts';
import { apiText } from '#server/messages/api.zh-CN.ts';
import { HttpError } from '#server/plugins/errors.ts';
import type { AuthUser } from '#server/plugins/auth.ts';

const t = apiText.inspection;

/** A round covers a county or a township inside the user's area. */
function assertDrawArea(user: AuthUser, areaCode: string): void {
  const level = regionLevel(areaCode);
  if ((level !== 'county' && level !== 'township') || !isWithinArea(areaCode, user.areaPrefix)) {
    throw new HttpError(400, 'bad_area', t.badArea, [{ path: 'body.areaCode', message: t.badArea }]);
  }
}

/** The draw's input as the database holds it now: households by village and township, with weights and mandatory marks. */
export async function drawInput(db: Db, areaCode: string): Promise<SampleInput> {
  const prefix = regionLevel(areaCode) === 'county' ? areaCode.slice(0, 6) : areaCode.slice(0, 9);
  const rows = await drawRows(db, prefix);
  const townships = new Map<string, SampleTownship>();
  const villages = new Map<string, SampleTownship['villages'][number]>();
  for (const r of rows) {
    const tcode = `${r.villageCode.slice(0, 9)}000`;
    let town = townships.get(tcode);
    if (!town) {
      town = { code: tcode, checked: 0, problems: 0, villages: [] };
      townships.set(tcode, town);
    }
    let village = villages.get(r.villageCode);
    if (!village) {
      village = { code: r.villageCode, households: [] };
      villages.set(r.villageCode, village);
      town.villages.push(village);
    }
    if (r.outcome === 'checked') {
      town.checked += 1;
      town.problems += r.problems;
    }
    const mandatory: MandatoryReason | null = r.outcome === 'not-found' ? 'not-found' : r.outcome === 'refused' ? 'refused' : r.anomaly ? 'anomaly' : null;
    village.households.push({ id: r.householdId, cadre: r.cadre, mandatory });
  }
  return { areaCode, townships: [...townships.values()] };
}

async function previewOf(db: Db, req: DrawRequest, result: SampleResult, input: SampleInput): Promise<DrawPreview> {
  const names = new Map((await regionsInArea(db, req.areaCode.slice(0, regionLevel(req.areaCode) === 'county' ? 6 : 9))).map((r) => [r.code, r.name]));
  return {
    areaCode: req.areaCode,
    seed: req.seed,
    inputHash: result.inputHash,
    medianProblemsPer100: result.medianProblemsPer100,
    households: input.townships.reduce((n, tw) => n + tw.villages.reduce((m, v) => m + v.households.length, 0), 0),
    sampledHouseholds: result.households.length,
    mandatory: result.households.filter((h) => h.reason === 'anomaly' || h.reason === 'not-found' || h.reason === 'refused').length,
    townships: result.townships.map((tw) => ({
      ...tw,
      name: names.get(tw.code) ?? null,
      sampledVillages: tw.sampledVillages.map((v) => ({ ...v, name: names.get(v.code) ?? null })),
    })),
  };
}

/** The sample the rule and seed would draw now, not stored. */
export async function previewDraw(db: Db, user: AuthUser, req: DrawRequest): Promise<DrawPreview> {
  assertDrawArea(user, req.areaCode);
  const input = await drawInput(db, req.areaCode);
  if (input.townships.length === 0) throw new HttpError(400, 'no_households', t.noHouseholds, [{ path: 'body.areaCode', message: t.noHouseholds }]);
  return previewOf(db, req, drawSample(req.seed, req.rule, input), input);
}

/**
 * Publishes a round: the input is read again and must be the one the
 * preview showed (its hash), else 409 and nothing is stored. The round keeps
 * its input whole, so its sample can be re-drawn and checked at any time.
 */
export async function publishRound(db: Db, user: AuthUser, req: PublishRound, ip: string | null): Promise<RoundRow> {
  assertDrawArea(user, req.areaCode);
  return inTransaction(db, async (tx) => {
    const input = await drawInput(tx, req.areaCode);
    if (input.townships.length === 0) throw new HttpError(400, 'no_households', t.noHouseholds, [{ path: 'body.areaCode', message: t.noHouseholds }]);
    const result = drawSample(req.seed, req.rule, input);
    if (result.inputHash !== req.inputHash) throw new HttpError(409, 'input_changed', t.inputChanged, [{ path: 'body.inputHash', message: t.inputChanged }]);
    const round = await insertRound(
      tx,
      { name: req.name, areaCode: req.areaCode, seed: req.seed, rule: req.rule, inputHash: result.inputHash, input, households: result.households.length, createdBy: user.id, createdByName: user.displayName },
      result.households,
    );
    await appendAudit(tx, {
      userId: user.id,
      username: user.username,
      action: 'inspection.draw',
      targetType: 'inspection-round',
      targetId: round.id,
      areaCode: req.areaCode,
      ip,
      details: { number: round.number, seed: req.seed, rule: req.rule, inputHash: result.inputHash, households: result.households.length, villages: result.townships.reduce((n, tw) => n + tw.sampledVillages.length, 0) },
    });
    return round;
  });
}

/** A round the user may see: drawn inside their area, or around it (a county round seen by a township supervisor); else 404. */
export async function roundForUser(db: Db, user: AuthUser, id: string): Promise<RoundRow> {
  const round = await findRound(db, id);
  if (!round) throw new HttpError(404, 'not_found', t.roundNotFound);
  const prefix = regionPrefix(round.areaCode);
  if (!isWithinArea(round.areaCode, user.areaPrefix) && !user.areaPrefix.startsWith(prefix)) throw new HttpError(404, 'not_found', t.roundNotFound);
  return round;
}

export function toRoundSummary(r: Pick<RoundRow, 'id' | 'number' | 'name' | 'areaCode' | 'seed' | 'rule' | 'inputHash' | 'households' | 'createdByName' | 'createdAt'>, areaName: string | null): RoundSummary {
  return { id: r.id, number: r.number, name: r.name, areaCode: r.areaCode, areaName, seed: r.seed, rule: r.rule, inputHash: r.inputHash, households: r.households, createdByName: r.createdByName, createdAt: r.createdAt.toISOString() };
}

/**
 * Gives households of a round to an inspector (or takes them back with a
 * null inspector): whole villages or single households, all inside the
 * caller's area and the inspector's. The inspector's device downloads them
 * on its next sync.
 */
export async function assignRound(db: Db, user: AuthUser, round: RoundRow, req: Assign, ip: string | null): Promise<number> {
  const villageCodes = req.villageCodes ?? [];
  const householdIds = req.householdIds ?? [];
  if (villageCodes.length === 0 && householdIds.length === 0) throw new HttpError(400, 'nothing_to_assign', t.nothingToAssign, [{ path: 'body.villageCodes', message: t.nothingToAssign }]);
  let inspector: { id: string; areaCode: string } | null = null;
  if (req.inspectorId !== null) {
    const found = (await inspectorsFor(db, user.areaPrefix)).find((i) => i.id === req.inspectorId);
    if (!found) throw new HttpError(400, 'not_inspector', t.notInspector, [{ path: 'body.inspectorId', message: t.notInspector }]);
    inspector = found;
  }
  return inTransaction(db, async (tx) => {
    const targets = new Map<string, string>();
    const inVillages = await sampledInVillages(tx, round.id, villageCodes);
    villageCodes.forEach((v, i) => {
      if (!inVillages.some((h) => h.village === v)) throw new HttpError(400, 'not_sampled', t.villageNotSampled, [{ path: `body.villageCodes[${i}]`, message: t.villageNotSampled }]);
    });
    for (const h of inVillages) targets.set(h.id, h.village);
    const sampled = await sampledAmong(tx, round.id, householdIds);
    householdIds.forEach((h, i) => {
      const village = sampled.get(h);
      if (village === undefined) throw new HttpError(400, 'not_sampled', t.notSampled, [{ path: `body.householdIds[${i}]`, message: t.notSampled }]);
      targets.set(h, village);
    });
    for (const [h, village] of targets) {
      if (!isWithinArea(village, user.areaPrefix)) throw new HttpError(400, 'not_sampled', t.notSampled, [{ path: 'body.householdIds', message: t.notSampled }]);
      if (inspector && !isWithinArea(village, regionPrefix(inspector.areaCode))) {
        throw new HttpError(400, 'outside_inspector_area', t.outsideInspectorArea, [{ path: 'body.inspectorId', message: `${t.outsideInspectorArea}（${h}）` }]);
      }
    }
    const n = await assignHouseholds(tx, round.id, inspector?.id ?? null, [...targets.keys()]);
    await appendAudit(tx, {
      userId: user.id,
      username: user.username,
      action: 'inspection.assign',
      targetType: 'inspection-round',
      targetId: round.id,
      areaCode: round.areaCode,
      ip,
      details: { number: round.number, inspectorId: inspector?.id ?? null, villages: villageCodes.length, households: n },
    });
    return n;
  });
}

const PAIRS_PER_PASS = 200;

/**
 * Brings comparisons up to date: every sampled household with a cadre form
 * and a re-check whose comparison is missing or older than either form. A
 * re-check's own problems go on the ledger (source `inspection`), once; a T1
 * difference flags the cadre's form through its comparison (review, quality).
 * Returns how many were (re)computed.
 */
export async function refreshComparisons(db: Db, where: { roundId: string } | { householdIds: readonly string[] }, max = 5000): Promise<number> {
  let done = 0;
  while (done < max) {
    const pairs = await stalePairs(db, where, PAIRS_PER_PASS);
    if (pairs.length === 0) break;
    await inTransaction(db, async (tx) => {
      for (const p of pairs) {
        const cadre = p.cadreBody as CheckFormBody;
        const recheck = p.inspectionBody as CheckFormBody;
        const { cadreBody: _c, inspectionBody: _i, ...pair } = p;
        await upsertComparison(tx, pair, compareForms(cadre, recheck));
        for (const f of formProblemEntries({ id: p.inspectionFormId, householdId: p.householdId, villageCode: p.villageCode, body: recheck })) {
          await recordFinding(tx, { ...f, kind: 'inspection', ref: `${p.inspectionFormId}:${f.ref.slice(p.inspectionFormId.length + 1)}` }, { userId: p.inspectorUserId, username: null });
        }
      }
    });
    done += pairs.length;
    if (pairs.length < PAIRS_PER_PASS) break;
  }
  return done;
}

/** Error rates per cadre, village and township, over T1 and T2 fields; above the threshold is flagged. */
export async function qualityOf(db: Db, roundId: string, areaPrefix: string, threshold = ERROR_RATE_THRESHOLD): Promise<QualityRow[]> {
  const rows = await roundQuality(db, roundId, areaPrefix);
  return rows.map((r) => {
    const rate = errorRate({ compared: r.t1Compared + r.t2Compared, differing: r.t1Differing + r.t2Differing });
    return { ...r, errorRate: Math.round(rate * 10000) / 10000, flagged: rate > threshold };
  });
}

/** Visit proof of the area's cadres' forms: per cadre, the flags counted (visit-proof.ts). */
export async function visitQuality(db: Db, areaPrefix: string): Promise<VisitQualityRow[]> {
  const records = await visitRecords(db, areaPrefix, 'cadre');
  const flags = visitFlags(records);
  const byAuthor = new Map<string, VisitRecord[]>();
  for (const r of records) {
    const list = byAuthor.get(r.author);
    if (list) list.push(r);
    else byAuthor.set(r.author, [r]);
  }
  const names = new Map((await findUsersByIds(db, [...byAuthor.keys()])).map((u) => [u.id, u.displayName]));
  const rows = [...byAuthor].map(([author, rs]): VisitQualityRow => {
    const counts = Object.fromEntries(VISIT_FLAGS.map((f) => [f, 0])) as Record<VisitFlag, number>;
    let flagged = 0;
    for (const r of rs) {
      const fs = flags.get(r.formId) ?? [];
      if (fs.length > 0) flagged += 1;
      for (const f of fs) counts[f] += 1;
    }
    const perPerson = rs.filter((r) => r.activeSeconds !== null).map((r) => (r.activeSeconds ?? 0) / 60 / Math.max(1, r.persons));
    const sorted = [...perPerson].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    const median = sorted.length === 0 ? null : sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
    return { author, name: names.get(author) ?? null, forms: rs.length, recorded: rs.filter((r) => r.submittedAt !== null).length, medianMinutesPerPerson: median === null ? null : Math.round(median * 10) / 10, flagged, flags: counts };
  });
  return rows.sort((a, b) => b.flagged / Math.max(1, b.forms) - a.flagged / Math.max(1, a.forms) || b.forms - a.forms);
}

/** The visit flags of one form, judged among its author's forms and its village's. */
export async function visitFlagsOfForm(db: Db, form: { id: string; villageCode: string; authorUserId: string; kind: 'cadre' | 'inspection' }): Promise<VisitFlag[]> {
  const mine = await visitRecords(db, form.villageCode.slice(0, 6), form.kind, form.authorUserId);
  const village = await visitRecords(db, form.villageCode, form.kind);
  const all = new Map([...mine, ...village].map((r) => [r.formId, r]));
  return visitFlags([...all.values()]).get(form.id) ?? [];
}

/** What the re-check of a cadre's form found (the newest comparison made from it), or null when not re-checked. */
export async function recheckOf(db: Db, form: { id: string; householdId: string; kind: 'cadre' | 'inspection' }): Promise<{ compared: number; differing: number; t1Differing: number } | null> {
  if (form.kind !== 'cadre') return null;
  await refreshComparisons(db, { householdIds: [form.householdId] });
  const row = (await findComparisons(db, form.householdId)).find((c) => c.cadreFormId === form.id);
  return row ? { compared: row.compared, differing: row.differing, t1Differing: row.t1Differing } : null;
}
