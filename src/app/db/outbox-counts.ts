/**
 * Outbox counts for badges and the sync runner's first question. Its own
 * module so the main bundle (home, the runner) does not carry form-store.ts,
 * which only the form and the push need.
 */
import { deviceDb } from './device-db.ts';

export function outboxCounts(): Promise<{ pending: number; attention: number }> {
  return deviceDb.transaction('r', deviceDb.outbox, async () => ({
    pending: await deviceDb.outbox.where('status').equals('pending').count(),
    attention: await deviceDb.outbox.where('status').equals('attention').count(),
  }));
}

export async function hasPendingOutbox(): Promise<boolean> {
  return (await deviceDb.outbox.where('status').equals('pending').count()) > 0;
}
