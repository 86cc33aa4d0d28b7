/**
 * What every fault scenario must end with, for one device:
 * - nothing lost: every form the device holds is on the server, with the
 *   device's last body and the revision the device recorded;
 * - nothing doubled: every counter the device ever allocated reached the
 *   server exactly once (one sync_mutations row each), every mutation made at
 *   most one version, versions are 1..rev without gaps;
 * - outbox drained: nothing pending (entries a person must look at stay, as
 *   `attention`, and only when the scenario expects them);
 * - both sides equal: device form == server form (rev, body).
 */
import { expect } from 'vitest';
import type { DeviceDump } from './page-helpers.ts';
import type { Api, Ledger } from './api.ts';
import type { Device } from './device.ts';

export interface ConvergedOptions {
  /** Outbox entries the server rejected, kept for a person (poison mutations). */
  attention?: number;
}

/** Checks the device's store against itself (what a crash must never break). */
export function expectConsistentStore(d: DeviceDump): void {
  const formIds = new Set(d.forms.map((f) => f.id));
  const counters = d.outbox.map((e) => e.counter);
  expect(new Set(counters).size, 'outbox counters are unique').toBe(counters.length);
  expect(new Set(d.outbox.map((e) => e.mutationId)).size, 'outbox mutation ids are unique').toBe(d.outbox.length);
  for (const e of d.outbox) expect(formIds.has(e.formId), `outbox entry ${e.counter} has its form`).toBe(true);
  const pendingPerForm = new Map<string, number>();
  for (const e of d.outbox) if (e.status === 'pending') pendingPerForm.set(e.formId, (pendingPerForm.get(e.formId) ?? 0) + 1);
  for (const [formId, n] of pendingPerForm) expect(n, `form ${formId} has one pending entry`).toBe(1);
  // A form submitted but never answered is in the outbox, always.
  for (const f of d.forms) if (f.state === 'ready') expect(pendingPerForm.get(f.id) ?? 0, `ready form ${f.id} is in the outbox`).toBe(1);
  const counter = d.meta.find((m) => m.key === 'mutationCounter')?.value;
  const max = Math.max(0, ...counters);
  expect(typeof counter === 'number' ? counter : 0, 'the counter is never behind the outbox').toBeGreaterThanOrEqual(max);
}

export async function expectConverged(device: Device, admin: Api, opts: ConvergedOptions = {}): Promise<{ dump: DeviceDump; ledger: Ledger }> {
  const d = await device.dump();
  expectConsistentStore(d);
  const deviceId = await device.deviceId();
  expect(d.outbox.filter((e) => e.status === 'pending'), 'outbox drained').toEqual([]);
  const attention = d.outbox.filter((e) => e.status === 'attention');
  expect(attention.length, 'entries needing attention').toBe(opts.attention ?? 0);
  for (const e of attention) expect(e.lastResult?.status).toBe('rejected');
  const attentionForms = new Set(attention.map((e) => e.formId));

  const ledger = await admin.ledger([deviceId], d.forms.map((f) => f.id));

  // Nothing doubled: one server row per counter the device allocated, 1..N.
  const counter = d.meta.find((m) => m.key === 'mutationCounter')?.value;
  const mine = ledger.mutations.filter((m) => m.deviceId === deviceId);
  expect(new Set(mine.map((m) => m.id)).size).toBe(mine.length);
  expect(mine.map((m) => m.counter), 'every counter reached the server exactly once').toEqual(Array.from({ length: typeof counter === 'number' ? counter : 0 }, (_, i) => i + 1));
  expect(mine.filter((m) => m.status === 'rejected').length, 'rejected mutations kept on the server').toBe(opts.attention ?? 0);

  const byId = new Map(ledger.forms.map((f) => [f.id, f]));
  expect(byId.size, 'no form twice').toBe(ledger.forms.length);
  const versionsOf = new Map<string, Ledger['versions']>();
  for (const v of ledger.versions) versionsOf.set(v.formId, [...(versionsOf.get(v.formId) ?? []), v]);
  const mutationIds = ledger.versions.map((v) => v.mutationId).filter((x) => x !== null);
  expect(new Set(mutationIds).size, 'a mutation makes at most one version').toBe(mutationIds.length);

  // Nothing lost, both sides equal.
  for (const f of d.forms) {
    if (attentionForms.has(f.id)) {
      expect(f.state).toBe('attention');
      continue;
    }
    const s = byId.get(f.id);
    expect(s, `form ${f.id} is on the server`).toBeDefined();
    expect(f.state === 'synced' || f.state === 'returned', `form ${f.id} is ${f.state}`).toBe(true);
    expect(f.serverRev, `form ${f.id} revision`).toBe(s!.rev);
    expect(f.body, `form ${f.id} body`).toEqual(s!.body);
    expect((versionsOf.get(f.id) ?? []).map((v) => v.rev), `form ${f.id} history`).toEqual(Array.from({ length: s!.rev }, (_, i) => i + 1));
  }
  // Nothing the device made exists on the server without the device knowing it.
  const local = new Set(d.forms.map((f) => f.id));
  for (const s of ledger.forms) if (s.deviceId === deviceId) expect(local.has(s.id), `server form ${s.id} is on the device`).toBe(true);
  return { dump: d, ledger };
}
