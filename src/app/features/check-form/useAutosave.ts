import { useCallback, useEffect, useRef, useState } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import { isQuotaExceeded } from '../../db/check-form-store.ts';
import { saveDraft } from '../../db/form-store.ts';
import { markUnsaved } from '../../pwa/unsaved-input.ts';

export const AUTOSAVE_DEBOUNCE_MS = 400;
/** User Timing entry of each autosave's IndexedDB round trip (read by test/bench/check-form.ts). */
export const AUTOSAVE_MEASURE = 'check-form:autosave';
const HOLDER = 'check-form';

export type SaveStatus = 'saved' | 'pending' | 'error';
export type SaveError = { kind: 'quota' } | { kind: 'other'; message: string };

/**
 * Every change is written to IndexedDB: debounced while typing, at once when
 * the page is hidden or unloaded (a phone app switch often ends in a kill),
 * and when the screen closes. Between a change and its write the screen
 * holds unsaved input, so the update prompt will not reload it.
 *
 * Writes are chained, never concurrent, and a write that fails (storage
 * full) leaves what was saved before untouched; the next change retries.
 */
export function useAutosave(formId: string, methods: Pick<UseFormReturn<CheckFormBody>, 'getValues' | 'subscribe'>, initialJson: string, resumeAt: string) {
  const { getValues, subscribe } = methods;
  const [status, setStatus] = useState<SaveStatus>('saved');
  const [error, setError] = useState<SaveError | null>(null);
  const lastSaved = useRef(initialJson);
  const timer = useRef<number | undefined>(undefined);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const resume = useRef(resumeAt);
  useEffect(() => {
    resume.current = resumeAt;
  }, [resumeAt]);

  const flush = useCallback((): Promise<void> => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    const run = async () => {
      const json = JSON.stringify(getValues());
      if (json === lastSaved.current) {
        if (timer.current === undefined) {
          markUnsaved(HOLDER, false);
          setStatus('saved');
        }
        return;
      }
      const start = performance.now();
      try {
        // A copy, not react-hook-form's live object: IndexedDB clones it after an await.
        await saveDraft(formId, JSON.parse(json) as CheckFormBody, resume.current);
        performance.measure(AUTOSAVE_MEASURE, { start, end: performance.now() });
        lastSaved.current = json;
        setError(null);
        if (timer.current === undefined && JSON.stringify(getValues()) === json) {
          markUnsaved(HOLDER, false);
          setStatus('saved');
        } else {
          setStatus('pending');
        }
      } catch (err) {
        setStatus('error');
        setError(isQuotaExceeded(err) ? { kind: 'quota' } : { kind: 'other', message: err instanceof Error ? err.message : String(err) });
      }
    };
    const next = chain.current.then(run);
    chain.current = next.catch(() => undefined);
    return next;
  }, [formId, getValues]);

  useEffect(
    () =>
      subscribe({
        formState: { values: true },
        callback: () => {
          markUnsaved(HOLDER, true);
          setStatus((s) => (s === 'error' ? s : 'pending'));
          window.clearTimeout(timer.current);
          timer.current = window.setTimeout(() => void flush(), AUTOSAVE_DEBOUNCE_MS);
        },
      }),
    [subscribe, flush],
  );

  useEffect(() => {
    // Start the write now, not after the debounce: after a hide the page may be killed without
    // running another timer, while a transaction already handed to IndexedDB still commits.
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') void flush();
    };
    const onPageHide = () => void flush();
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', onPageHide);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', onPageHide);
      // Leaving the screen: write what is pending, then release the update prompt.
      void flush().finally(() => markUnsaved(HOLDER, false));
    };
  }, [flush]);

  /** After a reset from the server's copy: that body is what the device holds. */
  const markSaved = useCallback((json: string) => {
    lastSaved.current = json;
  }, []);
  const isIdle = useCallback(() => timer.current === undefined, []);
  const savedJson = useCallback(() => lastSaved.current, []);

  return { status, error, flush, markSaved, isIdle, savedJson };
}
