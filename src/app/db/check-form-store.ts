/**
 * Device queries of the check form screen: the household's roster and
 * ledger rows, finding or creating its form, the form as it changes under
 * the sync runner, and housekeeping of attachments. Writes of the form body
 * itself go through form-store.ts (saveDraft, submitForm).
 */
import { liveQuery } from 'dexie';
import { formBlobs } from '#shared/domain/form-blobs.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import type { SubsidyItem } from '#shared/schemas/roster.ts';
import type { SyncAccount, SyncHousehold, SyncPaymentLine, SyncPerson } from '#shared/schemas/sync.ts';
import { deviceDb, type LocalForm } from './device-db.ts';
import { createForm, findFormOfHousehold } from './form-store.ts';
import { householdPaymentLines } from './household-lines.ts';

/** Everything on the device the form of one household is checked against. */
export interface HouseholdContext {
  household: SyncHousehold;
  persons: SyncPerson[];
  accounts: SyncAccount[];
  paymentLines: SyncPaymentLine[];
  items: SubsidyItem[];
}

/** The household's rows, or undefined while the area download has not brought it yet. Call inside a transaction over CONTEXT_TABLES, or alone. */
export async function loadHouseholdContext(householdId: string): Promise<HouseholdContext | undefined> {
  return deviceDb.transaction('r', contextTables(), async () => {
    // All at once: each IndexedDB round trip costs most on a slow phone, not the bytes.
    const [household, persons, paymentLines, items] = await Promise.all([
      deviceDb.households.get(householdId),
      deviceDb.persons.where('householdId').equals(householdId).toArray(),
      householdPaymentLines(householdId),
      deviceDb.items.toArray(),
    ]);
    if (!household) return undefined;
    // Accounts the members hold, and those the household's money went into that no member holds (C2/C3 territory).
    const lineKeys = [...new Set(paymentLines.map((l) => l.accountId))];
    const [held, paidInto]: [SyncAccount[], (SyncAccount | undefined)[]] = await Promise.all([
      persons.length === 0 ? [] : deviceDb.accounts.where('holderPersonId').anyOf(persons.map((p) => p.id)).toArray(),
      lineKeys.length === 0 ? [] : deviceDb.accounts.bulkGet(lineKeys),
    ]);
    const heldKeys = new Set(held.map((a) => a.id));
    const others = paidInto.filter((a): a is SyncAccount => a !== undefined && !heldKeys.has(a.id));
    return { household, persons, accounts: [...held, ...others], paymentLines, items };
  });
}

function contextTables() {
  return [deviceDb.households, deviceDb.persons, deviceDb.accounts, deviceDb.householdLines, deviceDb.items];
}

/**
 * The household's form of this kind, created (pre-filled by `prefill`) when
 * there is none yet. One transaction: two tabs opening the same household end
 * up with one form, and the form is read alongside the roster rows rather
 * than after them (opening a form ≤ 150 ms, BENCHMARKS.md).
 */
export async function openCheckForm(
  householdId: string,
  kind: LocalForm['kind'],
  prefill: (ctx: HouseholdContext) => CheckFormBody,
): Promise<{ form: LocalForm; ctx: HouseholdContext } | undefined> {
  return deviceDb.transaction('rw', [...contextTables(), deviceDb.forms], async () => {
    const [ctx, existing] = await Promise.all([loadHouseholdContext(householdId), findFormOfHousehold(householdId, kind)]);
    if (!ctx) return undefined;
    const form = existing ?? (await createForm({ householdId, villageCode: ctx.household.villageCode, kind, body: prefill(ctx) }));
    return { form, ctx };
  });
}

/** Remembers the section the cadre is on without touching the body (a synced form stays synced). */
export async function saveResumeAt(formId: string, resumeAt: string): Promise<void> {
  await deviceDb.forms.update(formId, { resumeAt });
}

/** Calls `onChange` with the form whenever it changes on the device (autosave, submit, sync). */
export function watchForm(formId: string, onChange: (form: LocalForm | undefined) => void): () => void {
  const sub = liveQuery(() => deviceDb.forms.get(formId)).subscribe({ next: onChange, error: () => undefined });
  return () => sub.unsubscribe();
}

/** Calls `onArrive` once the household is on the device (the download may still be running). */
export function watchHouseholdArrival(householdId: string, onArrive: () => void): () => void {
  const sub = liveQuery(() => deviceDb.households.get(householdId)).subscribe({
    next: (h) => {
      if (h) onArrive();
    },
    error: () => undefined,
  });
  return () => sub.unsubscribe();
}

/** Whether an error means the device's storage is full (Dexie wraps the DOMException, sometimes as `inner`). */
export function isQuotaExceeded(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    if (typeof e !== 'object') return false;
    const name = (e as { name?: unknown }).name;
    if (name === 'QuotaExceededError') return true;
    e = (e as { inner?: unknown }).inner;
  }
  return false;
}

/** Attachments older than this that no form refers to and that never left the device are left-overs (an earlier stroke of a signature). */
const ORPHAN_AGE_MS = 60 * 60 * 1000;

/**
 * Deletes attachments that were never uploaded, are older than an hour and
 * that no form on the device refers to. A signature is stored after every
 * stroke, so earlier versions pile up; an hour leaves any screen still
 * holding a fresh hash time to autosave it.
 */
export async function collectUnusedBlobs(now = Date.now()): Promise<number> {
  return deviceDb.transaction('rw', [deviceDb.forms, deviceDb.blobs], async () => {
    const candidates = await deviceDb.blobs.where('uploaded').equals(0).toArray();
    const old = candidates.filter((b) => now - Date.parse(b.createdAt) > ORPHAN_AGE_MS);
    if (old.length === 0) return 0;
    const used = new Set<string>();
    await deviceDb.forms.each((f) => {
      for (const h of formBlobs(f.body)) used.add(h);
    });
    const unused = old.filter((b) => !used.has(b.sha256)).map((b) => b.sha256);
    await deviceDb.blobs.bulkDelete(unused);
    return unused.length;
  });
}
