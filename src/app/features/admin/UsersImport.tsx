import { useId, useState, type SyntheticEvent } from 'react';
import type { UserImportReport } from '#shared/schemas/users.ts';
import { accountText as a } from '../../i18n/account.zh-CN.ts';
import { importUsers } from './users-api.ts';

const b = a.bulk;

/** One CSV cell: quoted when it holds a comma, quote or line break; a leading = + - @ cannot become a formula. */
function cell(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([`\uFEFF${text}`], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Accounts from a file (issue 12, item 1): upload, then the report row by row.
 * The temporary passwords are shown once, here, and can be saved as a CSV to
 * hand out; the server keeps only their hashes.
 */
export function UsersImport({ onCreated }: { onCreated: () => void }) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<UserImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      const r = await importUsers(file);
      setReport(r);
      if (r.created.length > 0) onCreated();
    } catch (err) {
      setError(b.failed(err instanceof Error ? err.message : String(err)));
    } finally {
      setBusy(false);
    }
  };

  const passwordsCsv = (r: UserImportReport) =>
    [b.passwordsCsvHeader, ...r.created.map((c) => [c.row, c.username, c.displayName, a.roles[c.role], c.areaCode, c.temporaryPassword])].map((row) => row.map(cell).join(',')).join('\r\n');

  return (
    <section className="card users-bulk" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{b.title}</h2>
      <p className="muted">{b.intro}</p>
      <form onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor={`${id}-file`}>{b.file}</label>
          <input id={`${id}-file`} type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        <div className="button-row">
          <button type="submit" className="btn btn-primary" disabled={!file || busy}>
            {busy ? b.uploading : b.upload}
          </button>
          <button type="button" className="btn" onClick={() => download(b.templateName, b.templateCsv)}>
            {b.template}
          </button>
        </div>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {report && (
        <div data-testid="users-import-report">
          <p className="notice state-ok" role="status">
            {b.summary(report.created.length, report.problems.length)}
          </p>
          {report.created.length > 0 && (
            <>
              <h3>{b.createdTitle}</h3>
              {/* Focusable, so a keyboard can scroll a table wider than a phone. */}
              <div className="table-scroll" tabIndex={0} role="region" aria-label={b.createdTitle}>
                <table className="users-table">
                  <thead>
                    <tr>
                      <th scope="col">{b.head.row}</th>
                      <th scope="col">{b.head.username}</th>
                      <th scope="col">{b.head.name}</th>
                      <th scope="col">{b.head.password}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.created.map((c) => (
                      <tr key={c.id}>
                        <td>{c.row}</td>
                        <td>{c.username}</td>
                        <td>{c.displayName}</td>
                        <td className="users-mono">{c.temporaryPassword}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <button type="button" className="btn" onClick={() => download(b.downloadName, passwordsCsv(report))}>
                {b.download}
              </button>
            </>
          )}
          {report.problems.length > 0 && (
            <>
              <h3>{b.problemsTitle}</h3>
              <div className="table-scroll" tabIndex={0} role="region" aria-label={b.problemsTitle}>
                <table className="users-table" data-testid="users-import-problems">
                  <thead>
                    <tr>
                      <th scope="col">{b.head.row}</th>
                      <th scope="col">{b.head.column}</th>
                      <th scope="col">{b.head.reason}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.problems.map((p, i) => (
                      <tr key={i}>
                        <td>{p.row}</td>
                        <td>{p.column}</td>
                        <td className="users-reason">{p.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </div>
      )}
    </section>
  );
}
