/** The Web Lock a sync holds for its whole run: one runner per origin, across tabs. */
export const SYNC_LOCK = 'ykt-sync';

/**
 * Runs `fn` while no sync runs in any tab (waiting for a running one to
 * finish): for changes that must not interleave with a pull's pages, such as
 * replacing the device's area on a change of user.
 */
export function whileNotSyncing<T>(fn: () => Promise<T>): Promise<T> {
  if (!('locks' in navigator)) return fn();
  return navigator.locks.request(SYNC_LOCK, () => fn()) as Promise<T>;
}
