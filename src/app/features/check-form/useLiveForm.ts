/**
 * The device copy of the form as the sync runner changes it (ready → synced,
 * returned, attention): what the state banner shows. A newer server version
 * (merged on the server, or sent back) replaces an untouched form on screen.
 */
import { useEffect, useRef, useState } from 'react';
import type { UseFormReset } from 'react-hook-form';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import { watchForm } from '../../db/check-form-store.ts';
import type { LocalForm } from '../../db/device-db.ts';
import type { useAutosave } from './useAutosave.ts';

type Autosave = Pick<ReturnType<typeof useAutosave>, 'markSaved' | 'isIdle' | 'savedJson'>;

export function useLiveForm(form: LocalForm, { markSaved, isIdle, savedJson }: Autosave, reset: UseFormReset<CheckFormBody>): LocalForm {
  const [live, setLive] = useState<LocalForm>(form);
  const knownRev = useRef(form.serverRev);
  useEffect(
    () =>
      watchForm(form.id, (f) => {
        if (!f) return;
        // Every autosave wakes this up too: re-render only when what the banner shows changed.
        setLive((prev) =>
          prev.state === f.state && prev.serverRev === f.serverRev && prev.reviewStatus === f.reviewStatus && prev.reviewComment === f.reviewComment && JSON.stringify(prev.lastResult) === JSON.stringify(f.lastResult) ? prev : f,
        );
        if (f.serverRev > knownRev.current && (f.state === 'synced' || f.state === 'returned') && isIdle()) {
          const json = JSON.stringify(f.body);
          if (json !== savedJson()) {
            markSaved(json);
            reset(f.body);
          }
        }
        knownRev.current = Math.max(knownRev.current, f.serverRev);
      }),
    [form.id, isIdle, markSaved, savedJson, reset],
  );
  return live;
}
