/**
 * Spot checks (issue 14), the supervisor's desk: the rounds drawn so far and
 * a new draw: pick the area, the public seed and the rule, preview the sample
 * per township and village against the rule, then publish it (frozen).
 */
import { useEffect, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { DEFAULT_SAMPLE_RULE } from '#shared/domain/inspection/sample.ts';
import type { Me } from '#shared/schemas/auth.ts';
import type { DrawPreview, RoundSummary, VisitQualityRow } from '#shared/schemas/inspection.ts';
import type { RegionName } from '#shared/schemas/sync.ts';
import { TopBar } from '../../components/TopBar.tsx';
import { inspectionText as x } from '../../i18n/inspection.zh-CN.ts';
import { drawAreas, listRounds, previewDraw, publishRound, visitQuality } from './inspection-api.ts';
import { VISIT_FLAGS } from '#shared/domain/inspection/visit-proof.ts';
import './inspection.css';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function PreviewTable({ preview }: { preview: DrawPreview }) {
  return (
    <div className="table-scroll">
      <table className="table table-cards inspection-preview" data-testid="draw-preview">
        <thead>
          <tr>
            <th>{x.township}</th>
            <th>{x.per100}</th>
            <th>{x.villages}</th>
            <th>{x.sampledVillages}</th>
            <th>{x.required}</th>
            <th>{x.households}</th>
            <th>{x.sampledHouseholds}</th>
          </tr>
        </thead>
        <tbody>
          {preview.townships.map((tw) => (
            <tr key={tw.code} className={tw.weak ? 'inspection-weak' : undefined}>
              <td data-label={x.township}>
                {tw.name ?? tw.code}
                {tw.weak && (
                  <span className="badge inspection-weak-badge" title={x.weakNote}>
                    {x.weak}
                  </span>
                )}
              </td>
              <td data-label={x.per100}>{tw.problemsPer100}</td>
              <td data-label={x.villages}>{tw.villages}</td>
              <td data-label={x.sampledVillages} className={tw.sampledVillages.length < tw.required ? 'inspection-below' : undefined}>
                {tw.sampledVillages.length}
              </td>
              <td data-label={x.required}>{`${tw.required}（${Math.round(tw.share * 100)}%）`}</td>
              <td data-label={x.households}>{tw.households}</td>
              <td data-label={x.sampledHouseholds}>{tw.sampledHouseholds}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.townships.map((tw) => (
        <details key={tw.code} className="inspection-villages">
          <summary>{x.villagesOf(tw.name ?? tw.code, tw.sampledVillages.length)}</summary>
          <ul>
            {tw.sampledVillages.map((v) => (
              <li key={v.code} className={v.sampled < v.required ? 'inspection-below' : undefined}>
                {x.villageLine(v.name ?? v.code, v.sampled, v.households, v.required)}
              </li>
            ))}
          </ul>
        </details>
      ))}
    </div>
  );
}

function DrawCard({ me, onPublished }: { me: Me; onPublished: (r: RoundSummary) => void }) {
  const [areas, setAreas] = useState<RegionName[]>([]);
  const [areaCode, setAreaCode] = useState(me.area.code);
  const [seed, setSeed] = useState('');
  const [shares, setShares] = useState({ village: DEFAULT_SAMPLE_RULE.villageShare * 100, weak: DEFAULT_SAMPLE_RULE.weakVillageShare * 100, household: DEFAULT_SAMPLE_RULE.householdShare * 100 });
  const [mins, setMins] = useState({ villages: 1, households: 1 });
  const [name, setName] = useState('');
  const [preview, setPreview] = useState<DrawPreview | null>(null);
  const [busy, setBusy] = useState<'preview' | 'publish' | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    drawAreas().then(
      (list) => {
        if (!live) return;
        setAreas(list);
        if (!list.some((a) => a.code === me.area.code) && list[0]) setAreaCode(list[0].code);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [me.area.code]);

  const request = () => ({
    areaCode,
    seed: seed.trim(),
    rule: { villageShare: shares.village / 100, weakVillageShare: shares.weak / 100, householdShare: shares.household / 100, minVillages: mins.villages, minHouseholds: mins.households },
  });
  const changed = () => setPreview(null);

  const doPreview = async () => {
    setBusy('preview');
    setError(null);
    try {
      setPreview(await previewDraw(request()));
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(null);
    }
  };
  const doPublish = async () => {
    if (!preview) return;
    setBusy('publish');
    setError(null);
    try {
      onPublished(await publishRound({ ...request(), name: name.trim(), inputHash: preview.inputHash }));
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(null);
    }
  };
  const pctField = (id: string, label: string, value: number, set: (n: number) => void) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <span className="inspection-pct">
        <input id={id} type="number" inputMode="numeric" min={1} max={100} value={value} onChange={(e) => (set(Number(e.target.value)), changed())} />
        {x.percent}
      </span>
    </div>
  );

  return (
    <section className="card" aria-labelledby="draw-title">
      <h2 id="draw-title">{x.newRound}</h2>
      <div className="inspection-form">
        <div className="field">
          <label htmlFor="draw-area">{x.area}</label>
          <select id="draw-area" value={areaCode} onChange={(e) => (setAreaCode(e.target.value), changed())}>
            {areas.map((a) => (
              <option key={a.code} value={a.code}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field inspection-seed">
          <label htmlFor="draw-seed">{x.seed}</label>
          <input id="draw-seed" value={seed} maxLength={100} onChange={(e) => (setSeed(e.target.value), changed())} aria-describedby="draw-seed-hint" />
          <small id="draw-seed-hint" className="muted">
            {x.seedHint}
          </small>
        </div>
        {pctField('draw-village-share', x.villageShare, shares.village, (n) => setShares({ ...shares, village: n }))}
        {pctField('draw-weak-share', x.weakVillageShare, shares.weak, (n) => setShares({ ...shares, weak: n }))}
        {pctField('draw-household-share', x.householdShare, shares.household, (n) => setShares({ ...shares, household: n }))}
        <div className="field">
          <label htmlFor="draw-min-villages">{x.minVillages}</label>
          <input id="draw-min-villages" type="number" min={1} value={mins.villages} onChange={(e) => (setMins({ ...mins, villages: Number(e.target.value) }), changed())} />
        </div>
        <div className="field">
          <label htmlFor="draw-min-households">{x.minHouseholds}</label>
          <input id="draw-min-households" type="number" min={1} value={mins.households} onChange={(e) => (setMins({ ...mins, households: Number(e.target.value) }), changed())} />
        </div>
      </div>
      <button type="button" className="btn btn-primary" disabled={busy !== null || seed.trim() === ''} onClick={() => void doPreview()}>
        {busy === 'preview' ? x.previewing : x.preview}
      </button>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {preview && (
        <div className="inspection-preview-block">
          <h3>{x.previewTitle}</h3>
          <p>{x.previewSummary(preview.households, preview.sampledHouseholds, preview.mandatory, preview.medianProblemsPer100)}</p>
          <p className="muted">{x.inputHash(preview.inputHash)}</p>
          <PreviewTable preview={preview} />
          <div className="field">
            <label htmlFor="round-name">{x.name}</label>
            <input id="round-name" value={name} maxLength={100} placeholder={x.namePlaceholder} onChange={(e) => setName(e.target.value)} />
          </div>
          <button type="button" className="btn btn-primary" disabled={busy !== null || name.trim() === ''} onClick={() => void doPublish()}>
            {busy === 'publish' ? x.publishing : x.publish}
          </button>
        </div>
      )}
      <details className="muted inspection-method">
        <summary>{x.methodTitle}</summary>
        <p>{x.method}</p>
      </details>
    </section>
  );
}

function VisitQualityCard() {
  const [rows, setRows] = useState<VisitQualityRow[] | null>(null);
  useEffect(() => {
    let live = true;
    visitQuality().then(
      (r) => live && setRows(r),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return (
    <section className="card" aria-labelledby="visit-quality-title" data-testid="visit-quality">
      <h2 id="visit-quality-title">{x.visitTitle}</h2>
      <p className="muted">{x.visitNote}</p>
      {rows === null && <p className="muted">{x.loading}</p>}
      {rows?.length === 0 && <p className="muted">{x.visitNone}</p>}
      {rows && rows.length > 0 && (
        <div className="table-scroll">
          <table className="table table-cards">
            <thead>
              <tr>
                <th>{x.cadre}</th>
                <th>{x.forms}</th>
                <th>{x.recorded}</th>
                <th>{x.minutesPerPerson}</th>
                <th>{x.flaggedForms}</th>
                {VISIT_FLAGS.map((f) => (
                  <th key={f}>{x.visitFlags[f]}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.author} className={r.flagged > 0 ? 'inspection-diff' : undefined}>
                  <td data-label={x.cadre}>{r.name ?? r.author}</td>
                  <td data-label={x.forms}>{r.forms}</td>
                  <td data-label={x.recorded}>{r.recorded}</td>
                  <td data-label={x.minutesPerPerson}>{r.medianMinutesPerPerson ?? x.none}</td>
                  <td data-label={x.flaggedForms}>{r.flagged}</td>
                  {VISIT_FLAGS.map((f) => (
                    <td key={f} data-label={x.visitFlags[f]}>
                      {r.flags[f]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export default function InspectionPage({ me }: { me: Me }) {
  const [rounds, setRounds] = useState<RoundSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, navigate] = useLocation();
  useEffect(() => {
    let live = true;
    listRounds().then(
      (r) => live && setRounds(r),
      (e: unknown) => live && setError(x.failed(message(e))),
    );
    return () => {
      live = false;
    };
  }, []);
  return (
    <>
      <TopBar title={x.title} back={{ href: '/', label: x.back }} />
      <main className="page page-wide">
        <h1>{x.title}</h1>
        <section className="card" aria-labelledby="rounds-title">
          <h2 id="rounds-title">{x.rounds}</h2>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          {rounds === null && !error && <p className="muted">{x.loading}</p>}
          {rounds?.length === 0 && <p className="muted">{x.noRounds}</p>}
          <ul className="card-list">
            {(rounds ?? []).map((r) => (
              <li key={r.id}>
                <Link href={`/inspection/${r.id}`} className="inspection-round-link" data-round-number={r.number}>
                  {x.roundLine(r.number, r.name, r.areaName ?? r.areaCode, r.households)}
                  <span className="muted">{` · ${r.createdAt.slice(0, 10)} · ${r.createdByName ?? ''}`}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
        <DrawCard me={me} onPublished={(r) => navigate(`/inspection/${r.id}`)} />
        <VisitQualityCard />
      </main>
    </>
  );
}
