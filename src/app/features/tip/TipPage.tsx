/**
 * The public tip-off page (举报线索, issue 13, item 5), like the seed's open
 * letter: what can be reported, the phone numbers, and a form. No sign-in;
 * anonymous allowed; the server throttles it per address.
 */
import { useEffect, useMemo, useState, type SyntheticEvent } from 'react';
import * as z from 'zod/mini';
import { TIP_KINDS, TipReceiptSchema, type TipKind } from '#shared/schemas/ledger.ts';
import { RegionNameSchema, type RegionName } from '#shared/schemas/sync.ts';
import { apiRequest } from '../../api/http.ts';
import { parsedBy } from '../../api/parsed-by.ts';
import { tipText as tt } from '../../i18n/tip.zh-CN.ts';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export default function TipPage() {
  const [regions, setRegions] = useState<RegionName[]>([]);
  const [kind, setKind] = useState<TipKind>('not-received');
  const [township, setTownship] = useState('');
  const [village, setVillage] = useState('');
  const [place, setPlace] = useState('');
  const [description, setDescription] = useState('');
  const [contactName, setContactName] = useState('');
  const [contactPhone, setContactPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<number | null>(null);

  useEffect(() => {
    apiRequest('GET', '/public/regions', parsedBy(z.array(RegionNameSchema))).then(setRegions, () => undefined);
  }, []);
  const townships = useMemo(() => regions.filter((r) => r.level === 'township'), [regions]);
  const villages = useMemo(() => regions.filter((r) => r.level === 'village' && township !== '' && r.code.startsWith(township.slice(0, 9))), [regions, township]);

  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { kind, areaCode: village || township, place, description, contactName, contactPhone };
      const r = await apiRequest('POST', '/public/tips', parsedBy(TipReceiptSchema), body);
      setReceipt(r.number);
      setDescription('');
      setPlace('');
    } catch (err) {
      setError(tt.failed(message(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="page">
      <h1>{tt.title}</h1>
      {tt.letter.map((p) => (
        <p key={p}>{p}</p>
      ))}
      <p className="notice">{tt.phones}</p>
      {receipt !== null ? (
        <section className="card" role="status" data-testid="tip-receipt">
          <p>{tt.done(receipt)}</p>
          <button type="button" className="btn" onClick={() => setReceipt(null)}>
            {tt.another}
          </button>
        </section>
      ) : (
        <form className="card" onSubmit={(e) => void submit(e)}>
          <div className="field">
            <label htmlFor="tip-kind">{tt.kind}</label>
            <select id="tip-kind" value={kind} onChange={(e) => setKind(e.target.value as TipKind)}>
              {TIP_KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="tip-area">
            <legend>{tt.area}</legend>
            <div className="field">
              <label htmlFor="tip-township">{tt.township}</label>
              <select
                id="tip-township"
                value={township}
                onChange={(e) => {
                  setTownship(e.target.value);
                  setVillage('');
                }}
              >
                <option value="">{tt.chooseTownship}</option>
                {townships.map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="tip-village">{tt.village}</label>
              <select id="tip-village" value={village} disabled={township === ''} onChange={(e) => setVillage(e.target.value)}>
                <option value="">{tt.chooseVillage}</option>
                {villages.map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.name}
                  </option>
                ))}
              </select>
            </div>
          </fieldset>
          <div className="field">
            <label htmlFor="tip-place">{tt.place}</label>
            <input id="tip-place" value={place} maxLength={100} onChange={(e) => setPlace(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="tip-description">{tt.description}</label>
            <textarea id="tip-description" rows={5} value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} />
          </div>
          <p className="muted">{tt.anonymousHint}</p>
          <div className="field">
            <label htmlFor="tip-name">{tt.contactName}</label>
            <input id="tip-name" value={contactName} maxLength={20} autoComplete="name" onChange={(e) => setContactName(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="tip-phone">{tt.contactPhone}</label>
            <input id="tip-phone" inputMode="tel" value={contactPhone} maxLength={20} autoComplete="tel" onChange={(e) => setContactPhone(e.target.value)} />
          </div>
          <button type="submit" className="btn btn-primary btn-block" disabled={busy || township === '' || description.trim().length < 10}>
            {busy ? tt.submitting : tt.submit}
          </button>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
      <p>
        <a href="/">{tt.signIn}</a>
      </p>
    </main>
  );
}
