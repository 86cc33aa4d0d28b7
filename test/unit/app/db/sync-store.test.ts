// Applying a pull page in Node: fake-indexeddb stands in for the browser's IndexedDB (the fault suite runs the same code in Chromium).
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import type { PullResponse, ServerForm, SyncPaymentLine } from '#shared/schemas/sync.ts';
import { deviceDb } from '#app/db/device-db.ts';
import { submitForm } from '#app/db/form-store.ts';
import { householdPaymentLines } from '#app/db/household-lines.ts';
import { CURSOR_KEY, DOWNLOADED_KEY } from '#app/db/meta-keys.ts';
import { applyPullPage, loadPullCursor } from '#app/db/sync-store.ts';
import { localForm } from './local-form.ts';

const body = (remarks: string) => ({ remarks }) as unknown as CheckFormBody;

function serverForm(id: string, rev: number, remarks: string, extra: Partial<ServerForm> = {}): ServerForm {
  return {
    id,
    householdId: `h-${id}`,
    villageCode: '421321101200',
    kind: 'cadre',
    rev,
    body: body(remarks),
    reviewStatus: 'submitted',
    reviewComment: null,
    authorUserId: 'u-1',
    updatedAt: '2026-12-03T09:00:00+08:00',
    ...extra,
  };
}

function line(id: string, householdId: string, amountFen: number): SyncPaymentLine {
  return {
    id,
    itemCode: 'DB',
    beneficiaryPersonId: '11010519491231002X',
    householdId,
    period: '2021-01',
    amountFen,
    paidOn: '2021-01-15',
    accountId: 'aXk2mQ9vT0bc',
    accountMasked: '6217 **** **** 0000',
    bankName: '农商银行',
    villageCode: '421321101200',
  };
}

function page(cursor: string, changes: Partial<PullResponse['changes']> = {}): PullResponse {
  return { changes: { item: [], household: [], person: [], account: [], paymentLine: [], form: [], ...changes }, cursor, hasMore: false };
}

beforeEach(async () => {
  await deviceDb.open();
});

afterEach(async () => {
  await deviceDb.delete();
});

describe('applying a pull page', () => {
  it('stores the rows and the cursor after them together; only the last page marks the download done', async () => {
    await applyPullPage(page('c1', { paymentLine: [line('l1', 'h1', 100)] }), false);
    expect(await loadPullCursor()).toBe('c1');
    expect(await deviceDb.meta.get(DOWNLOADED_KEY)).toBeUndefined();
    await applyPullPage(page('c2'), true);
    expect(await deviceDb.meta.get(CURSOR_KEY)).toEqual({ key: CURSOR_KEY, value: 'c2' });
    expect(await deviceDb.meta.get(DOWNLOADED_KEY)).toBeDefined();
  });

  it('replaces a synced copy with the newer server form, keeping what this device sent and when', async () => {
    const lastResult = { id: 'm1', index: 0, status: 'applied', rev: 1 } as const;
    await deviceDb.forms.put(localForm('a', 'synced', { serverRev: 1, body: body('mine'), uploadedAt: '2026-12-03T08:00:00+08:00', lastResult }));
    await applyPullPage(page('c1', { form: [serverForm('a', 2, 'reviewed')] }), true);
    expect(await deviceDb.forms.get('a')).toMatchObject({ state: 'synced', serverRev: 2, body: body('reviewed'), uploadedAt: '2026-12-03T08:00:00+08:00', lastResult });
  });

  it('never overwrites local edits the server has not seen: a draft, a form ready to send, an entry in the outbox', async () => {
    await deviceDb.forms.bulkPut([localForm('d', 'draft', { serverRev: 1, body: body('draft') }), localForm('r', 'synced', { serverRev: 1, body: body('r0') })]);
    await submitForm('r', body('ready'));
    await applyPullPage(page('c1', { form: [serverForm('d', 2, 'server'), serverForm('r', 2, 'server')] }), true);
    expect((await deviceDb.forms.get('d'))?.body).toEqual(body('draft'));
    expect(await deviceDb.forms.get('r')).toMatchObject({ state: 'ready', body: body('ready'), serverRev: 1 });
  });

  it('tells a form kept for its local edits that it was sent back, and opens it where the comment points', async () => {
    await deviceDb.forms.put(localForm('e', 'draft', { serverRev: 1, reviewStatus: 'submitted', body: body('editing') }));
    const returned = serverForm('e', 2, 'server', { reviewStatus: 'returned', reviewComment: '请核实存折持有人', reviewSection: 'accounts' });
    await applyPullPage(page('c1', { form: [returned] }), true);
    expect(await deviceDb.forms.get('e')).toMatchObject({ state: 'draft', body: body('editing'), reviewStatus: 'returned', reviewComment: '请核实存折持有人', resumeAt: 'accounts' });
  });

  it('keeps a copy newer than the pulled one (a page from before its own push)', async () => {
    await deviceDb.forms.put(localForm('n', 'synced', { serverRev: 3, body: body('rev 3') }));
    await applyPullPage(page('c1', { form: [serverForm('n', 2, 'rev 2')] }), true);
    expect(await deviceDb.forms.get('n')).toMatchObject({ serverRev: 3, body: body('rev 3') });
  });

  it('stores a returned form as returned, to open at the section the comment is about', async () => {
    await applyPullPage(page('c1', { form: [serverForm('x', 2, 'server', { reviewStatus: 'returned', reviewComment: '签名不清', reviewSection: 'evidence' })] }), true);
    expect(await deviceDb.forms.get('x')).toMatchObject({ state: 'returned', resumeAt: 'evidence', reviewComment: '签名不清' });
  });
});

describe('household lines', () => {
  it("merges one household's lines arriving over several pages by line id, a re-sent line replacing the old", async () => {
    await applyPullPage(page('c1', { paymentLine: [line('l1', 'h1', 100), line('l2', 'h1', 200), line('k1', 'h2', 50)] }), false);
    await applyPullPage(page('c2', { paymentLine: [line('l3', 'h1', 300), line('l2', 'h1', 250)] }), true);
    const h1 = await householdPaymentLines('h1');
    expect(h1.map((l) => [l.id, l.amountFen]).sort()).toEqual([
      ['l1', 100],
      ['l2', 250],
      ['l3', 300],
    ]);
    expect((await householdPaymentLines('h2')).map((l) => l.id)).toEqual(['k1']);
    expect(await householdPaymentLines('h3')).toEqual([]);
    expect(await deviceDb.householdLines.count()).toBe(2);
  });
});
