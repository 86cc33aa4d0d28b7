import { useSyncExternalStore } from 'react';
import { Link } from 'wouter';
import type { Me } from '#shared/schemas/auth.ts';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import { useDeviceQuery } from '../../components/useDeviceQuery.ts';
import { useOnline } from '../../components/useOnline.ts';
import { outboxCounts } from '../../db/outbox-counts.ts';
import { loadAreaSummary } from '../../db/area-summary.ts';
import { t } from '../../i18n/index.ts';
import { getSyncStatus, subscribeSyncStatus } from '../../sync/sync-status.ts';

/** The roles that work from a downloaded area (admins manage it on the server). */
export function usesAreaOnDevice(me: Me): boolean {
  return me.role === 'cadre' || me.role === 'inspector' || me.role === 'supervisor';
}

function when(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', { hour12: false });
}

/**
 * The area on this device: whether it is here, when it last came, and the
 * download as it runs (the runner starts one right after sign-in, so the
 * first visit to home shows the bar moving). Then the way into the work.
 */
export function AreaCard({ me, syncNow }: { me: Me; syncNow: () => Promise<unknown> }) {
  const status = useSyncExternalStore(subscribeSyncStatus, getSyncStatus);
  const online = useOnline();
  const summary = useDeviceQuery(loadAreaSummary);
  const counts = useDeviceQuery(outboxCounts);
  const a = t.areaCard;
  const pulling = status.running && status.phase === 'pulling';
  const households = summary?.households ?? 0;

  return (
    <>
      <section className="card" aria-labelledby="area-title" data-testid="area-card">
        <h2 id="area-title">{me.role === 'cadre' ? a.titleVillage : a.titleArea}</h2>
        {summary && (
          <p data-testid="area-state">
            {households > 0 ? a.onDevice(households) : pulling ? a.downloading : a.notOnDevice}
            {summary.lastDownloadedAt !== null && (
              <>
                <br />
                <span className="muted">{a.lastDownloaded(when(summary.lastDownloadedAt))}</span>
              </>
            )}
          </p>
        )}
        {summary && households > 0 && summary.lastDownloadedAt === null && !pulling && <p className="notice">{a.interrupted}</p>}
        {pulling ? (
          <>
            <ProgressBar label={a.progressLabel} value={status.received} max={status.expected} valueText={a.progressText(status.received, status.expected)} />
          </>
        ) : (
          <button type="button" className="btn btn-block" disabled={!online || status.running} onClick={() => void syncNow()}>
            {households > 0 ? a.update : a.download}
          </button>
        )}
        {!online && !pulling && <p className="muted">{a.needsNetwork}</p>}
        {status.lastError !== null && !status.running && online && (
          <p className="notice" role="alert">
            {status.lastError}
          </p>
        )}
      </section>
      <nav className="home-entries" aria-label={a.households}>
        <Link href="/households" className="btn btn-primary btn-block home-action">
          {a.households}
        </Link>
        <Link href="/sync" className="btn btn-block home-action">
          {a.sync}
          {counts && <span className="home-action-note">{a.syncCounts(counts.pending, counts.attention)}</span>}
        </Link>
      </nav>
    </>
  );
}
