export interface StorageStatus {
  persisted: boolean | null;
  usageBytes: number | null;
  quotaBytes: number | null;
}

/**
 * Ask the browser not to evict this origin's data under storage pressure:
 * a cadre's unsynced forms live only here until a signal comes.
 */
export async function requestPersistentStorage(): Promise<boolean> {
  if (!('storage' in navigator) || typeof navigator.storage.persist !== 'function') return false;
  if (await navigator.storage.persisted()) return true;
  return navigator.storage.persist();
}

export async function readStorageStatus(): Promise<StorageStatus> {
  if (!('storage' in navigator)) return { persisted: null, usageBytes: null, quotaBytes: null };
  const [persisted, estimate] = await Promise.all([
    typeof navigator.storage.persisted === 'function' ? navigator.storage.persisted() : Promise.resolve(null),
    typeof navigator.storage.estimate === 'function' ? navigator.storage.estimate() : Promise.resolve(null),
  ]);
  return { persisted, usageBytes: estimate?.usage ?? null, quotaBytes: estimate?.quota ?? null };
}
