/** What the sync runner is doing, as a tiny external store for useSyncExternalStore. */
export interface SyncStatus {
  running: boolean;
  phase: 'idle' | 'uploading' | 'pushing' | 'pulling' | 'tasks';
  /** Download progress of the current pull, rows received / rows expected (expected known on a full download). */
  received: number;
  expected: number | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  /** The server wants a newer app: the outbox waits until the update is installed. */
  upgradeRequired: boolean;
  nextAttemptAt: number | null;
}

let status: SyncStatus = {
  running: false,
  phase: 'idle',
  received: 0,
  expected: null,
  lastSuccessAt: null,
  lastError: null,
  upgradeRequired: false,
  nextAttemptAt: null,
};
const listeners = new Set<() => void>();

export function getSyncStatus(): SyncStatus {
  return status;
}

export function setSyncStatus(patch: Partial<SyncStatus>): void {
  status = { ...status, ...patch };
  for (const l of listeners) l();
}

export function subscribeSyncStatus(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
