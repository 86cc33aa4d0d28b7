/**
 * Push: attachments first (by hash), then the outbox's mutations in counter
 * order, each answer settled into the outbox and its form (architecture.md,
 * principles 3 and 7). Imported by the sync runner only when the outbox has
 * pending entries.
 */
import { formBlobs } from '#shared/domain/form-blobs.ts';
import type { FormPutMutation } from '#shared/schemas/sync.ts';
import { blobsAwaitingUpload, markBlobsUploaded } from '../db/blob-store.ts';
import { deviceDb, type BlobRow, type OutboxEntry } from '../db/device-db.ts';
import { pendingOutbox, settleOutboxEntries } from '../db/form-store.ts';
import { pushMutations, uploadBlob } from './push-client.ts';
import { setSyncStatus } from './sync-status.ts';

const BATCH = 50;
/** Attachments uploading at once: enough to hide the round trips, few enough for a village link. */
const UPLOADS_IN_FLIGHT = 8;

/**
 * Uploads a batch's attachments, a few at a time, and marks the ones that went
 * through in one transaction (also when another failed: those are not sent again).
 */
async function uploadAll(blobs: BlobRow[]): Promise<void> {
  const done: string[] = [];
  let next = 0;
  const worker = async () => {
    for (let b = blobs[next++]; b !== undefined; b = blobs[next++]) {
      await uploadBlob(b.sha256, b.blob);
      done.push(b.sha256);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(UPLOADS_IN_FLIGHT, blobs.length) }, worker));
  } finally {
    await markBlobsUploaded(done);
  }
}

export async function pushOutbox(deviceId: string): Promise<void> {
  for (;;) {
    const pending = await pendingOutbox();
    if (pending.length === 0) return;
    // One entry per form per batch: the second would need the revision the first produces.
    const seen = new Set<string>();
    const batch: OutboxEntry[] = [];
    for (const e of pending) {
      if (seen.has(e.formId)) continue;
      seen.add(e.formId);
      batch.push(e);
      if (batch.length === BATCH) break;
    }
    const forms = await deviceDb.forms.bulkGet(batch.map((e) => e.formId));
    const mutations: FormPutMutation[] = [];
    const sendable: { entry: OutboxEntry; sentUpdatedAt: string }[] = [];
    const referenced = new Set<string>();
    for (const [i, e] of batch.entries()) {
      const form = forms[i];
      if (!form) continue;
      const blobs = formBlobs(form.body);
      for (const b of blobs) referenced.add(b);
      mutations.push({ id: e.mutationId, counter: e.counter, kind: 'form.put', formId: form.id, baseRev: form.serverRev, body: form.body, blobs, clientTime: e.clientTime });
      sendable.push({ entry: e, sentUpdatedAt: form.updatedAt });
    }
    if (mutations.length === 0) return;
    // Every attachment of the batch is on the server before the batch is sent.
    setSyncStatus({ phase: 'uploading' });
    await uploadAll(await blobsAwaitingUpload([...referenced]));
    setSyncStatus({ phase: 'pushing' });
    const { results } = await pushMutations(deviceId, mutations, pending.length);
    await settleOutboxEntries(
      results.flatMap((r) => {
        const sent = sendable[r.index];
        return sent ? [{ entry: sent.entry, result: r, sentUpdatedAt: sent.sentUpdatedAt }] : [];
      }),
    );
  }
}
