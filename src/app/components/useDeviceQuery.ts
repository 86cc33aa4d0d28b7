import { useEffect, useState } from 'react';
import { observeDevice } from '../db/live.ts';

/**
 * The result of a device (IndexedDB) query, kept current as the tables it
 * reads change; undefined until the first answer. `query` should be stable
 * (a module function, or memoised).
 */
export function useDeviceQuery<T>(query: () => Promise<T>): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => observeDevice(query, setValue), [query]);
  return value;
}
