// The outbox in Node: fake-indexeddb stands in for the browser's IndexedDB (the Chromium suites run the same code for real).
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import { deviceDb } from '#app/db/device-db.ts';
import { pendingOutbox, saveDraft, settleOutboxEntries, submitForm } from '#app/db/form-store.ts';
import { localForm } from './local-form.ts';

const body = (remarks: string) => ({ remarks }) as unknown as CheckFormBody;

const form = (id: string) => localForm(id, 'draft', { body: body('') });

beforeEach(async () => {
  await deviceDb.open();
  await deviceDb.forms.bulkPut([form('a'), form('b'), form('c')]);
});

afterEach(async () => {
  await deviceDb.delete();
});

describe('the outbox', () => {
  it('queues one entry per submitted form, in submit order, with counters that only grow', async () => {
    await submitForm('b', body('b1'));
    await submitForm('a', body('a1'));
    await submitForm('b', body('b2'));
    const pending = await pendingOutbox();
    expect(pending.map((e) => e.formId)).toEqual(['b', 'a']);
    expect(pending[0]!.counter).toBeLessThan(pending[1]!.counter);
    // The second submit of b only changed the body the entry will send.
    expect((await deviceDb.forms.get('b'))?.body).toEqual(body('b2'));
  });

  it('settles a batch: applied entries leave with their forms synced, a rejected one stays for a person to see', async () => {
    await submitForm('a', body('a1'));
    await submitForm('b', body('b1'));
    const [a, b] = await pendingOutbox();
    const sent = async (id: string) => (await deviceDb.forms.get(id))!.updatedAt;
    await settleOutboxEntries([
      { entry: a!, result: { id: a!.mutationId, index: 0, status: 'applied', rev: 1 }, sentUpdatedAt: await sent('a') },
      { entry: b!, result: { id: b!.mutationId, index: 1, status: 'rejected', message: '该户不在您的工作区域内' }, sentUpdatedAt: await sent('b') },
    ]);
    expect(await deviceDb.forms.get('a')).toMatchObject({ state: 'synced', serverRev: 1, reviewStatus: 'submitted' });
    expect(await deviceDb.forms.get('b')).toMatchObject({ state: 'attention', serverRev: 0 });
    expect(await pendingOutbox()).toEqual([]);
    expect(await deviceDb.outbox.toArray()).toMatchObject([{ formId: 'b', status: 'attention', attempts: 1 }]);
  });

  it('keeps an edit made while the push was in flight: it goes again as a new mutation on the new revision', async () => {
    await submitForm('c', body('c1'));
    const [c] = await pendingOutbox();
    const sentUpdatedAt = (await deviceDb.forms.get('c'))!.updatedAt;
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The cadre corrects the submitted form while its push is on the way (it stays ready to send).
    await saveDraft('c', body('c2'), null);
    await settleOutboxEntries([{ entry: c!, result: { id: c!.mutationId, index: 0, status: 'applied', rev: 1 }, sentUpdatedAt }]);
    expect(await deviceDb.forms.get('c')).toMatchObject({ state: 'ready', serverRev: 1, body: body('c2') });
    const [again] = await pendingOutbox();
    expect(again).toMatchObject({ formId: 'c', status: 'pending', attempts: 0 });
    // Never the answered id again: a retry under it would be a duplicate and drop the edit.
    expect(again!.mutationId).not.toBe(c!.mutationId);
    expect(again!.counter).toBeGreaterThan(c!.counter);
  });

  it('sends an edit again when its retry meets the id settled with the earlier body (the answer was lost)', async () => {
    await submitForm('a', body('a1'));
    const [a] = await pendingOutbox();
    // The push of a1 was applied, but its answer never came; the cadre then corrected the form.
    await submitForm('a', body('a2'));
    const sentUpdatedAt = (await deviceDb.forms.get('a'))!.updatedAt;
    const answer = { id: a!.mutationId, index: 0, status: 'duplicate', rev: 1, bodyDiffers: true, message: '已处理（applied）' } as const;
    await settleOutboxEntries([{ entry: a!, result: answer, sentUpdatedAt }]);
    // Not synced: a2 is still to go, as a new mutation on top of the version a1 made.
    expect(await deviceDb.forms.get('a')).toMatchObject({ state: 'ready', serverRev: 1, body: body('a2') });
    const [again] = await pendingOutbox();
    expect(again).toMatchObject({ formId: 'a', status: 'pending', attempts: 0 });
    expect(again!.mutationId).not.toBe(a!.mutationId);
    expect(again!.counter).toBeGreaterThan(a!.counter);
  });

  it('sends an edit again on the same base when the earlier body under its id had been refused', async () => {
    await submitForm('b', body('b1'));
    const [b] = await pendingOutbox();
    const sentUpdatedAt = (await deviceDb.forms.get('b'))!.updatedAt;
    await settleOutboxEntries([{ entry: b!, result: { id: b!.mutationId, index: 0, status: 'duplicate', bodyDiffers: true, message: '已处理（rejected）' }, sentUpdatedAt }]);
    expect(await deviceDb.forms.get('b')).toMatchObject({ state: 'ready', serverRev: 0 });
    const [again] = await pendingOutbox();
    expect(again).toMatchObject({ formId: 'b', status: 'pending' });
    expect(again!.mutationId).not.toBe(b!.mutationId);
  });
});
