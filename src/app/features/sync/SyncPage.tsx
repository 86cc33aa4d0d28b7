import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { Link } from 'wouter';
import type { Me } from '#shared/schemas/auth.ts';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import { SyncBadge } from '../../components/SyncBadge.tsx';
import { useDeviceQuery } from '../../components/useDeviceQuery.ts';
import { useOnline } from '../../components/useOnline.ts';
import type { LocalForm } from '../../db/device-db.ts';
import { householdsById, loadAreaSummary, loadSyncOverview, uploadedTime, type HouseholdSummary, type SyncOverview } from '../../db/roster-store.ts';
import { fieldPathText, syncText as s } from '../../i18n/households.zh-CN.ts';
import { readStorageStatus, type StorageStatus } from '../../pwa/storage.ts';
import type { SyncOutcome } from '../../sync/sync-runner.ts';
import { getSyncStatus, subscribeSyncStatus } from '../../sync/sync-status.ts';
import { formHref } from '../households/HouseholdRow.tsx';
import { formatBytes } from '#shared/domain/format-bytes.ts';
import { TopBar } from '../../components/TopBar.tsx';

function when(iso: string | number): string {
  return new Date(iso).toLocaleString('zh-CN', { hour12: false });
}

interface Overview extends SyncOverview {
  households: Map<string, HouseholdSummary>;
}

/** The overview with the household of each form, re-read whenever the outbox or the forms change. */
async function readOverview(): Promise<Overview> {
  const o = await loadSyncOverview();
  const ids = [...o.ready, ...o.returned, ...o.recentlySynced].map((f) => f.householdId);
  for (const a of o.attention) if (a.householdId !== null) ids.push(a.householdId);
  return { ...o, households: await householdsById(ids) };
}

function FormLine({ householdId, households, children }: { householdId: string | null; households: Map<string, HouseholdSummary>; children?: ReactNode }) {
  const hh = householdId === null ? undefined : households.get(householdId);
  return (
    <li className="sync-item">
      {householdId !== null ? (
        <Link href={formHref(householdId)} className="sync-item-link">
          {s.formLine(hh?.houseNumber ?? null, hh?.headName ?? null)}
          {hh && <span className="muted"> · {hh.groupName}</span>}
        </Link>
      ) : (
        <span>{s.formLine(null, null)}</span>
      )}
      {children}
    </li>
  );
}

function FormList({ forms, households, empty, note }: { forms: LocalForm[]; households: Map<string, HouseholdSummary>; empty: string; note?: (f: LocalForm) => string }) {
  if (forms.length === 0) return empty === '' ? null : <p className="muted">{empty}</p>;
  return (
    <ul className="sync-list">
      {forms.map((f) => (
        <FormLine key={f.id} householdId={f.householdId} households={households}>
          <span className="muted sync-item-note">{note ? note(f) : s.savedAt(when(f.updatedAt))}</span>
        </FormLine>
      ))}
    </ul>
  );
}

/**
 * What is waiting, what went through, what needs the cadre; a button to sync
 * now; when it last worked and why it last failed; what the device holds.
 */
export default function SyncPage({ syncNow }: { me: Me; syncNow: () => Promise<SyncOutcome> }) {
  const status = useSyncExternalStore(subscribeSyncStatus, getSyncStatus);
  const online = useOnline();
  const overview = useDeviceQuery(readOverview);
  const area = useDeviceQuery(loadAreaSummary);
  const [storage, setStorage] = useState<StorageStatus | null>(null);
  const [outcome, setOutcome] = useState<SyncOutcome | null>(null);

  useEffect(() => {
    void readStorageStatus().then(setStorage);
  }, [status.lastSuccessAt]);

  const pulling = status.running && status.phase === 'pulling';

  return (
    <>
      <TopBar title={s.title} back={{ href: '/', label: s.back, ariaLabel: s.backLabel }}>
        <SyncBadge link={false} />
      </TopBar>
      <main className="page">
        <h1>{s.title}</h1>

        <section className="card" aria-labelledby="sync-status-title">
          <h2 id="sync-status-title">{s.status}</h2>
          <p className={online ? 'muted' : 'notice'}>{online ? s.online : s.offline}</p>
          {status.running && <p>{s.phase[status.phase] || s.running}</p>}
          {pulling && <ProgressBar label={s.progressLabel} value={status.received} max={status.expected} valueText={s.progressText(status.received, status.expected)} />}
          <button
            type="button"
            className="btn btn-primary btn-block"
            disabled={status.running}
            onClick={() => {
              setOutcome(null);
              void syncNow().then(setOutcome);
            }}
          >
            {status.running ? s.running : s.syncNow}
          </button>
          {outcome !== null && !status.running && (
            <p role="status" className={outcome === 'done' ? 'ok-text' : 'notice'}>
              {s.outcome[outcome]}
            </p>
          )}
          <p className="muted">{status.lastSuccessAt !== null ? s.lastSuccess(when(status.lastSuccessAt)) : s.neverSynced}</p>
          {status.lastError !== null && (
            <p className="notice" data-testid="last-error">
              {s.lastError(status.lastError)}
            </p>
          )}
          {status.nextAttemptAt !== null && !status.running && <p className="muted">{s.nextAttempt(when(status.nextAttemptAt))}</p>}
        </section>

        {overview && (
          <>
            <section className="card" aria-labelledby="sync-attention-title">
              <h2 id="sync-attention-title">{s.attention}</h2>
              {overview.attention.length === 0 ? (
                <p className="muted">{s.attentionNone}</p>
              ) : (
                <>
                  <p>{s.attentionHint}</p>
                  <ul className="sync-list">
                    {overview.attention.map((a) => (
                      <FormLine key={a.formId} householdId={a.householdId} households={overview.households}>
                        <span className="field-error">{s.attentionMessage(a.message)}</span>
                        {a.fields.length > 0 && (
                          <ul className="plain-list">
                            {a.fields.map((f) => (
                              <li key={f.path}>
                                {fieldPathText(f.path)}：{f.message}
                              </li>
                            ))}
                          </ul>
                        )}
                      </FormLine>
                    ))}
                  </ul>
                </>
              )}
            </section>

            {overview.returned.length > 0 && (
              <section className="card" aria-labelledby="sync-returned-title">
                <h2 id="sync-returned-title">{s.returned}</h2>
                <FormList forms={overview.returned} households={overview.households} empty="" note={(f) => s.returnedComment(f.reviewComment)} />
              </section>
            )}

            <section className="card" aria-labelledby="sync-waiting-title">
              <h2 id="sync-waiting-title">{s.waiting}</h2>
              <p data-testid="pending-count">{s.waitingCount(overview.pending)}</p>
              <FormList forms={overview.ready} households={overview.households} empty="" />
            </section>

            <section className="card" aria-labelledby="sync-recent-title">
              <h2 id="sync-recent-title">{s.recent}</h2>
              <FormList
                forms={overview.recentlySynced}
                households={overview.households}
                empty={s.recentNone}
                note={(f) => s.uploadedAt(when(uploadedTime(f)), f.reviewStatus === null ? '' : (s.uploadedReview[f.reviewStatus] ?? ''))}
              />
            </section>
          </>
        )}

        <section className="card" aria-labelledby="sync-device-title">
          <h2 id="sync-device-title">{s.device}</h2>
          {area && (
            <p>
              {s.householdsOnDevice(area.households)}
              <br />
              <span className="muted">{area.lastDownloadedAt !== null ? s.lastDownloaded(when(area.lastDownloadedAt)) : s.neverDownloaded}</span>
            </p>
          )}
          {storage && (
            <p className={storage.persisted === false ? 'notice' : 'muted'}>
              {storage.usageBytes !== null && storage.quotaBytes !== null && (
                <>
                  {s.storage(formatBytes(storage.usageBytes), formatBytes(storage.quotaBytes))}
                  <br />
                </>
              )}
              {storage.persisted ? s.storagePersisted : s.storageNotPersisted}
            </p>
          )}
        </section>
      </main>
    </>
  );
}
