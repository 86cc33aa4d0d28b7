import { useCallback, useEffect, useId, useRef, useState, type SyntheticEvent } from 'react';
import type { Me } from '#shared/schemas/auth.ts';
import { ROSTER_DATA_KINDS, type ImportRun, type ImportRunListItem } from '#shared/schemas/roster-import.ts';
import { ApiRequestError, NetworkError } from '../../api/http.ts';
import { rosterImportText as tx } from '../../i18n/roster-import.zh-CN.ts';
import { getImportRun, listImportRuns, reportUrl, templateUrl, uploadImportFiles } from './roster-import-api.ts';
import './roster-import.css';
import { formatBytes } from '#shared/domain/format-bytes.ts';
import { TopBar } from '../../components/TopBar.tsx';

const POLL_MS = 1000;

const fmt = (n: number) => n.toLocaleString('zh-CN');

function when(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

const finished = (r: ImportRun | ImportRunListItem) => r.status === 'succeeded' || r.status === 'failed';

function messageOf(err: unknown): string {
  if (err instanceof ApiRequestError || err instanceof NetworkError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

function ProgressBar({ label, percent, text }: { label: string; percent: number; text: string }) {
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <div className="import-progress">
      <div className="import-progress-track" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={value} aria-valuetext={`${value}%，${text}`}>
        <div className="import-progress-fill" style={{ width: `${value}%` }} />
      </div>
      <p className="import-progress-text" aria-hidden="true">
        {value}% · {text}
      </p>
    </div>
  );
}

function StatusPill({ status }: { status: ImportRun['status'] }) {
  const tone = status === 'succeeded' ? 'pill-ok' : status === 'failed' ? 'import-pill-failed' : 'pill-warn';
  return <span className={`pill import-pill ${tone}`}>{tx.status[status]}</span>;
}

/** Problems shown before "show all": a long table buries the counts on a phone. */
const FIRST_PROBLEMS = 20;

function RunCard({ run }: { run: ImportRun }) {
  const titleId = useId();
  const [showAll, setShowAll] = useState(false);
  // A refused file's reason is already shown above the table.
  const listed = run.problems.filter((p) => !(p.row === null && p.reason === run.fileError));
  const problems = showAll ? listed : listed.slice(0, FIRST_PROBLEMS);
  const active = !finished(run);
  const percent = run.progress.bytesTotal > 0 ? (run.progress.bytesRead / run.progress.bytesTotal) * 100 : 0;
  const showSheet = listed.some((p) => p.sheet !== null);
  return (
    <section className="card import-run" aria-labelledby={titleId}>
      <h2 id={titleId} className="import-run-title">
        <span className="import-file-name">{run.fileName}</span>
        {run.kind && <span className="muted"> · {tx.kinds[run.kind]}</span>} <StatusPill status={run.status} />
      </h2>
      <div aria-live="polite">
        {active && <ProgressBar label={tx.importProgress(run.fileName)} percent={run.status === 'queued' ? 0 : percent} text={tx.rowsRead(fmt(run.progress.rows))} />}
        {run.fileError !== null && (
          <p className="notice import-file-error" role="alert">
            {tx.fileFailed}
            {run.fileError}
          </p>
        )}
      </div>
      {run.status === 'succeeded' && (
        <dl className="import-counts">
          <div className="count-ok">
            <dt>{tx.counts.ok}</dt>
            <dd>{tx.rowsUnit(fmt(run.counts.ok))}</dd>
          </div>
          <div className="count-warning">
            <dt>{tx.counts.warning}</dt>
            <dd>{tx.rowsUnit(fmt(run.counts.warning))}</dd>
          </div>
          <div className="count-error">
            <dt>{tx.counts.error}</dt>
            <dd>{tx.rowsUnit(fmt(run.counts.error))}</dd>
          </div>
        </dl>
      )}
      {run.parts.length > 1 && (
        <div className="import-table-scroll">
          <table className="import-table">
            <caption>{tx.parts.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{tx.parts.sheet}</th>
                <th scope="col">{tx.parts.kind}</th>
                <th scope="col">{tx.parts.rows}</th>
                <th scope="col">{tx.parts.inserted}</th>
                <th scope="col">{tx.parts.updated}</th>
                <th scope="col">{tx.parts.unchanged}</th>
              </tr>
            </thead>
            <tbody>
              {run.parts.map((p) => (
                <tr key={`${p.sheet ?? ''}-${p.kind}`}>
                  <td>{p.sheet ?? '—'}</td>
                  <td>{tx.kinds[p.kind]}</td>
                  <td>{fmt(p.rows)}</td>
                  <td>{fmt(p.inserted)}</td>
                  <td>{fmt(p.updated)}</td>
                  <td>{fmt(p.unchanged)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {problems.length > 0 ? (
        <div className="import-table-scroll">
          <table className="import-table import-problems">
            <caption>{tx.problems.caption(problems.length, run.problemCount - (run.problems.length - listed.length))}</caption>
            <thead>
              <tr>
                {showSheet && <th scope="col">{tx.problems.sheet}</th>}
                <th scope="col">{tx.problems.row}</th>
                <th scope="col">{tx.problems.column}</th>
                <th scope="col">{tx.problems.value}</th>
                <th scope="col">{tx.problems.reason}</th>
                <th scope="col">{tx.problems.severity}</th>
              </tr>
            </thead>
            <tbody>
              {problems.map((p, i) => (
                <tr key={i} className={p.severity === 'error' ? 'row-error' : 'row-warning'}>
                  {showSheet && <td data-label={tx.problems.sheet}>{p.sheet ?? ''}</td>}
                  <td data-label={tx.problems.row}>{p.row ?? '—'}</td>
                  <td data-label={tx.problems.column}>{p.column ?? '—'}</td>
                  <td data-label={tx.problems.value} className="cell-value">
                    {p.value ?? ''}
                  </td>
                  <td data-label={tx.problems.reason} className="cell-reason">
                    {p.reason}
                  </td>
                  <td data-label={tx.problems.severity} className="cell-severity">
                    {p.severity === 'error' ? tx.problems.error : tx.problems.warning}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        run.status === 'succeeded' && <p className="muted">{tx.problems.none}</p>
      )}
      {problems.length < listed.length && (
        <button type="button" className="btn import-refresh" onClick={() => setShowAll(true)}>
          {tx.problems.showMore(listed.length)}
        </button>
      )}
      {!active && run.problemCount > 0 && (
        <p>
          <a href={reportUrl(run.id)} download>
            {tx.report}
          </a>
        </p>
      )}
    </section>
  );
}

function RecentRuns({ runs, onRefresh }: { runs: ImportRunListItem[] | null; onRefresh: () => void }) {
  return (
    <section className="card" aria-labelledby="recent-title">
      <div className="import-section-head">
        <h2 id="recent-title">{tx.recent.title}</h2>
        <button type="button" className="btn import-refresh" onClick={onRefresh}>
          {tx.recent.refresh}
        </button>
      </div>
      {runs === null ? null : runs.length === 0 ? (
        <p className="muted">{tx.recent.none}</p>
      ) : (
        <div className="import-table-scroll">
          <table className="import-table">
            <thead>
              <tr>
                <th scope="col">{tx.recent.when}</th>
                <th scope="col">{tx.recent.file}</th>
                <th scope="col">{tx.recent.kind}</th>
                <th scope="col">{tx.recent.status}</th>
                <th scope="col">{tx.recent.counts}</th>
                <th scope="col">{tx.recent.by}</th>
                <th scope="col">{tx.recent.report}</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <td>{when(r.startedAt)}</td>
                  <td className="import-file-name">{r.fileName}</td>
                  <td>{r.kind ? tx.kinds[r.kind] : ''}</td>
                  <td>
                    <StatusPill status={r.status} />
                  </td>
                  <td>
                    {fmt(r.counts.ok)} / {fmt(r.counts.warning)} / {fmt(r.counts.error)}
                  </td>
                  <td>{r.userName ?? tx.recent.cli}</td>
                  <td>
                    {finished(r) && r.problemCount > 0 && (
                      <a href={reportUrl(r.id)} download aria-label={`${tx.recent.download} ${r.fileName} ${tx.recent.report}`}>
                        {tx.recent.download}
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The administrator's screen for importing the roster and payment lines (issue 3). */
export default function RosterImportPage({ me }: { me: Me }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [upload, setUpload] = useState<{ loaded: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [runs, setRuns] = useState<ImportRun[]>([]);
  const [recent, setRecent] = useState<ImportRunListItem[] | null>(null);

  const refreshRecent = useCallback(() => {
    listImportRuns().then(
      (r) => setRecent(r.runs),
      (err: unknown) => setError(tx.pollFailed(messageOf(err))),
    );
  }, []);

  useEffect(refreshRecent, [refreshRecent]);

  // Poll the runs of this upload until each has finished.
  const pending = runs.filter((r) => !finished(r)).map((r) => r.id);
  const pendingKey = pending.join(',');
  useEffect(() => {
    if (pendingKey === '') return;
    let cancelled = false;
    const timer = setTimeout(() => {
      void Promise.all(pendingKey.split(',').map((id) => getImportRun(id))).then(
        (fresh) => {
          if (cancelled) return;
          setRuns((old) => old.map((r) => fresh.find((f) => f.id === r.id) ?? r));
          if (fresh.every(finished)) refreshRecent();
        },
        (err: unknown) => {
          if (!cancelled) setError(tx.pollFailed(messageOf(err)));
        },
      );
    }, POLL_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [pendingKey, runs, refreshRecent]);

  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    setError(null);
    if (files.length === 0) {
      setError(tx.noFile);
      inputRef.current?.focus();
      return;
    }
    const total = files.reduce((n, f) => n + f.size, 0);
    setUpload({ loaded: 0, total });
    try {
      const res = await uploadImportFiles(files, (loaded, t) => setUpload({ loaded, total: t }));
      const started = await Promise.all(res.imports.map((i) => getImportRun(i.id)));
      setRuns(started);
      setFiles([]);
      if (inputRef.current) inputRef.current.value = '';
    } catch (err) {
      setError(tx.uploadFailed(messageOf(err)));
    } finally {
      setUpload(null);
    }
  }

  const totalSize = files.reduce((n, f) => n + f.size, 0);

  return (
    <>
      <TopBar title={tx.shortTitle} back={{ href: '/', label: tx.back }} />
      <main className="page">
        <h1>{tx.title}</h1>
        {me.role !== 'admin' ? (
          <p className="notice">{tx.adminOnly}</p>
        ) : (
          <>
            <section className="card" aria-labelledby="upload-title">
              <h2 id="upload-title">{tx.uploadTitle}</h2>
              <p>{tx.intro}</p>
              <p className="muted">{tx.rules}</p>
              <form className="import-form" onSubmit={(e) => void submit(e)} noValidate>
                <div className="field">
                  <label htmlFor="import-files">{tx.chooseLabel}</label>
                  <input
                    ref={inputRef}
                    id="import-files"
                    name="files"
                    type="file"
                    accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    multiple
                    disabled={upload !== null}
                    aria-describedby={error ? 'import-error' : undefined}
                    onChange={(e) => {
                      setError(null);
                      setFiles(Array.from(e.target.files ?? []));
                    }}
                  />
                  {files.length > 0 && <p className="muted">{tx.chosen(files.length, formatBytes(totalSize))}</p>}
                </div>
                <button type="submit" className="btn btn-primary" disabled={upload !== null}>
                  {upload ? tx.uploading : tx.start}
                </button>
              </form>
              {upload && <ProgressBar label={tx.uploadProgress} percent={upload.total > 0 ? (upload.loaded / upload.total) * 100 : 0} text={tx.uploaded(formatBytes(upload.loaded), formatBytes(upload.total))} />}
              {error && (
                <p id="import-error" className="form-error" role="alert">
                  {error}
                </p>
              )}
            </section>
            {runs.map((r) => (
              <RunCard key={r.id} run={r} />
            ))}
            <section className="card" aria-labelledby="templates-title">
              <h2 id="templates-title">{tx.templates.title}</h2>
              <p className="muted">{tx.templates.intro}</p>
              <ul className="template-list">
                <li>
                  <a href={templateUrl('workbook.xlsx')} download>
                    {tx.templates.workbook}
                  </a>
                </li>
                {ROSTER_DATA_KINDS.map((k) => (
                  <li key={k}>
                    <a href={templateUrl(`${k}.csv`)} download>
                      {tx.templates.csv(tx.kinds[k])}
                    </a>
                  </li>
                ))}
              </ul>
            </section>
            <RecentRuns runs={recent} onRefresh={refreshRecent} />
          </>
        )}
      </main>
    </>
  );
}
