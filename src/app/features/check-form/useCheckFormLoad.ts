/**
 * Opens a household's form on the device, creating it pre-filled on first
 * visit (roster, accounts and the payment ledger), and waits for the
 * household if the download has not brought it yet.
 */
import { useEffect, useState } from 'react';
import { DEFAULT_CHECK_PERIOD, prefillForm } from '#shared/domain/check-form-rules.ts';
import type { Me } from '#shared/schemas/auth.ts';
import { collectUnusedBlobs, openCheckForm, watchHouseholdArrival, type HouseholdContext } from '../../db/check-form-store.ts';
import type { LocalForm } from '../../db/device-db.ts';
import { isoWithOffset } from './datetime.ts';

/** User Timing entry of the device reads (and the creation) when a form opens; test/bench/check-form.ts reports it. */
const LOAD_MEASURE = 'check-form:load';

export type CheckFormLoad =
  | { status: 'loading' }
  | { status: 'not-for-role' }
  | { status: 'missing' }
  | { status: 'failed'; message: string }
  | { status: 'ready'; form: LocalForm; ctx: HouseholdContext };

function kindFor(role: Me['role']): LocalForm['kind'] | null {
  if (role === 'cadre') return 'cadre';
  if (role === 'inspector') return 'inspection';
  return null;
}

export function useCheckFormLoad(me: Me, householdId: string): CheckFormLoad {
  const kind = kindFor(me.role);
  const [state, setState] = useState<{ forId: string; load: CheckFormLoad } | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (kind === null) return;
    let cancelled = false;
    const interviewer = me.displayName;
    const start = performance.now();
    openCheckForm(householdId, kind, (ctx) =>
      prefillForm(ctx.household, ctx.persons, ctx.accounts, ctx.paymentLines, ctx.items, DEFAULT_CHECK_PERIOD, interviewer, { kind, visitedAt: isoWithOffset(new Date()) }),
    ).then(
      (opened) => {
        performance.measure(LOAD_MEASURE, { start, end: performance.now() });
        if (!cancelled) setState({ forId: householdId, load: opened ? { status: 'ready', ...opened } : { status: 'missing' } });
      },
      (err: unknown) => {
        if (!cancelled) setState({ forId: householdId, load: { status: 'failed', message: err instanceof Error ? err.message : String(err) } });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [householdId, kind, me.displayName, attempt]);
  const missing = state?.forId === householdId && state.load.status === 'missing';
  useEffect(() => {
    if (!missing) return;
    return watchHouseholdArrival(householdId, () => setAttempt((a) => a + 1));
  }, [missing, householdId]);
  useEffect(() => {
    // Housekeeping, off the critical path: earlier strokes of signatures nobody refers to any more.
    const t = window.setTimeout(() => void collectUnusedBlobs().catch(() => undefined), 3000);
    return () => window.clearTimeout(t);
  }, []);
  if (kind === null) return { status: 'not-for-role' };
  if (state?.forId !== householdId) return { status: 'loading' };
  return state.load;
}
