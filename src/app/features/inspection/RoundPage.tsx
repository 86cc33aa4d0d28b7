/**
 * One spot-check round: its seed and frozen input, progress per sampled
 * village (drawn, given to an inspector, re-checked, compared, with a key
 * difference), giving villages to inspectors, the sampled households of a
 * village, and the quality table (error rates per cadre, village, township).
 */
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import type { Inspector, Quality, RoundDetail, SampleHousehold } from '#shared/schemas/inspection.ts';
import { TopBar } from '../../components/TopBar.tsx';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import { inspectionText as x } from '../../i18n/inspection.zh-CN.ts';
import { assignRound, getRound, listInspectors, roundHouseholds, roundQuality } from './inspection-api.ts';
import './inspection.css';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function AssignCard({ roundId, selected, onDone }: { roundId: string; selected: string[]; onDone: () => void }) {
  const [inspectors, setInspectors] = useState<Inspector[]>([]);
  const [who, setWho] = useState('');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    let live = true;
    listInspectors().then(
      (list) => live && setInspectors(list),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  const assign = async () => {
    setBusy(true);
    try {
      const inspectorId = who === 'none' ? null : who;
      const r = await assignRound(roundId, { inspectorId, villageCodes: selected });
      setNote({ ok: true, text: inspectorId === null ? x.unassignedN(r.households) : x.assignedN(r.households) });
      onDone();
    } catch (e) {
      setNote({ ok: false, text: message(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="assign-title">
      <h2 id="assign-title">{x.assignTitle}</h2>
      <div className="field">
        <label htmlFor="assign-inspector">{x.inspector}</label>
        <select id="assign-inspector" value={who} onChange={(e) => setWho(e.target.value)}>
          <option value="">{x.chooseInspector}</option>
          {inspectors.map((i) => (
            <option key={i.id} value={i.id}>{`${i.displayName}（${i.username}）`}</option>
          ))}
          <option value="none">{x.unassign}</option>
        </select>
      </div>
      <p className="muted">{x.pickVillages}</p>
      <button type="button" className="btn btn-primary" disabled={busy || who === '' || selected.length === 0} onClick={() => void assign()}>
        {busy ? x.assigning : `${x.assign}（${selected.length}）`}
      </button>
      {note && (
        <p className={note.ok ? 'notice' : 'form-error'} role={note.ok ? 'status' : 'alert'}>
          {note.text}
        </p>
      )}
    </section>
  );
}

function HouseholdsCard({ roundId, village, name }: { roundId: string; village: string; name: string }) {
  const [rows, setRows] = useState<SampleHousehold[] | null>(null);
  useEffect(() => {
    let live = true;
    roundHouseholds(roundId, village).then(
      (r) => live && setRows(r),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [roundId, village]);
  return (
    <section className="card" aria-labelledby="households-title">
      <h2 id="households-title">{x.householdsOf(name)}</h2>
      {rows === null && <p className="muted">{x.loading}</p>}
      {rows && (
        <div className="table-scroll">
          <table className="table table-cards" data-testid="sample-households">
            <thead>
              <tr>
                <th>{x.head}</th>
                <th>{x.house}</th>
                <th>{x.reason}</th>
                <th>{x.inspectors}</th>
                <th>{x.status}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((h) => (
                <tr key={h.householdId} className={h.t1Differing !== null && h.t1Differing > 0 ? 'inspection-flag' : undefined}>
                  <td data-label={x.head}>{h.headName ?? h.householdId}</td>
                  <td data-label={x.house}>{[h.groupName, h.houseNumber].filter(Boolean).join(' ')}</td>
                  <td data-label={x.reason}>{x.reasons[h.reason]}</td>
                  <td data-label={x.inspectors}>{h.inspectorName ?? x.none}</td>
                  <td data-label={x.status}>
                    {!h.done && x.notDone}
                    {h.done && h.compared === null && x.doneNoCadre}
                    {h.done && h.compared !== null && (
                      <Link href={`/inspection/households/${encodeURIComponent(h.householdId)}`}>{(h.differing ?? 0) > 0 ? x.differences(h.differing ?? 0, h.t1Differing ?? 0) : x.same}</Link>
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

function QualityCard({ quality }: { quality: Quality }) {
  const levels = ['township', 'village', 'cadre'] as const;
  return (
    <section className="card" aria-labelledby="quality-title" data-testid="quality">
      <h2 id="quality-title">{x.quality}</h2>
      <p className="muted">{x.qualityNote(quality.threshold)}</p>
      {quality.rows.length === 0 && <p className="muted">{x.qualityNone}</p>}
      {levels.map((level) => {
        const rows = quality.rows.filter((r) => r.level === level).sort((a, b) => b.errorRate - a.errorRate);
        if (rows.length === 0) return null;
        const max = Math.max(quality.threshold * 2, ...rows.map((r) => r.errorRate));
        return (
          <figure key={level} className="inspection-quality">
            <figcaption>{x.levelTitle[level]}</figcaption>
            <table className="table table-cards">
              <thead>
                <tr>
                  <th>{x.who}</th>
                  <th>{x.rechecked}</th>
                  <th>{x.t1Households}</th>
                  <th>{x.errorRate}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.key} className={r.flagged ? 'inspection-flag' : undefined}>
                    <td data-label={x.who}>{r.name ?? r.key}</td>
                    <td data-label={x.rechecked}>{r.households}</td>
                    <td data-label={x.t1Households}>{r.t1Households}</td>
                    <td data-label={x.errorRate}>
                      <span className="inspection-rate">
                        <span className="inspection-rate-track" aria-hidden="true">
                          <span className="inspection-rate-fill" style={{ width: `${(100 * r.errorRate) / max}%` }} />
                          <span className="inspection-rate-threshold" style={{ left: `${(100 * quality.threshold) / max}%` }} />
                        </span>
                        {x.rate(r.errorRate)}
                        {r.flagged && <span className="badge inspection-flag-badge">{x.flagged}</span>}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </figure>
        );
      })}
    </section>
  );
}

export default function RoundPage({ roundId }: { roundId: string }) {
  const [detail, setDetail] = useState<RoundDetail | null>(null);
  const [quality, setQuality] = useState<Quality | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [loads, setLoads] = useState(0);
  useEffect(() => {
    let live = true;
    getRound(roundId).then(
      (d) => live && setDetail(d),
      (e: unknown) => live && setError(x.failed(message(e))),
    );
    roundQuality(roundId).then(
      (q) => live && setQuality(q),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [roundId, loads]);
  const r = detail?.round;
  const villages = detail?.villages ?? [];
  const totals = villages.reduce((a, v) => ({ sampled: a.sampled + v.sampled, assigned: a.assigned + v.assigned, done: a.done + v.done }), { sampled: 0, assigned: 0, done: 0 });
  const toggle = (code: string) => setSelected((s) => (s.includes(code) ? s.filter((c) => c !== code) : [...s, code]));
  return (
    <>
      <TopBar title={x.title} back={{ href: '/inspection', label: x.backToRounds }} />
      <main className="page page-wide">
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {!detail && !error && <p className="muted">{x.loading}</p>}
        {r && (
          <>
            <h1>{x.roundLine(r.number, r.name, r.areaName ?? r.areaCode, r.households)}</h1>
            <p className="muted inspection-seedline">
              {`${x.seed}：${r.seed} · ${x.inputHash(r.inputHash)} · ${x.villageShare} ${Math.round(r.rule.villageShare * 100)}% · ${x.householdShare} ${Math.round(r.rule.householdShare * 100)}%`}
            </p>
            <section className="card" aria-labelledby="progress-title">
              <h2 id="progress-title">{x.progress}</h2>
              <p>{`${x.done} ${totals.done} / ${totals.sampled}（${x.assigned} ${totals.assigned}）`}</p>
              <ProgressBar value={totals.done} max={totals.sampled} label={x.progress} valueText={`${totals.done} / ${totals.sampled}`} />
              <p className="inspection-exports">
                <span>{x.exportSample}</span>
                <a className="btn" href={`/api/exports/rounds/${r.id}/households.xlsx`} download aria-label={x.exportLabel('Excel')}>
                  {x.exportXlsx}
                </a>
                <a className="btn" href={`/api/exports/rounds/${r.id}/households.csv`} download aria-label={x.exportLabel('CSV')}>
                  {x.exportCsv}
                </a>
              </p>
              <div className="table-scroll">
                <table className="table table-cards" data-testid="round-villages">
                  <thead>
                    <tr>
                      <th aria-label={x.pickVillages} />
                      <th>{x.village}</th>
                      <th>{x.sampled}</th>
                      <th>{x.assigned}</th>
                      <th>{x.done}</th>
                      <th>{x.t1Flagged}</th>
                      <th>{x.inspectors}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {villages.map((v) => (
                      <tr key={v.villageCode} className={v.t1Flagged > 0 ? 'inspection-flag' : undefined}>
                        <td data-label="">
                          <input type="checkbox" checked={selected.includes(v.villageCode)} onChange={() => toggle(v.villageCode)} aria-label={x.selectVillage(v.villageName ?? v.villageCode)} />
                        </td>
                        <td data-label={x.village}>
                          <button type="button" className="link-button" onClick={() => setOpen(v.villageCode)}>
                            {v.villageName ?? v.villageCode}
                          </button>
                        </td>
                        <td data-label={x.sampled}>{v.sampled}</td>
                        <td data-label={x.assigned}>{v.assigned}</td>
                        <td data-label={x.done}>{v.done}</td>
                        <td data-label={x.t1Flagged}>{v.t1Flagged}</td>
                        <td data-label={x.inspectors}>{v.inspectors ?? x.none}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
            <AssignCard roundId={r.id} selected={selected} onDone={() => (setSelected([]), setLoads((n) => n + 1))} />
            {open && <HouseholdsCard key={`${open}:${loads}`} roundId={r.id} village={open} name={villages.find((v) => v.villageCode === open)?.villageName ?? open} />}
            {quality && <QualityCard quality={quality} />}
          </>
        )}
      </main>
    </>
  );
}
