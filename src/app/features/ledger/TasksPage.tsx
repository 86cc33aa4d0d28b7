/**
 * A village cadre's rectification tasks (issue 13, item 3), offline: the
 * items of the village assigned for rectification, as the last sync brought
 * them. The cadre starts one and sends the evidence (photos, a note); each
 * step is kept on the phone and goes up with the next sync, like a form. A
 * step the server refused (the item moved on meanwhile) shows its reason.
 */
import { useEffect, useId, useState, type SyntheticEvent } from 'react';
import { LEDGER_STATE_LABELS } from '#shared/domain/ledger/lifecycle.ts';
import { MAX_EVIDENCE_PHOTOS } from '#shared/schemas/ledger.ts';
import { TopBar } from '../../components/TopBar.tsx';
import { observeDevice } from '../../db/live.ts';
import { dismissRefusedStep, listTaskViews, queueLedgerStep, type TaskView } from '../../db/ledger-store.ts';
import { ledgerText as l } from '../../i18n/ledger.zh-CN.ts';
import { localToday } from '../check-form/datetime.ts';
import { EvidencePhotosField, keepPhotos } from './EvidencePhotos.tsx';
import './ledger.css';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function EvidenceForm({ itemId, onSaved }: { itemId: string; onSaved: () => void }) {
  const id = useId();
  const [photos, setPhotos] = useState<File[]>([]);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    if (photos.length > MAX_EVIDENCE_PHOTOS) {
      setError(l.tooManyPhotos(MAX_EVIDENCE_PHOTOS));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // Each photo compressed and kept on the phone first; the step names them by hash.
      const hashes = await keepPhotos(photos);
      const refused = await queueLedgerStep(itemId, { kind: 'submit-evidence', comment: comment.trim() === '' ? undefined : comment.trim(), photos: hashes }, localToday(), l.taskGone);
      if (refused !== null) setError(refused);
      else onSaved();
    } catch (err) {
      setError(l.actionFailed(message(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="ledger-step" onSubmit={(e) => void submit(e)} aria-label={l.evidenceTitle}>
      <EvidencePhotosField id={`${id}-photos`} photos={photos} onChange={setPhotos} />
      <div className="field">
        <label htmlFor={`${id}-comment`}>{l.evidenceComment}</label>
        <textarea id={`${id}-comment`} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
      </div>
      <button type="submit" className="btn btn-primary" disabled={busy || (photos.length === 0 && comment.trim() === '')}>
        {l.submit(l.sendEvidence)}
      </button>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function TaskCard({ view, syncNow }: { view: TaskView; syncNow: () => Promise<unknown> }) {
  const { item, allowedActions } = view.task;
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const saved = () => {
    setOpen(false);
    setNote(l.savedOnDevice);
    // Try at once; offline, the runner sends it when a signal comes.
    void syncNow();
  };
  const start = async () => {
    setError(null);
    const refused = await queueLedgerStep(item.id, { kind: 'start' }, localToday(), l.taskGone);
    if (refused !== null) setError(refused);
    else saved();
  };

  return (
    <li className={item.overdue ? 'card ledger-task ledger-overdue' : 'card ledger-task'} data-task-number={item.number}>
      <p className="ledger-head">
        <span className="tag">{item.problemCode}</span>
        <span className="ledger-number">{l.number(item.number)}</span>
        <span className={`badge ledger-state-${item.state}`}>{LEDGER_STATE_LABELS[item.state]}</span>
        {item.overdue && <span className="badge ledger-overdue-badge">{l.overdue}</span>}
        {view.pending.length > 0 && <span className="badge badge-draft">{l.pendingSteps(view.pending.length)}</span>}
      </p>
      <h2 className="ledger-task-title">{item.title}</h2>
      <p className="muted">{item.description}</p>
      {item.assignment && (
        <p>
          {l.assignmentLine(item.assignment.unit, item.assignment.person, item.assignment.deadline)}
          <br />
          <span className="muted">{item.assignment.measure}</span>
        </p>
      )}
      {view.refused.map((r) => (
        <div key={r.seq} className="notice state-error" role="alert">
          {l.stepRefused(r.error ?? '')}{' '}
          <button type="button" className="btn btn-small" onClick={() => r.seq !== undefined && void dismissRefusedStep(r.seq)}>
            {l.understood}
          </button>
        </div>
      ))}
      {note && (
        <p className="notice state-ok" role="status">
          {note}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="button-row">
        {allowedActions.includes('start') && (
          <button type="button" className="btn btn-primary" onClick={() => void start()}>
            {l.startRectification}
          </button>
        )}
        {allowedActions.includes('submit-evidence') && !open && (
          <button type="button" className="btn btn-primary" onClick={() => setOpen(true)}>
            {l.sendEvidence}
          </button>
        )}
      </div>
      {open && <EvidenceForm itemId={item.id} onSaved={saved} />}
    </li>
  );
}

export default function TasksPage({ syncNow }: { syncNow: () => Promise<unknown> }) {
  const [views, setViews] = useState<TaskView[] | null>(null);
  useEffect(() => observeDevice(listTaskViews, setViews), []);
  return (
    <>
      <TopBar title={l.tasksTitle} back={{ href: '/', label: l.back }} />
      <main className="page">
        <h1>{l.tasksTitle}</h1>
        <p className="muted">{l.tasksIntro}</p>
        {views === null && <p className="muted">{l.loading}</p>}
        {views !== null && views.length === 0 && <p className="notice">{l.noTasks}</p>}
        {views !== null && views.length > 0 && (
          <ul className="plain-list ledger-tasks" data-testid="ledger-tasks">
            {views.map((v) => (
              <TaskCard key={v.task.item.id} view={v} syncNow={syncNow} />
            ))}
          </ul>
        )}
      </main>
    </>
  );
}
