import type { PullResponse, RegionName, ServerForm } from '#shared/schemas/sync.ts';
import { deviceDb, type LocalForm } from './device-db.ts';
import { mergePaymentLines } from './household-lines.ts';
import { CURSOR_KEY, DOWNLOADED_KEY, REGION_NAMES_KEY } from './meta-keys.ts';

const COUNTER_KEY = 'mutationCounter';

export async function loadPullCursor(): Promise<string | null> {
  const row = await deviceDb.meta.get(CURSOR_KEY);
  return typeof row?.value === 'string' ? row.value : null;
}

export async function hasRegionNames(): Promise<boolean> {
  return (await deviceDb.meta.get(REGION_NAMES_KEY)) !== undefined;
}

/** The names of the area's regions (villages, townships), by code; null until a pull brought them. */
export async function loadRegionNames(): Promise<Map<string, string> | null> {
  const row = await deviceDb.meta.get(REGION_NAMES_KEY);
  return Array.isArray(row?.value) ? new Map((row.value as RegionName[]).map((r) => [r.code, r.name])) : null;
}

export async function lastDownloadedAt(): Promise<string | null> {
  const row = await deviceDb.meta.get(DOWNLOADED_KEY);
  return typeof row?.value === 'string' ? row.value : null;
}

function formFromServer(f: ServerForm): LocalForm {
  return {
    id: f.id,
    householdId: f.householdId,
    villageCode: f.villageCode,
    kind: f.kind,
    body: f.body,
    state: f.reviewStatus === 'returned' ? 'returned' : 'synced',
    serverRev: f.rev,
    reviewStatus: f.reviewStatus,
    reviewComment: f.reviewComment,
    // A returned form opens where the supervisor's comment points.
    resumeAt: f.reviewStatus === 'returned' ? (f.reviewSection ?? null) : null,
    updatedAt: f.updatedAt,
    lastResult: null,
  };
}

/**
 * The server started the download again (an inspector given other
 * households): the roster held so far goes, and so do forms the server holds
 * anyway. A form with edits not yet sent stays.
 */
async function dropRosterForReset(): Promise<void> {
  await Promise.all([deviceDb.households.clear(), deviceDb.persons.clear(), deviceDb.accounts.clear(), deviceDb.householdLines.clear()]);
  const unsent = new Set((await deviceDb.outbox.toArray()).map((o) => o.formId));
  const gone = (await deviceDb.forms.toArray()).filter((f) => !unsent.has(f.id) && f.state !== 'draft' && f.state !== 'ready').map((f) => f.id);
  await deviceDb.forms.bulkDelete(gone);
}

/**
 * Stores one pulled page and the cursor after it in ONE transaction: a tab
 * killed mid-pull either has both or neither, and the next pull resumes at
 * the right place. A pulled form never overwrites a local copy that still has
 * edits the server has not seen (a draft, or an entry in the outbox).
 */
export async function applyPullPage(page: PullResponse, done: boolean): Promise<void> {
  const c = page.changes;
  await deviceDb.transaction(
    'rw',
    [deviceDb.items, deviceDb.households, deviceDb.persons, deviceDb.accounts, deviceDb.householdLines, deviceDb.forms, deviceDb.outbox, deviceDb.meta],
    async () => {
      if (page.reset) await dropRosterForReset();
      if (c.item.length) await deviceDb.items.bulkPut(c.item);
      if (c.household.length) await deviceDb.households.bulkPut(c.household);
      if (c.person.length) await deviceDb.persons.bulkPut(c.person);
      if (c.account.length) await deviceDb.accounts.bulkPut(c.account);
      if (c.paymentLine.length) await mergePaymentLines(c.paymentLine);
      for (const f of c.form) {
        const local = await deviceDb.forms.get(f.id);
        const unsent = (await deviceDb.outbox.where('formId').equals(f.id).count()) > 0;
        if (local && (unsent || local.state === 'draft' || local.state === 'ready')) {
          // Keep the local edits; remember that the server moved on so the next push is judged against it.
          if (f.reviewStatus === 'returned' && local.reviewStatus !== 'returned') {
            await deviceDb.forms.update(f.id, { reviewStatus: f.reviewStatus, reviewComment: f.reviewComment, ...(f.reviewSection ? { resumeAt: f.reviewSection } : {}) });
          }
          continue;
        }
        if (local && local.serverRev > f.rev) continue;
        // What this device sent, and when, stays visible after the server's copy replaces it.
        const fresh = formFromServer(f);
        if (local?.uploadedAt !== undefined) fresh.uploadedAt = local.uploadedAt;
        if (local?.lastResult) fresh.lastResult = local.lastResult;
        await deviceDb.forms.put(fresh);
      }
      if (page.regions) await deviceDb.meta.put({ key: REGION_NAMES_KEY, value: page.regions });
      await deviceDb.meta.put({ key: CURSOR_KEY, value: page.cursor });
      if (done) await deviceDb.meta.put({ key: DOWNLOADED_KEY, value: new Date().toISOString() });
    },
  );
}

/** The next value of this device's mutation counter; call inside the transaction that writes the outbox entry. */
export async function nextCounter(): Promise<number> {
  const row = await deviceDb.meta.get(COUNTER_KEY);
  const next = (typeof row?.value === 'number' ? row.value : 0) + 1;
  await deviceDb.meta.put({ key: COUNTER_KEY, value: next });
  return next;
}
