import { useCallback, useEffect, useState } from 'react';
import { Link } from 'wouter';
import { isSectionId, SECTION_IDS, type SectionId } from '#shared/domain/check-form-rules.ts';
import { formatYuan, formatYuanAmount } from '#shared/domain/money.ts';
import { problemTitle } from '#shared/domain/problem-codes.ts';
import { accountCheckKey, accountShown, type CheckFormBody } from '#shared/schemas/check-form.ts';
import type { FormDetail } from '#shared/schemas/review.ts';
import { ApiRequestError, NetworkError } from '../../api/http.ts';
import { reviewText as r } from '../../i18n/review.zh-CN.ts';
import { markUnsaved } from '../../pwa/unsaved-input.ts';
import { getForm, resolveConflict, reviewForm } from './review-api.ts';
import { TopBar } from '../../components/TopBar.tsx';
import { RevealNumber } from './RevealNumber.tsx';
import type { VisitFlag } from '#shared/domain/inspection/visit-proof.ts';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');

/** What the app recorded of the visit, and where it points to look (visit proof: evidence, not proof). */
function VisitCard({ visit, flags }: { visit: CheckFormBody['visit']; flags: VisitFlag[] }) {
  const seconds = visit ? Object.values(visit.activeSeconds).reduce((a, b) => a + b, 0) : 0;
  return (
    <section className="card" aria-labelledby="visit-title" data-testid="visit-card">
      <h2 id="visit-title">{r.visit.title}</h2>
      {flags.length > 0 && (
        <ul className="visit-flags">
          {flags.map((f) => (
            <li key={f} className="notice">
              {r.visit.flags[f]}
            </li>
          ))}
        </ul>
      )}
      {!visit && <p className="muted">{r.visit.none}</p>}
      {visit && (
        <>
          <p>{r.visit.times(when(visit.openedAt), when(visit.submittedAt), Math.round(seconds / 60))}</p>
          <p>
            {r.visit.gpsOpen}：{visit.gpsOpen ? r.gpsLine(visit.gpsOpen.lat.toFixed(5), visit.gpsOpen.lon.toFixed(5), Math.round(visit.gpsOpen.accuracyM)) : '—'}
          </p>
          <p>
            {r.visit.gpsSubmit}：{visit.gpsSubmit ? r.gpsLine(visit.gpsSubmit.lat.toFixed(5), visit.gpsSubmit.lon.toFixed(5), Math.round(visit.gpsSubmit.accuracyM)) : '—'}
          </p>
        </>
      )}
      <p className="muted">{r.visit.note}</p>
    </section>
  );
}

const yn = (v: boolean | null | undefined) => r.yesNo[String(v ?? null) as 'true' | 'false' | 'null'];

function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return r.yesNo[String(v) as 'true' | 'false'];
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

/** One synced form: what the cadre recorded, its conflicts and history, and the supervisor's decision. */
export default function ReviewDetailPage({ formId }: { formId: string }) {
  const [detail, setDetail] = useState<FormDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [section, setSection] = useState<SectionId | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => {
    getForm(formId)
      .then(setDetail)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [formId]);
  useEffect(load, [load]);
  // A half-written comment lives only in this screen: hold back a service-worker update (UpdatePrompt) until it is sent.
  const unsaved = comment.trim() !== '';
  useEffect(() => {
    markUnsaved('review-comment', unsaved);
    return () => markUnsaved('review-comment', false);
  }, [unsaved]);

  async function act(fn: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await fn();
      setComment('');
      setNotice(r.done);
      load();
    } catch (e) {
      if (e instanceof ApiRequestError || e instanceof NetworkError) setError(e.message);
      else throw e;
    } finally {
      setBusy(false);
    }
  }

  const header = (
    <TopBar title={r.title} back={{ href: '/review', label: r.backToList }} />
  );
  if (!detail) {
    return (
      <>
        {header}
        <main className="page">{error ? <p role="alert" className="form-error">{r.loadFailed(error)}</p> : <p className="muted">{r.loading}</p>}</main>
      </>
    );
  }
  const f = detail.form;
  const body = detail.body as CheckFormBody;
  const maskedIds = detail.maskedIds ?? {};
  return (
    <>
      {header}
      <main className="page">
        <h1>
          {f.headName ?? f.householdId} · {r.household(f.villageName, f.groupName, f.houseNumber)}
        </h1>
        <p className="muted">
          {r.status[f.reviewStatus]} · {r.rev(f.rev)} · {r.author} {f.authorName} ·{' '}
          <Link href={`/review/${encodeURIComponent(formId)}/print`}>{r.printForm}</Link>
        </p>
        {notice && <p role="status" className="notice">{notice}</p>}
        {error && <p role="alert" className="form-error">{error}</p>}

        {detail.conflicts.length > 0 && (
          <section className="card card-warn" aria-labelledby="conflicts-title">
            <h2 id="conflicts-title">{r.conflicts}</h2>
            <ul className="plain-list">
              {detail.conflicts.map((c) => (
                <li key={c.path} className="conflict">
                  <code>{c.path}</code>
                  <div>
                    {r.conflictMine}：<strong>{show(c.mine)}</strong>
                  </div>
                  <div>
                    {r.conflictTheirs}：<strong>{show(c.theirs)}</strong>
                  </div>
                  <div className="button-row">
                    <button type="button" className="btn" disabled={busy} onClick={() => void act(() => resolveConflict(formId, f.rev, c.path, c.mine))}>
                      {r.pickMine}
                    </button>
                    <button type="button" className="btn" disabled={busy} onClick={() => void act(() => resolveConflict(formId, f.rev, c.path, c.theirs))}>
                      {r.pickTheirs}
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          </section>
        )}

        <section className="card" aria-labelledby="household-answers-title">
          <h2 id="household-answers-title">{r.householdAnswers}</h2>
          <p>{r.outcomeLine(r.outcome[body.outcome], body.outcomeReason)}</p>
          <p>{r.phone(body.household.phone)}</p>
          <p>
            {r.cadreRelative[String(body.household.hasCadreRelative) as 'true' | 'false' | 'null']}
            {body.household.cadreRelativeNote ? `：${body.household.cadreRelativeNote}` : ''}
          </p>
        </section>

        <section className="card" aria-labelledby="members-title">
          <h2 id="members-title">{r.members}</h2>
          <ul className="plain-list">
            {body.members.map((m) => (
              <li key={m.personId}>
                {m.name}（{m.isNew ? `${r.newMember}${m.idNumber ? ` ${m.idNumber}` : ''}` : (maskedIds[m.personId] ?? '—')}）· {r.present[String(m.present) as 'true' | 'false' | 'null']} · {m.status ? r.memberStatus[m.status] : '—'}{' '}
                {(m.isNew ? Boolean(m.idNumber) : maskedIds[m.personId] !== undefined) && <RevealNumber formId={formId} kind="citizen-id" numberKey={m.personId} />}
              </li>
            ))}
          </ul>
        </section>

        <section className="card" aria-labelledby="items-title">
          <h2 id="items-title">{r.items}</h2>
          {body.items.length === 0 && <p className="muted">{r.noItems}</p>}
          <ul className="plain-list">
            {body.items.map((i) => (
              <li key={`${i.personId}|${i.itemCode}`}>
                {r.itemLine(
                  detail.itemNames[i.itemCode] ?? i.itemCode,
                  body.members.find((m) => m.personId === i.personId)?.name ?? maskedIds[i.personId] ?? '—',
                  formatYuanAmount(i.ledgerAmountFen),
                  i.amountReceivedFen === null ? null : formatYuanAmount(i.amountReceivedFen),
                )}
                <br />
                <span className="muted">
                  {r.itemAnswers(yn(i.knows), i.received ? r.receipt[i.received] : r.receivedUnanswered, yn(i.onTime), yn(i.intoOwnCard), i.distribution ? r.distribution[i.distribution] : r.distributionUnanswered)}
                  {i.note ? ` · ${i.note}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </section>

        <section className="card" aria-labelledby="accounts-title">
          <h2 id="accounts-title">{r.accounts}</h2>
          {body.accounts.length === 0 ? (
            <p className="muted">{r.noAccounts}</p>
          ) : (
            <ul className="plain-list">
              {body.accounts.map((a) => (
                <li key={accountCheckKey(a)}>
                  {r.accountLine(a.bankName, accountShown(a), a.isNew === true)} <RevealNumber formId={formId} kind="account" numberKey={accountCheckKey(a)} />
                  <br />
                  <span className="muted">{r.accountAnswers(a.heldBy ? r.holders[a.heldBy] : r.unanswered, a.cardCount === null ? '?' : String(a.cardCount), a.feesDeducted === true && a.feeAmountFen !== null ? r.feesDeducted(formatYuan(a.feeAmountFen)) : yn(a.feesDeducted), yn(a.smsReceived))}</span>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="card" aria-labelledby="publicity-title">
          <h2 id="publicity-title">{r.publicity}</h2>
          <p>{r.publicityLine(yn(body.publicity.sawPolicyList), yn(body.publicity.sawResults))}</p>
        </section>

        <section className="card" aria-labelledby="problems-title">
          <h2 id="problems-title">{r.problems}</h2>
          {body.problems.length === 0 ? (
            <p className="muted">{r.noProblems}</p>
          ) : (
            <ul className="plain-list">
              {body.problems.map((p) => (
                <li key={p.key}>
                  <strong>{p.code}</strong> {problemTitle(p.code)}：{p.description}
                  {p.amountFen !== null && `（${formatYuan(p.amountFen)}）`}
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="card" aria-labelledby="evidence-title">
          <h2 id="evidence-title">{r.evidence}</h2>
          <p>
            {r.visitedAt}：{body.evidence.visitedAt ? new Date(body.evidence.visitedAt).toLocaleString('zh-CN', { hour12: false }) : '—'}
          </p>
          <p>
            {r.gps}：{body.evidence.gps ? r.gpsLine(body.evidence.gps.lat.toFixed(5), body.evidence.gps.lon.toFixed(5), Math.round(body.evidence.gps.accuracyM)) : r.noGps(body.evidence.gpsUnavailableReason)}
          </p>
          {body.evidence.signatureBlob ? (
            <img className="signature" src={`/api/blobs/${body.evidence.signatureBlob}`} alt={r.signature} />
          ) : (
            <p className="muted">{r.noSignature}</p>
          )}
        </section>

        {detail.recheck && (
          <section className={detail.recheck.t1Differing > 0 ? 'card card-warn' : 'card'} aria-labelledby="recheck-title" data-testid="recheck-card">
            <h2 id="recheck-title">{r.recheck.title}</h2>
            <p>{r.recheck.summary(detail.recheck.differing, detail.recheck.compared, detail.recheck.t1Differing)}</p>
            <Link href={`/inspection/households/${encodeURIComponent(f.householdId)}`}>{r.recheck.open}</Link>
          </section>
        )}
        <VisitCard visit={body.visit} flags={detail.visitFlags ?? []} />

        {f.reviewStatus === 'returned' && (
          <section className="card" aria-labelledby="actions-title">
            <h2 id="actions-title">{r.actions}</h2>
            <p className="notice">{r.returnedWait}</p>
          </section>
        )}
        {f.reviewStatus === 'submitted' && (
          <section className="card" aria-labelledby="actions-title">
            <h2 id="actions-title">{r.actions}</h2>
            <div className="field">
              <label htmlFor="review-comment">{r.comment}</label>
              <textarea id="review-comment" rows={3} value={comment} onChange={(e) => setComment(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="review-section">{r.section}</label>
              <select id="review-section" value={section ?? ''} onChange={(e) => setSection(isSectionId(e.target.value) ? e.target.value : null)}>
                <option value="">{r.wholeForm}</option>
                {SECTION_IDS.map((s) => (
                  <option key={s} value={s}>
                    {r.sections[s]}
                  </option>
                ))}
              </select>
            </div>
            <div className="button-row">
              <button type="button" className="btn" disabled={busy || comment.trim() === ''} onClick={() => void act(() => reviewForm(formId, 'return', comment.trim(), f.rev, section))}>
                {r.returnForm}
              </button>
              <button type="button" className="btn btn-primary" disabled={busy || detail.conflicts.length > 0} onClick={() => void act(() => reviewForm(formId, 'accept', comment.trim(), f.rev))}>
                {r.accept}
              </button>
            </div>
          </section>
        )}

        <section className="card" aria-labelledby="history-title">
          <h2 id="history-title">{r.history}</h2>
          <ol className="plain-list">
            {detail.history.map((h) => (
              <li key={h.rev}>{r.historyLine(h.rev, h.userName, r.status[h.reviewStatus], new Date(h.createdAt).toLocaleString('zh-CN', { hour12: false }))}{h.reviewComment ? `：${h.reviewComment}` : ''}</li>
            ))}
          </ol>
        </section>
      </main>
    </>
  );
}
