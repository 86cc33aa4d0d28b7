/**
 * The cadre's rectification tasks on the device (issue 13, item 3): the
 * tasks of the village as last downloaded, and the steps taken on them here
 * (start, evidence with photos), queued in `ledgerOutbox` until a sync
 * sends them. A step is decided on the device by the same lifecycle the
 * server runs, so the task shows its new state at once, offline; the server
 * decides again when the step arrives, and its answer wins.
 */
import { allowedLedgerActions, decideLedgerAction, type LedgerAction, type LedgerActor } from '#shared/domain/ledger/lifecycle.ts';
import type { LedgerTask } from '#shared/schemas/ledger.ts';
import { deviceDb, type LedgerOutboxEntry } from './device-db.ts';

const CADRE: LedgerActor = { role: 'cadre', level: 'village' };

export interface TaskView {
  task: LedgerTask;
  /** Steps on it not sent yet, oldest first. */
  pending: LedgerOutboxEntry[];
  /** Steps the server refused, with its reason. */
  refused: LedgerOutboxEntry[];
}

/** The tasks with what is waiting on each, earliest deadline first (as the server sorted them). */
export async function listTaskViews(): Promise<TaskView[]> {
  return deviceDb.transaction('r', deviceDb.ledgerTasks, deviceDb.ledgerOutbox, async () => {
    const [tasks, entries] = await Promise.all([deviceDb.ledgerTasks.toArray(), deviceDb.ledgerOutbox.orderBy('seq').toArray()]);
    const order = (t: LedgerTask) => `${t.item.assignment?.deadline ?? '9999'}|${String(t.item.number).padStart(12, '0')}`;
    return tasks
      .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
      .map((task) => ({
        task,
        pending: entries.filter((e) => e.itemId === task.item.id && e.status === 'pending'),
        refused: entries.filter((e) => e.itemId === task.item.id && e.status === 'refused'),
      }));
  });
}

/**
 * Takes a step on the device: decided by the shared lifecycle (its Chinese
 * message when it is not allowed; `gone` when the task left the device),
 * queued for the next sync, and the task moved to its new state in the same
 * transaction.
 */
export async function queueLedgerStep(itemId: string, action: LedgerAction, today: string, gone: string): Promise<string | null> {
  return deviceDb.transaction('rw', deviceDb.ledgerTasks, deviceDb.ledgerOutbox, async () => {
    const task = await deviceDb.ledgerTasks.get(itemId);
    if (!task) return gone;
    const decision = decideLedgerAction(task.item, action, CADRE, today);
    if (!decision.ok) return decision.message;
    await deviceDb.ledgerOutbox.add({ mutationId: crypto.randomUUID(), itemId, action, status: 'pending', createdAt: new Date().toISOString() });
    const item = { ...task.item, state: decision.to };
    await deviceDb.ledgerTasks.put({ item, allowedActions: allowedLedgerActions(item, CADRE) });
    return null;
  });
}

export async function pendingLedgerSteps(): Promise<LedgerOutboxEntry[]> {
  return deviceDb.ledgerOutbox.where('status').equals('pending').sortBy('seq');
}

export async function ledgerStepSent(seq: number): Promise<void> {
  await deviceDb.ledgerOutbox.delete(seq);
}

export async function ledgerStepRefused(seq: number, error: string): Promise<void> {
  await deviceDb.ledgerOutbox.update(seq, { status: 'refused', error });
}

/** The cadre has read a refusal: it goes. */
export async function dismissRefusedStep(seq: number): Promise<void> {
  await deviceDb.ledgerOutbox.delete(seq);
}

/**
 * The server's tasks replace the device's, unless steps are still waiting
 * (then the device's view of those items stays until they are sent).
 */
export async function saveLedgerTasks(tasks: readonly LedgerTask[]): Promise<void> {
  await deviceDb.transaction('rw', deviceDb.ledgerTasks, deviceDb.ledgerOutbox, async () => {
    const waiting = new Set((await deviceDb.ledgerOutbox.where('status').equals('pending').toArray()).map((e) => e.itemId));
    const keep = waiting.size === 0 ? [] : await deviceDb.ledgerTasks.bulkGet([...waiting]);
    await deviceDb.ledgerTasks.clear();
    await deviceDb.ledgerTasks.bulkPut(tasks.filter((t) => !waiting.has(t.item.id)));
    await deviceDb.ledgerTasks.bulkPut(keep.filter((t): t is LedgerTask => t !== undefined));
  });
}
