/**
 * The ledger half of a sync (issue 13, item 3), loaded only for cadres: the
 * steps taken on this device go up in order, each with its photos first and
 * its idempotency key (a step sent twice after a lost reply is taken once);
 * then the village's tasks come down. A step the server refuses (the item
 * moved on meanwhile) is kept with the reason for the cadre to read; a
 * network failure stops the run with everything still queued.
 */
import { LedgerItemSchema, LedgerTasksSchema } from '#shared/schemas/ledger.ts';
import { apiRequest, ApiRequestError } from '../api/http.ts';
import { parsedBy } from '../api/parsed-by.ts';
import { getBlob, markBlobUploaded } from '../db/blob-store.ts';
import { ledgerStepRefused, ledgerStepSent, pendingLedgerSteps, saveLedgerTasks } from '../db/ledger-store.ts';
import { uploadBlob } from './push-client.ts';

export async function syncLedger(): Promise<void> {
  for (const entry of await pendingLedgerSteps()) {
    if (entry.seq === undefined) continue;
    try {
      if (entry.action.kind === 'submit-evidence') {
        for (const sha of entry.action.photos ?? []) {
          const blob = await getBlob(sha);
          // A photo gone from the device cannot be sent; the server then names it.
          if (!blob) continue;
          await uploadBlob(sha, blob);
          await markBlobUploaded(sha);
        }
      }
      await apiRequest('POST', `/ledger/${entry.itemId}/actions`, parsedBy(LedgerItemSchema), entry.action, { 'idempotency-key': entry.mutationId });
      await ledgerStepSent(entry.seq);
    } catch (err) {
      // Refused for good (not allowed now, gone, bad): keep the reason. Sign-in and upgrade stop the run.
      if (err instanceof ApiRequestError && err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 426 && err.status !== 429) {
        await ledgerStepRefused(entry.seq, err.message);
        continue;
      }
      throw err;
    }
  }
  const { tasks } = await apiRequest('GET', '/ledger/tasks', parsedBy(LedgerTasksSchema));
  await saveLedgerTasks(tasks);
}
