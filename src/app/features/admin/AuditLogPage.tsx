/**
 * The admin's audit log: who did what, when and from where, newest first,
 * with filters, the chain check and a CSV export (GET /api/admin/audit…).
 */
import { useEffect, useState, type SyntheticEvent } from 'react';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry, type AuditVerify } from '#shared/schemas/audit.ts';
import { TopBar } from '../../components/TopBar.tsx';
import { auditText as a } from '../../i18n/audit.zh-CN.ts';
import { auditExportUrl, listAudit, verifyAudit, type AuditFilter } from './audit-api.ts';
import './audit.css';

const NO_FILTER: AuditFilter = { action: '', user: '', from: '', to: '' };

function when(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });
}

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The facts of an entry a person reads, by action; anything else as it was recorded. */
function detail(e: AuditEntry): string {
  const d = e.details;
  switch (e.action) {
    case 'auth.sign_in':
      return typeof d.deviceId === 'string' ? a.device(d.deviceId.slice(0, 8)) : '';
    case 'auth.sign_in_failed':
      return a.failReason[text(d.reason)] ?? text(d.reason);
    case 'form.review':
      return a.reviewDetail(a.review[text(d.review)] ?? text(d.review), Number(d.rev));
    case 'audit.verify':
      return d.ok === true ? a.verifyDetailOk(Number(d.checked)) : a.verifyDetailBad(Number(d.broken));
    case 'import.run':
      return a.importDetail(text(d.fileName), a.importStatus[text(d.status)] ?? text(d.status));
    default:
      return Object.keys(d).length === 0 ? '' : JSON.stringify(d);
  }
}

function VerifyResult({ result }: { result: AuditVerify }) {
  if (result.ok) {
    return (
      <div className="notice state-ok" role="status" data-testid="audit-verify">
        <p>{a.verifiedOk(result.checked)}</p>
        {result.head && <p className="audit-hash">{a.head(result.head.seq, result.head.hash)}</p>}
      </div>
    );
  }
  return (
    <div className="notice" role="alert" data-testid="audit-verify">
      <p>{a.verifiedBad(result.broken.length)}</p>
      <ul>
        {result.broken.map((b) => (
          <li key={`${b.seq}-${b.reason}`}>{a.broken[b.reason](b.seq)}</li>
        ))}
      </ul>
    </div>
  );
}

export default function AuditLogPage() {
  const [draft, setDraft] = useState<AuditFilter>(NO_FILTER);
  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [verified, setVerified] = useState<AuditVerify | null>(null);

  /** The next page's entries follow the ones shown; a first page replaces them. */
  const load = (f: AuditFilter, before: number | null, isLive: () => boolean = () => true) =>
    listAudit(f, before).then(
      (page) => {
        if (!isLive()) return;
        setError(null);
        setEntries((prev) => (before === null ? page.entries : [...(prev ?? []), ...page.entries]));
        setNext(page.next);
      },
      (e: unknown) => isLive() && setError(e instanceof Error ? e.message : String(e)),
    );

  useEffect(() => {
    let live = true;
    void load(filter, null, () => live);
    return () => {
      live = false;
    };
  }, [filter]);

  const apply = (e: SyntheticEvent) => {
    e.preventDefault();
    setEntries(null);
    setFilter(draft);
  };

  const check = () => {
    setVerifying(true);
    verifyAudit()
      .then(setVerified, (e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setVerifying(false));
  };

  return (
    <>
      <TopBar title={a.title} back={{ href: '/', label: a.back }} />
      <main className="page">
        <h1>{a.title}</h1>
        <p className="muted">{a.intro}</p>
        <form className="card audit-filters" onSubmit={apply} aria-label={a.filters}>
          <div className="field">
            <label htmlFor="audit-action">{a.action}</label>
            <select id="audit-action" value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value as AuditAction | '' })}>
              <option value="">{a.anyAction}</option>
              {AUDIT_ACTIONS.map((x) => (
                <option key={x} value={x}>
                  {a.actions[x]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="audit-user">{a.user}</label>
            <input id="audit-user" value={draft.user} autoComplete="off" onChange={(e) => setDraft({ ...draft, user: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="audit-from">{a.from}</label>
            <input id="audit-from" type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="audit-to">{a.to}</label>
            <input id="audit-to" type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
          </div>
          <div className="button-row audit-buttons">
            <button type="submit" className="btn btn-primary">
              {a.apply}
            </button>
            <a className="btn" href={auditExportUrl(filter)} download>
              {a.exportCsv}
            </a>
            <button type="button" className="btn" onClick={check} disabled={verifying}>
              {verifying ? a.verifying : a.verify}
            </button>
          </div>
        </form>
        {verified && <VerifyResult result={verified} />}
        {error && (
          <p className="form-error" role="alert">
            {a.loadFailed(error)}
          </p>
        )}
        {entries === null && !error && <p className="muted">{a.loading}</p>}
        {entries?.length === 0 && <p className="muted">{a.empty}</p>}
        {entries && entries.length > 0 && (
          <ul className="card-list audit-list" data-testid="audit-list">
            {entries.map((e) => (
              <li key={e.seq} className="card audit-entry" data-action={e.action}>
                <p className="audit-head">
                  <strong>{a.actions[e.action]}</strong>
                  <span className="muted">
                    {a.seq(e.seq)} · {when(e.at)}
                  </span>
                </p>
                <p>
                  {e.username ?? a.nobody}
                  {e.ip && <span className="muted"> · {a.from_ip(e.ip)}</span>}
                </p>
                {e.targetType && (
                  <p className="muted audit-target">
                    {a.target[e.targetType] ?? e.targetType} {e.targetId}
                  </p>
                )}
                {detail(e) && <p className="audit-detail">{detail(e)}</p>}
              </li>
            ))}
          </ul>
        )}
        {next !== null && (
          <button type="button" className="btn btn-block" onClick={() => void load(filter, next)}>
            {a.more}
          </button>
        )}
      </main>
    </>
  );
}
