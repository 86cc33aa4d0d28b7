import { useCallback, useState } from 'react';

export type ListFilter = 'all' | 'unchecked' | 'returned';

/** What the cadre had chosen on the list, kept for the tab's session so coming back from a form finds it unchanged. */
export interface ListView {
  village: string | null;
  query: string;
  filter: ListFilter;
  /** Groups the cadre opened or closed by hand, for `village`; null = the default for its size. */
  openGroups: string[] | null;
}

const KEY = 'ykt-households-view';
const DEFAULT: ListView = { village: null, query: '', filter: 'all', openGroups: null };

function read(): ListView {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (raw === null) return DEFAULT;
    const v = JSON.parse(raw) as Partial<ListView>;
    return {
      village: typeof v.village === 'string' ? v.village : null,
      query: typeof v.query === 'string' ? v.query : '',
      filter: v.filter === 'unchecked' || v.filter === 'returned' ? v.filter : 'all',
      openGroups: Array.isArray(v.openGroups) ? v.openGroups.filter((g): g is string => typeof g === 'string') : null,
    };
  } catch {
    return DEFAULT;
  }
}

export function useListView(): [ListView, (patch: Partial<ListView>) => void] {
  const [view, setView] = useState<ListView>(read);
  const update = useCallback((patch: Partial<ListView>) => {
    setView((prev) => {
      const next = { ...prev, ...patch };
      try {
        sessionStorage.setItem(KEY, JSON.stringify(next));
      } catch {
        // Private mode or a full quota: the view is a convenience, the list works without it.
      }
      return next;
    });
  }, []);
  return [view, update];
}
