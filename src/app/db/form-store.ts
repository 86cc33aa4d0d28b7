import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import type { MutationResult } from '#shared/schemas/sync.ts';
import { deviceDb, type LocalForm, type OutboxEntry } from './device-db.ts';
import { nextCounter } from './sync-store.ts';

/** UUIDv7: time-ordered ids made on the device (architecture.md, principle 1). */
export function uuidv7(now = Date.now()): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let ms = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function getForm(id: string): Promise<LocalForm | undefined> {
  return deviceDb.forms.get(id);
}

/** The household's form of the given kind on this device, if any. */
export async function findFormOfHousehold(householdId: string, kind: LocalForm['kind']): Promise<LocalForm | undefined> {
  const forms = await deviceDb.forms.where('householdId').equals(householdId).toArray();
  return forms.find((f) => f.kind === kind);
}

export async function createForm(f: Omit<LocalForm, 'id' | 'state' | 'serverRev' | 'reviewStatus' | 'reviewComment' | 'resumeAt' | 'updatedAt' | 'lastResult' | 'pristine'>): Promise<LocalForm> {
  const form: LocalForm = {
    ...f,
    pristine: true,
    id: uuidv7(),
    state: 'draft',
    serverRev: 0,
    reviewStatus: null,
    reviewComment: null,
    resumeAt: null,
    updatedAt: new Date().toISOString(),
    lastResult: null,
  };
  await deviceDb.forms.add(form);
  return form;
}

/**
 * Autosave: one small write per change. A synced or returned form becomes a
 * draft again as soon as it is edited, so a pull will not overwrite it.
 */
export async function saveDraft(id: string, body: CheckFormBody, resumeAt: string | null): Promise<void> {
  const updatedAt = new Date().toISOString();
  // One read and one write in one transaction (modify), not get + update (which reads again):
  // this runs after every change, on slow phones (autosave p95 ≤ 20 ms, BENCHMARKS.md).
  const changed = await deviceDb.forms
    .where('id')
    .equals(id)
    .modify((form) => {
      form.body = body;
      form.resumeAt = resumeAt;
      form.state = form.state === 'ready' ? 'ready' : 'draft';
      form.updatedAt = updatedAt;
      delete form.pristine;
    });
  if (changed === 0) throw new Error(`form ${id} not on this device`);
}

/**
 * Discards a draft the server has never seen (never submitted, nothing in the
 * outbox): the household is unchecked again on this device. Anything that was
 * submitted, synced or sent back is refused (false): the server holds a
 * version of it, and the only way forward is another version. Its signature
 * and photos become unreferenced and are collected later (collectUnusedBlobs).
 */
export async function discardDraft(id: string): Promise<boolean> {
  return deviceDb.transaction('rw', [deviceDb.forms, deviceDb.outbox], async () => {
    const form = await deviceDb.forms.get(id);
    if (!form) return true;
    if (!isDiscardable(form) || (await deviceDb.outbox.where('formId').equals(id).count()) > 0) return false;
    await deviceDb.forms.delete(id);
    return true;
  });
}

/** A draft never submitted: the server has no version of it. */
export function isDiscardable(form: Pick<LocalForm, 'state' | 'serverRev'>): boolean {
  return form.state === 'draft' && form.serverRev === 0;
}

/**
 * Submit: the form and its outbox entry are written in ONE transaction
 * (architecture.md, principle 2). While an earlier entry for the same form is
 * still pending, it is replaced rather than queued twice: the server only
 * ever needs the latest body, and the counter keeps its place in the order.
 */
export async function submitForm(id: string, body: CheckFormBody): Promise<void> {
  await deviceDb.transaction('rw', [deviceDb.forms, deviceDb.outbox, deviceDb.meta], async () => {
    const form = await deviceDb.forms.get(id);
    if (!form) throw new Error(`form ${id} not on this device`);
    await deviceDb.forms.update(id, { body, state: 'ready', updatedAt: new Date().toISOString(), lastResult: null });
    const pending = await deviceDb.outbox.where('formId').equals(id).filter((e) => e.status === 'pending').first();
    if (pending) return;
    const entry: OutboxEntry = {
      mutationId: uuidv7(),
      counter: await nextCounter(),
      kind: 'form.put',
      formId: id,
      status: 'pending',
      clientTime: new Date().toISOString(),
      lastResult: null,
      attempts: 0,
    };
    await deviceDb.outbox.add(entry);
  });
}

/** A server's answer to an outbox entry; `sentUpdatedAt` is the form's updatedAt when its body was read for the push. */
export interface OutboxAnswer {
  entry: OutboxEntry;
  result: MutationResult;
  sentUpdatedAt?: string;
}

/**
 * Records the server's answers to a pushed batch, with their forms, in ONE
 * transaction: one flush to disk per batch instead of one per form, and a tab
 * killed meanwhile keeps either all of the batch's answers or none (the
 * entries then go again and come back `duplicate`).
 */
export async function settleOutboxEntries(answers: OutboxAnswer[]): Promise<void> {
  await deviceDb.transaction('rw', [deviceDb.forms, deviceDb.outbox, deviceDb.meta], async () => {
    for (const { entry, result, sentUpdatedAt } of answers) {
      const form = await deviceDb.forms.get(entry.formId);
      if (result.status === 'duplicate' && result.bodyDiffers === true && entry.seq !== undefined) {
        // The id was settled earlier with the body as it was then (that answer was lost), and the
        // form was edited since: the edit is not on the server. It goes again as a new mutation,
        // on top of the version the earlier body made (none when that one was refused).
        await deviceDb.outbox.update(entry.seq, { mutationId: uuidv7(), counter: await nextCounter(), status: 'pending', clientTime: new Date().toISOString(), lastResult: null, attempts: 0 });
        if (form && result.rev !== undefined) await deviceDb.forms.update(form.id, { serverRev: result.rev, uploadedAt: new Date().toISOString() });
        continue;
      }
      // A conflict was merged on the server (both values kept for a supervisor):
      // the mutation is done, and the next pull brings the merged form here too.
      const ok = result.rev !== undefined && (result.status === 'applied' || result.status === 'duplicate' || result.status === 'conflict');
      if (ok && form && entry.seq !== undefined && form.state === 'ready' && sentUpdatedAt !== undefined && form.updatedAt !== sentUpdatedAt) {
        // Edited while the push was in flight: the server has the body as it was sent, not the
        // edit. The edit goes as a new mutation on top of the revision just made (the answered
        // id must never carry another body: a retry of it would be a duplicate).
        await deviceDb.outbox.update(entry.seq, { mutationId: uuidv7(), counter: await nextCounter(), status: 'pending', clientTime: new Date().toISOString(), lastResult: null, attempts: 0 });
        await deviceDb.forms.update(form.id, { serverRev: result.rev ?? form.serverRev, reviewStatus: 'submitted', reviewComment: null, lastResult: result, uploadedAt: new Date().toISOString() });
        continue;
      }
      if (ok) {
        if (entry.seq !== undefined) await deviceDb.outbox.delete(entry.seq);
        // The form may have been edited while the push was in flight: only a form still 'ready' is now in sync.
        if (form) await deviceDb.forms.update(form.id, { serverRev: result.rev ?? form.serverRev, state: form.state === 'ready' ? 'synced' : form.state, reviewStatus: 'submitted', reviewComment: null, lastResult: result, uploadedAt: new Date().toISOString() });
        continue;
      }
      if (entry.seq !== undefined) await deviceDb.outbox.update(entry.seq, { status: 'attention', lastResult: result, attempts: entry.attempts + 1 });
      if (form) await deviceDb.forms.update(form.id, { state: 'attention', lastResult: result });
    }
  });
}

export function pendingOutbox(): Promise<OutboxEntry[]> {
  return deviceDb.outbox.where('status').equals('pending').sortBy('seq');
}

export { outboxCounts } from './outbox-counts.ts';
