import { liveQuery } from 'dexie';

/**
 * Runs `query` now and again whenever a table it read changes (in this tab
 * or another), calling `onValue` with each result. Returns the unsubscribe.
 */
export function observeDevice<T>(query: () => Promise<T>, onValue: (value: T) => void): () => void {
  const sub = liveQuery(query).subscribe({ next: onValue, error: () => undefined });
  return () => sub.unsubscribe();
}
