import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { formatYuan, formatYuanAmount } from '#shared/domain/money.ts';
import { problemTitle } from '#shared/domain/problem-codes.ts';
import { accountCheckKey, accountShown, type CheckFormBody } from '#shared/schemas/check-form.ts';
import type { FormDetail } from '#shared/schemas/review.ts';
import { TopBar } from '../../components/TopBar.tsx';
import { formPrintText as p } from '../../i18n/form-print.zh-CN.ts';
import { reviewText as r } from '../../i18n/review.zh-CN.ts';
import { getForm } from './review-api.ts';
import './form-print.css';

const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');
const yn = (v: boolean | null | undefined) => r.yesNo[String(v ?? null) as 'true' | 'false' | 'null'];

/**
 * One household's form as the paper archive keeps it (资料留存, issue 15, item 5):
 * an A4 portrait document with the signature image, printed from the browser.
 * Numbers stay masked, as on the review screen.
 */
export default function FormPrintPage({ formId }: { formId: string }) {
  const [detail, setDetail] = useState<FormDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    getForm(formId)
      .then((d) => live && setDetail(d))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [formId]);

  const header = <TopBar title={p.printLink} back={{ href: `/review/${encodeURIComponent(formId)}`, label: p.back }} />;
  if (!detail) {
    return (
      <>
        {header}
        <main className="page">{error ? <p role="alert" className="form-error">{p.loadFailed(error)}</p> : <p className="muted">{p.loading}</p>}</main>
      </>
    );
  }
  const f = detail.form;
  const body = detail.body as CheckFormBody;
  const masked = detail.maskedIds ?? {};
  const personName = (key: string) => body.members.find((m) => m.personId === key)?.name ?? masked[key] ?? '—';
  const gps = body.evidence.gps;
  return (
    <>
      {header}
      <main className="page form-print-page">
        <div className="no-print form-print-controls">
          <p className="muted">{p.hint}</p>
          <button type="button" className="btn btn-primary" onClick={() => window.print()}>
            {p.print}
          </button>
        </div>
        <article className="form-print" aria-labelledby="form-print-title" tabIndex={0}>
          <h1 id="form-print-title">{p.title}</h1>
          <p className="form-print-no">{p.formNo(f.id, f.rev)}</p>
          <table className="form-print-grid">
            <tbody>
              <tr>
                <th scope="row">{p.place.county}</th>
                <td>{detail.places?.county ?? '—'}</td>
                <th scope="row">{p.place.township}</th>
                <td>{detail.places?.township ?? '—'}</td>
                <th scope="row">{p.place.village}</th>
                <td>{f.villageName ?? f.villageCode}</td>
              </tr>
              <tr>
                <th scope="row">{p.place.group}</th>
                <td>{f.groupName ?? '—'}</td>
                <th scope="row">{p.place.house}</th>
                <td>{body.household.houseNumber || f.houseNumber || '—'}</td>
                <th scope="row">{p.head}</th>
                <td>{f.headName ?? '—'}</td>
              </tr>
              <tr>
                <th scope="row">{p.outcome}</th>
                <td>
                  {r.outcome[body.outcome]}
                  {body.outcomeReason ? `（${body.outcomeReason}）` : ''}
                </td>
                <th scope="row">{p.phone}</th>
                <td>{body.household.phone || '—'}</td>
                <th scope="row">{p.cadreRelative}</th>
                <td>
                  {yn(body.household.hasCadreRelative)}
                  {body.household.cadreRelativeNote ? `：${body.household.cadreRelativeNote}` : ''}
                </td>
              </tr>
            </tbody>
          </table>

          <h2>{p.members}</h2>
          <table className="form-print-table">
            <thead>
              <tr>
                <th scope="col">{p.memberCols.name}</th>
                <th scope="col">{p.memberCols.id}</th>
                <th scope="col">{p.memberCols.present}</th>
                <th scope="col">{p.memberCols.status}</th>
              </tr>
            </thead>
            <tbody>
              {body.members.map((m) => (
                <tr key={m.personId}>
                  <td>{m.name}</td>
                  <td className="num">{m.isNew ? `${r.newMember}${m.idNumber ? ` ${m.idNumber}` : ''}` : (masked[m.personId] ?? '—')}</td>
                  <td>{r.present[String(m.present) as 'true' | 'false' | 'null']}</td>
                  <td>{m.status ? r.memberStatus[m.status] : r.unanswered}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <h2>{p.items}</h2>
          {body.items.length === 0 ? (
            <p>{r.noItems}</p>
          ) : (
            <table className="form-print-table">
              <thead>
                <tr>
                  <th scope="col">{p.itemCols.item}</th>
                  <th scope="col">{p.itemCols.person}</th>
                  <th scope="col">{p.itemCols.ledger}</th>
                  <th scope="col">{p.itemCols.said}</th>
                  <th scope="col">{p.itemCols.knows}</th>
                  <th scope="col">{p.itemCols.received}</th>
                  <th scope="col">{p.itemCols.onTime}</th>
                  <th scope="col">{p.itemCols.ownCard}</th>
                  <th scope="col">{p.itemCols.distribution}</th>
                  <th scope="col">{p.itemCols.note}</th>
                </tr>
              </thead>
              <tbody>
                {body.items.map((i) => (
                  <tr key={`${i.personId}|${i.itemCode}`}>
                    <td>{detail.itemNames[i.itemCode] ?? i.itemCode}</td>
                    <td>{personName(i.personId)}</td>
                    <td className="num">{formatYuanAmount(i.ledgerAmountFen)}</td>
                    <td className="num">{i.amountReceivedFen === null ? r.unanswered : formatYuanAmount(i.amountReceivedFen)}</td>
                    <td>{yn(i.knows)}</td>
                    <td>{i.received ? r.receipt[i.received] : r.unanswered}</td>
                    <td>{yn(i.onTime)}</td>
                    <td>{yn(i.intoOwnCard)}</td>
                    <td>{i.distribution ? r.distribution[i.distribution] : r.unanswered}</td>
                    <td>{i.note || ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <h2>{p.accounts}</h2>
          {body.accounts.length === 0 ? (
            <p>{r.noAccounts}</p>
          ) : (
            <table className="form-print-table">
              <thead>
                <tr>
                  <th scope="col">{p.accountCols.bank}</th>
                  <th scope="col">{p.accountCols.number}</th>
                  <th scope="col">{p.accountCols.heldBy}</th>
                  <th scope="col">{p.accountCols.cards}</th>
                  <th scope="col">{p.accountCols.fees}</th>
                  <th scope="col">{p.accountCols.sms}</th>
                </tr>
              </thead>
              <tbody>
                {body.accounts.map((a) => (
                  <tr key={accountCheckKey(a)}>
                    <td>{a.bankName}</td>
                    <td className="num">
                      {accountShown(a)}
                      {a.isNew === true ? `（${r.newMember}）` : ''}
                    </td>
                    <td>{a.heldBy ? r.holders[a.heldBy] : r.unanswered}</td>
                    <td className="num">{a.cardCount ?? r.unanswered}</td>
                    <td>{a.feesDeducted === true && a.feeAmountFen !== null ? r.feesDeducted(formatYuan(a.feeAmountFen)) : yn(a.feesDeducted)}</td>
                    <td>{yn(a.smsReceived)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <h2>{p.publicity}</h2>
          <p>{r.publicityLine(yn(body.publicity.sawPolicyList), yn(body.publicity.sawResults))}</p>

          <h2>{p.problems}</h2>
          {body.problems.length === 0 ? (
            <p>{r.noProblems}</p>
          ) : (
            <table className="form-print-table">
              <thead>
                <tr>
                  <th scope="col">{p.problemCols.code}</th>
                  <th scope="col">{p.problemCols.title}</th>
                  <th scope="col">{p.problemCols.description}</th>
                  <th scope="col">{p.problemCols.amount}</th>
                </tr>
              </thead>
              <tbody>
                {body.problems.map((x) => (
                  <tr key={x.key}>
                    <td>{x.code}</td>
                    <td>{problemTitle(x.code)}</td>
                    <td>{x.description}</td>
                    <td className="num">{x.amountFen === null ? '' : formatYuanAmount(x.amountFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <section className="form-print-evidence" aria-labelledby="form-print-evidence">
            <h2 id="form-print-evidence">{p.evidence}</h2>
            <div className="form-print-evidence-grid">
              <dl>
                <dt>{p.visitedAt}</dt>
                <dd>{when(body.evidence.visitedAt)}</dd>
                <dt>{p.gps}</dt>
                <dd>{gps ? r.gpsLine(gps.lat.toFixed(5), gps.lon.toFixed(5), Math.round(gps.accuracyM)) : r.noGps(body.evidence.gpsUnavailableReason)}</dd>
                <dt>{p.author}</dt>
                <dd>{f.authorName}</dd>
                <dt>{p.review}</dt>
                <dd>
                  {r.status[f.reviewStatus]}
                  {f.reviewComment ? `：${f.reviewComment}` : ''}
                </dd>
                <dt>{p.printedAt}</dt>
                <dd>{when(new Date().toISOString())}</dd>
              </dl>
              <figure className="form-print-signature">
                {body.evidence.signatureBlob ? <img src={`/api/blobs/${body.evidence.signatureBlob}`} alt={p.signature} /> : <p>{p.noSignature}</p>}
                <figcaption>{p.signature}</figcaption>
              </figure>
            </div>
          </section>
        </article>
        <p className="no-print">
          <Link href={`/review/${encodeURIComponent(formId)}`}>{p.back}</Link>
        </p>
      </main>
    </>
  );
}
