/**
 * The problem ledger (issue 13): findings become items once, and every change
 * of an item is decided by the shared lifecycle (src/shared/domain/ledger)
 * and written with its history and an audit entry in one transaction.
 *
 * Findings come from the anomaly scan (scan-runner.ts, in the background),
 * accepted forms' problems (the review route) and tip-offs (tips.ts).
 */
import type { Finding } from '#shared/domain/anomalies/types.ts';
import { decideLedgerAction, isLedgerItemOverdue, allowedLedgerActions, type LedgerAction, type LedgerActor, type LedgerItemState } from '#shared/domain/ledger/lifecycle.ts';
import { PROBLEM_CODES, problemTitle } from '#shared/domain/problem-codes.ts';
import { formProblemKey, personProblemKey } from '#shared/domain/ledger/dedupe.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import { areaCodeRange, isWithinArea, regionLevel } from '#shared/domain/region-code.ts';
import type { LedgerItem } from '#shared/schemas/ledger.ts';
import { inTransaction, type Db } from '#server/db/client.ts';
import { appendAudit } from '#server/db/audit-repository.ts';
import { unreadableBlobs } from '#server/db/blobs-repository.ts';
import { findEventByMutation, findLedgerItemForUpdate, insertLedgerEvent, insertLedgerEvidence, updateLedgerItem, type LedgerRow, type NewFinding } from '#server/db/ledger-repository.ts';
import { apiText } from '#server/messages/api.zh-CN.ts';
import { HttpError } from '#server/plugins/errors.ts';
import type { AuthUser } from '#server/plugins/auth.ts';
import { personKey, type PrivacyKeys } from '#server/privacy/keys.ts';

const t = apiText.ledger;
const CATEGORY = new Map(PROBLEM_CODES.map((p) => [p.code as string, p.category]));

/** Today in China (UTC+8), for deadlines. */
export function chinaToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The smallest region holding all these villages: the village, their township, or their county. */
export function commonArea(villageCodes: readonly string[]): string | null {
  const first = villageCodes[0];
  if (first === undefined) return null;
  if (villageCodes.every((v) => v === first)) return first;
  if (villageCodes.every((v) => v.slice(0, 9) === first.slice(0, 9))) return `${first.slice(0, 9)}000`;
  if (villageCodes.every((v) => v.slice(0, 6) === first.slice(0, 6))) return `${first.slice(0, 6)}000000`;
  return `${first.slice(0, 4)}00000000`;
}

/**
 * An anomaly finding as a ledger entry. About one person: keyed by code,
 * person (and item, for the per-item codes: dedupe.ts), so the cadre's form
 * problem about the same person, item and code becomes the same item.
 * Anything wider (an account for several households, a township's banks) is
 * its own item.
 */
export function findingEntry(keys: PrivacyKeys, f: Finding): NewFinding | null {
  const area = commonArea(f.villageCodes);
  const category = CATEGORY.get(f.problemCode);
  if (area === null || category === undefined) return null;
  const person = f.personIds.length === 1 && f.personIds[0] !== undefined ? personKey(keys, f.personIds[0]) : null;
  const item = f.itemCodes.length === 1 ? (f.itemCodes[0] ?? null) : null;
  return {
    kind: 'anomaly',
    ref: f.id,
    dedupeKey: person !== null ? personProblemKey(f.problemCode, person, item) : `f:${f.id}`,
    problemCode: f.problemCode,
    category,
    areaCode: area,
    householdId: f.householdIds.length === 1 ? (f.householdIds[0] ?? null) : null,
    personKey: person,
    itemCode: item,
    title: f.title,
    description: f.detail,
    amountInvolvedFen: f.amountFen > 0 ? f.amountFen : null,
  };
}

/** The problems of an accepted form as ledger entries (issue 13, item 1: a form's problems go on the ledger when it is accepted). */
export function formProblemEntries(form: { id: string; householdId: string; villageCode: string; body: CheckFormBody }): NewFinding[] {
  return form.body.problems.flatMap((p) => {
    const category = CATEGORY.get(p.code);
    if (category === undefined) return [];
    const k = formProblemKey(form.id, p);
    return [
      {
        kind: 'form' as const,
        ref: `${form.id}:${p.key}`,
        dedupeKey: k.key,
        problemCode: p.code,
        category,
        areaCode: form.villageCode,
        householdId: form.householdId,
        personKey: k.personKey,
        itemCode: k.itemCode,
        title: problemTitle(p.code),
        description: p.description,
        amountInvolvedFen: p.amountFen,
      },
    ];
  });
}

/** Who the user is to the ledger: role and the level of their area. */
export function ledgerActor(user: AuthUser): LedgerActor {
  const level = regionLevel(user.areaCode);
  return { role: user.role, level: level === 'village' ? 'village' : level === 'township' ? 'township' : 'county' };
}

export function stateOf(row: LedgerRow): LedgerItemState {
  return {
    state: row.state,
    category: row.category,
    assignment: row.assignment ?? null,
    referral: row.referral ?? null,
    amountInvolvedFen: row.amountInvolvedFen,
    amountRecoveredFen: row.amountRecoveredFen,
    outcome: row.outcome,
  };
}

export function toLedgerItem(row: LedgerRow, today: string): LedgerItem {
  const s = stateOf(row);
  return {
    id: row.id,
    number: row.number,
    problemCode: row.problemCode as LedgerItem['problemCode'],
    category: row.category,
    state: row.state,
    areaCode: row.areaCode,
    areaName: row.areaName ?? null,
    householdId: row.householdId,
    personKey: row.personKey,
    itemCode: row.itemCode,
    title: row.title,
    description: row.description,
    amountInvolvedFen: row.amountInvolvedFen,
    amountRecoveredFen: row.amountRecoveredFen,
    outcome: row.outcome,
    assignment: s.assignment,
    referral: s.referral,
    overdue: isLedgerItemOverdue(s, today),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function actionsFor(row: LedgerRow, user: AuthUser) {
  return allowedLedgerActions(stateOf(row), ledgerActor(user));
}

/** An item of the user's area, or 404 as if it did not exist. */
export function assertItemInArea(user: AuthUser, row: LedgerRow | undefined): LedgerRow {
  if (!row || !isWithinArea(row.areaCode, user.areaPrefix)) throw new HttpError(404, 'not_found', t.notFound);
  return row;
}

/** One action on one item: decided by the lifecycle, written with its history and an audit entry. */
/**
 * Evidence photos go with the step that submits them, and only as blobs the
 * user may reference (uploaded by them, or already evidence in their area):
 * a photo not uploaded is refused naming it, and nothing of the step is kept.
 */
async function attachEvidence(tx: Db, user: AuthUser, itemId: string, photos: readonly string[]): Promise<void> {
  const missing = await unreadableBlobs(tx, [...new Set(photos)], { id: user.id, area: areaCodeRange(user.areaPrefix) });
  if (missing.length > 0) {
    const fields = missing.map((h) => ({ path: `body.photos[${photos.indexOf(h)}]`, message: t.photoNotUploaded }));
    throw new HttpError(400, 'blob_missing', t.photoNotUploaded, fields);
  }
  await insertLedgerEvidence(tx, itemId, photos, { userId: user.id, username: user.username });
}

/**
 * Takes one step on an item. With a `mutationId` (a device's ledger outbox),
 * the step is taken once: sent again after a lost reply, it answers the item
 * as it is now. The item's row lock orders two copies arriving at once.
 */
export async function actOnItem(db: Db, user: AuthUser, id: string, action: LedgerAction, ip: string | null, today = chinaToday(), mutationId: string | null = null): Promise<LedgerRow> {
  return inTransaction(db, async (tx) => {
    const row = assertItemInArea(user, await findLedgerItemForUpdate(tx, id));
    if (mutationId !== null) {
      const done = await findEventByMutation(tx, mutationId);
      if (done !== null) {
        if (done.itemId !== row.id || done.userId !== user.id) throw new HttpError(409, 'mutation_reused', t.mutationReused);
        return row;
      }
    }
    const decision = decideLedgerAction(stateOf(row), action, ledgerActor(user), today);
    if (!decision.ok) {
      throw new HttpError(decision.status, decision.code, decision.message, decision.field === undefined ? undefined : [{ path: `body.${decision.field}`, message: decision.message }]);
    }
    if (action.kind === 'submit-evidence') await attachEvidence(tx, user, row.id, action.photos ?? []);
    await updateLedgerItem(tx, row.id, decision.item);
    const comment = 'comment' in action && action.comment !== undefined && action.comment.trim() !== '' ? action.comment.trim() : null;
    const { kind, ...details } = action;
    await insertLedgerEvent(tx, { itemId: row.id, userId: user.id, username: user.username, action: kind, fromState: decision.from, toState: decision.to, comment, details, mutationId });
    await appendAudit(tx, {
      userId: user.id,
      username: user.username,
      action: 'ledger.action',
      targetType: 'ledger-item',
      targetId: row.id,
      areaCode: row.areaCode,
      ip,
      details: { number: row.number, action: kind, from: decision.from, to: decision.to },
    });
    const updated = await findLedgerItemForUpdate(tx, row.id);
    if (!updated) throw new Error(`ledger item ${row.id} vanished`);
    return updated;
  });
}
