/**
 * One ledger item (issue 13): what it is, where it came from, everything done
 * to it, and the next steps the user may take, each a small form. Online:
 * every step is decided by the server (the shared lifecycle) and recorded.
 */
import { useCallback, useEffect, useId, useState, type SyntheticEvent } from 'react';
import { LEDGER_ACTION_LABELS, LEDGER_STATE_LABELS, type LedgerAction, type LedgerActionKind } from '#shared/domain/ledger/lifecycle.ts';
import { formatYuan, parseYuan } from '#shared/domain/money.ts';
import { MAX_EVIDENCE_PHOTOS, type LedgerItemDetailSchema } from '#shared/schemas/ledger.ts';
import type * as z from 'zod/mini';
import { TopBar } from '../../components/TopBar.tsx';
import { ledgerText as l } from '../../i18n/ledger.zh-CN.ts';
import { actOnLedgerItem, getLedgerItem, tipContact } from './ledger-api.ts';
import { localToday } from '../check-form/datetime.ts';
import { getBlob, markBlobUploaded } from '../../db/blob-store.ts';
import { EvidencePhotosField, keepPhotos } from './EvidencePhotos.tsx';
import { uploadBlob } from '../../sync/push-client.ts';
import './ledger.css';

type Detail = z.infer<typeof LedgerItemDetailSchema>;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const STATE_WORDS: Readonly<Record<string, string | undefined>> = LEDGER_STATE_LABELS;
const ACTION_WORDS: Readonly<Record<string, string | undefined>> = { ...l.historyActions, ...LEDGER_ACTION_LABELS };
const stateLabel = (s: string | null) => (s === null ? '' : (STATE_WORDS[s] ?? s));
const actionLabel = (a: string) => ACTION_WORDS[a] ?? a;

/** The form of one step: the fields its action needs, then 确认. */
function StepForm({ kind, onDone }: { kind: LedgerActionKind; onDone: (a: LedgerAction) => Promise<void> }) {
  const id = useId();
  const [comment, setComment] = useState('');
  const [unit, setUnit] = useState('');
  const [person, setPerson] = useState('');
  const [measure, setMeasure] = useState('');
  const [deadline, setDeadline] = useState('');
  const [referDate, setReferDate] = useState(localToday());
  const [reference, setReference] = useState('');
  const [involved, setInvolved] = useState('');
  const [recovered, setRecovered] = useState('');
  const [outcome, setOutcome] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const needsComment = l.needsComment.has(kind);
  const evidence = kind === 'submit-evidence';

  const build = (): LedgerAction | string => {
    const c = comment.trim() === '' ? undefined : comment.trim();
    switch (kind) {
      case 'dismiss':
      case 'reject-evidence':
      case 'reopen':
        return { kind, comment: comment.trim() };
      case 'submit-evidence':
        if (photos.length > MAX_EVIDENCE_PHOTOS) return l.tooManyPhotos(MAX_EVIDENCE_PHOTOS);
        return { kind, comment: c };
      case 'assign':
        return { kind, assignment: { unit, person, measure, deadline }, comment: c };
      case 'refer':
        return { kind, referral: { date: referDate, reference }, comment: c };
      case 'record': {
        const inv = parseYuan(involved);
        const rec = parseYuan(recovered);
        if (!inv.ok) return inv.message;
        if (!rec.ok) return rec.message;
        return { kind, amountInvolvedFen: inv.fen ?? undefined, amountRecoveredFen: rec.fen ?? undefined, outcome: outcome.trim() === '' ? undefined : outcome.trim(), comment: c };
      }
      default:
        return { kind, comment: c };
    }
  };

  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    const action = build();
    if (typeof action === 'string') {
      setError(action);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // Photos first, each kept on the device and then uploaded by its hash; the step names them.
      if (action.kind === 'submit-evidence' && photos.length > 0) {
        const hashes = await keepPhotos(photos);
        for (const sha of hashes) {
          const blob = await getBlob(sha);
          if (blob) await uploadBlob(sha, blob);
          await markBlobUploaded(sha);
        }
        action.photos = hashes;
      }
      await onDone(action);
    } catch (err) {
      setError(l.actionFailed(message(err)));
    } finally {
      setBusy(false);
    }
  };

  const text = (key: string, label: string, value: string, set: (v: string) => void, type = 'text') => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input id={`${id}-${key}`} type={type} value={value} onChange={(e) => set(e.target.value)} />
    </div>
  );

  return (
    <form className="ledger-step" onSubmit={(e) => void submit(e)} aria-label={LEDGER_ACTION_LABELS[kind]}>
      {kind === 'assign' && (
        <>
          {text('unit', l.unit, unit, setUnit)}
          {text('person', l.person, person, setPerson)}
          {text('measure', l.measureField, measure, setMeasure)}
          {text('deadline', l.deadline, deadline, setDeadline, 'date')}
        </>
      )}
      {kind === 'refer' && (
        <>
          {text('refer-date', l.referDate, referDate, setReferDate, 'date')}
          {text('refer-ref', l.referRef, reference, setReference)}
        </>
      )}
      {kind === 'record' && (
        <>
          {text('involved', l.amountInvolved, involved, setInvolved)}
          {text('recovered', l.amountRecovered, recovered, setRecovered)}
          {text('outcome', l.outcomeField, outcome, setOutcome)}
        </>
      )}
      {evidence && <EvidencePhotosField id={`${id}-photos`} photos={photos} onChange={setPhotos} />}
      <div className="field">
        <label htmlFor={`${id}-comment`}>{needsComment ? l.commentRequired : evidence ? l.evidenceComment : l.comment}</label>
        <textarea id={`${id}-comment`} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
      </div>
      <button type="submit" className="btn btn-primary" disabled={busy || (needsComment && comment.trim() === '') || (evidence && photos.length === 0 && comment.trim() === '')}>
        {l.submit(LEDGER_ACTION_LABELS[kind])}
      </button>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

export default function LedgerItemPage({ itemId }: { itemId: string }) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<LedgerActionKind | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [contact, setContact] = useState<string | null>(null);
  const showContact = async () => {
    try {
      const c = await tipContact(itemId);
      setContact(c.contactName === null && c.contactPhone === null ? l.anonymous : l.contact(c.contactName, c.contactPhone));
    } catch (e) {
      setContact(message(e));
    }
  };

  const load = useCallback(() => {
    getLedgerItem(itemId).then(setDetail, (e: unknown) => setError(l.failed(message(e))));
  }, [itemId]);
  useEffect(load, [load]);

  const take = async (action: LedgerAction) => {
    await actOnLedgerItem(itemId, action);
    // The page shows the new state before it says the step is done, never the old one beside the notice.
    // (A failed re-read is not a failed step: the page then reloads as it can.)
    await getLedgerItem(itemId).then(setDetail, load);
    setOpen(null);
    setNote(l.done(LEDGER_ACTION_LABELS[action.kind]));
  };

  const item = detail?.item;
  return (
    <>
      <TopBar title={l.title} back={{ href: '/ledger', label: l.backToList }} />
      <main className="page page-wide">
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {!item && !error && <p className="muted">{l.loading}</p>}
        {item && (
          <>
            <h1>
              {item.problemCode} {l.number(item.number)}
            </h1>
            <p className="ledger-head">
              <span className={`badge ledger-state-${item.state}`} data-testid="ledger-state">
                {LEDGER_STATE_LABELS[item.state]}
              </span>
              {item.overdue && <span className="badge ledger-overdue-badge">{l.overdue}</span>}
            </p>
            {note && (
              <p className="notice state-ok" role="status">
                {note}
              </p>
            )}
            <section className="card" aria-labelledby="ledger-what">
              <h2 id="ledger-what">{item.title}</h2>
              <p>{item.description}</p>
              <p className="muted">
                {l.area} {item.areaName ?? item.areaCode}
                {item.householdId !== null && ` · ${l.household} ${item.householdId}`}
              </p>
              {item.amountInvolvedFen !== null && <p>{l.amount(formatYuan(item.amountInvolvedFen))}</p>}
              {item.amountRecoveredFen !== null && <p>{l.recovered(formatYuan(item.amountRecoveredFen))}</p>}
              {item.assignment !== null && (
                <>
                  <p>
                    {l.assignment}：{l.assignmentLine(item.assignment.unit, item.assignment.person, item.assignment.deadline)}
                  </p>
                  <p>{l.measure(item.assignment.measure)}</p>
                </>
              )}
              {item.referral !== null && <p>{l.referral(item.referral.date, item.referral.reference)}</p>}
              {item.outcome !== null && <p>{l.outcome(item.outcome)}</p>}
            </section>
            <section className="card" aria-labelledby="ledger-next">
              <h2 id="ledger-next">{l.nextSteps}</h2>
              {detail.allowedActions.length === 0 && <p className="muted">{l.noSteps}</p>}
              <div className="button-row">
                {detail.allowedActions.map((a) => (
                  <button key={a} type="button" className={open === a ? 'btn btn-primary' : 'btn'} aria-expanded={open === a} onClick={() => setOpen(open === a ? null : a)}>
                    {LEDGER_ACTION_LABELS[a]}
                  </button>
                ))}
              </div>
              {open !== null && <StepForm key={open} kind={open} onDone={take} />}
            </section>
            <section className="card" aria-labelledby="ledger-sources">
              <h2 id="ledger-sources">{l.sources}</h2>
              <ul className="plain-list">
                {detail.sources.map((s) => (
                  <li key={`${s.kind}:${s.ref}`}>
                    {l.sourceKind[s.kind] ?? s.kind} · {new Date(s.createdAt).toLocaleString('zh-CN', { hour12: false })}
                  </li>
                ))}
              </ul>
              {detail.sources.some((s) => s.kind === 'tip') &&
                (contact === null ? (
                  <button type="button" className="btn" onClick={() => void showContact()}>
                    {l.showContact}
                  </button>
                ) : (
                  <p data-testid="tip-contact">{contact}</p>
                ))}
            </section>
            {detail.evidence.length > 0 && (
              <section className="card" aria-labelledby="ledger-evidence">
                <h2 id="ledger-evidence">{l.evidenceTitle}</h2>
                <ul className="ledger-photos" data-testid="ledger-evidence">
                  {detail.evidence.map((e, i) => {
                    const caption = l.evidencePhoto(i + 1, e.username, new Date(e.createdAt).toLocaleString('zh-CN', { hour12: false }));
                    return (
                      <li key={e.sha256}>
                        <a href={`/api/blobs/${e.sha256}`} target="_blank" rel="noreferrer">
                          <img src={`/api/blobs/${e.sha256}`} alt={caption} loading="lazy" />
                        </a>
                        <span className="muted">{caption}</span>
                      </li>
                    );
                  })}
                </ul>
              </section>
            )}
            <section className="card" aria-labelledby="ledger-history">
              <h2 id="ledger-history">{l.history}</h2>
              <ol className="plain-list" data-testid="ledger-history">
                {detail.history.map((h, i) => (
                  <li key={i}>
                    {new Date(h.at).toLocaleString('zh-CN', { hour12: false })} · {l.historyLine(h.username ?? '—', actionLabel(h.action), stateLabel(h.toState))}
                    {h.comment !== null && <span className="muted">（{h.comment}）</span>}
                  </li>
                ))}
              </ol>
            </section>
          </>
        )}
      </main>
    </>
  );
}
