/**
 * Which screens hold input that is not yet in IndexedDB. The update prompt
 * asks this before reloading: a service-worker update must never throw away
 * a half-filled form (architecture.md, sync principle 10).
 */
const holders = new Set<string>();
const listeners = new Set<() => void>();

export function markUnsaved(holder: string, unsaved: boolean): void {
  const had = holders.has(holder);
  if (unsaved) holders.add(holder);
  else holders.delete(holder);
  if (had !== unsaved) for (const l of listeners) l();
}

export function hasUnsavedInput(): boolean {
  return holders.size > 0;
}

export function subscribeUnsaved(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
