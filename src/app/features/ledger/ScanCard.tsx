/**
 * The anomaly scan on the ledger page (issue 13, item 4): the newest scan of
 * the area with its progress while it runs (polled), what it found when it
 * is done, and the button that starts a new one. The server runs the scan
 * in the background township by township; leaving the page does not stop it.
 */
import { useEffect, useRef, useState } from 'react';
import type { LedgerScan } from '#shared/schemas/ledger.ts';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import { ledgerText as l } from '../../i18n/ledger.zh-CN.ts';
import { getScan, latestScan, startScan } from './ledger-api.ts';

const POLL_MS = 1500;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const live = (s: LedgerScan | null) => s !== null && (s.status === 'queued' || s.status === 'running');

/** `onFinished` is called when a scan watched here ends, so the list and counts reload. */
export function ScanCard({ onFinished }: { onFinished: () => void }) {
  const [scan, setScan] = useState<LedgerScan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const finished = useRef(onFinished);
  useEffect(() => {
    finished.current = onFinished;
  });

  useEffect(() => {
    let on = true;
    latestScan().then(
      (r) => on && setScan(r.scan),
      (e: unknown) => on && setError(l.failed(message(e))),
    );
    return () => {
      on = false;
    };
  }, []);

  // While a scan runs, poll it; when it ends, tell the page.
  const scanId = scan?.id;
  const running = live(scan);
  useEffect(() => {
    if (!running || scanId === undefined) return;
    let on = true;
    const timer = setInterval(() => {
      getScan(scanId).then(
        (s) => {
          if (!on) return;
          setScan(s);
          if (!live(s)) finished.current();
        },
        () => undefined,
      );
    }, POLL_MS);
    return () => {
      on = false;
      clearInterval(timer);
    };
  }, [running, scanId]);

  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      setScan(await startScan());
    } catch (e) {
      setError(l.failed(message(e)));
    } finally {
      setStarting(false);
    }
  };

  return (
    <section className="card scan-card" aria-label={l.scanTitle}>
      <div className="scan-head">
        <h2>{l.scanTitle}</h2>
        <button type="button" className="btn" disabled={starting || running} onClick={() => void start()}>
          {running ? l.scanning : l.scan}
        </button>
      </div>
      {scan === null && !error && <p className="muted">{l.scanNever}</p>}
      {scan !== null && running && (
        <>
          <ProgressBar
            label={l.scanProgressLabel}
            value={scan.unitsDone}
            max={scan.unitsTotal > 0 ? scan.unitsTotal : null}
            valueText={l.scanProgress(scan.unitsDone, scan.unitsTotal)}
          />
          <p className="muted" role="status">
            {scan.status === 'queued' ? l.scanQueued : l.scanProgress(scan.unitsDone, scan.unitsTotal)}
            {scan.findings > 0 && ` · ${l.scanSoFar(scan.findings)}`}
          </p>
        </>
      )}
      {scan !== null && scan.status === 'done' && (
        <p className="notice state-ok" role="status">
          {l.scanDone(scan.created, scan.linked, scan.known)}
          <span className="muted"> {l.scanWhen(new Date(scan.finishedAt ?? scan.queuedAt).toLocaleString('zh-CN'), scan.username, scan.trigger)}</span>
        </p>
      )}
      {scan !== null && scan.status === 'failed' && (
        <p className="notice state-error" role="alert">
          {scan.error ?? l.scanFailed}
        </p>
      )}
      {error && (
        <p className="notice state-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
