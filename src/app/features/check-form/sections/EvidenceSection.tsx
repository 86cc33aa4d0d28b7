import { useCallback, useEffect, useRef, useState } from 'react';
import { useFormContext, useWatch } from 'react-hook-form';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import { getBlob, putBlob } from '../../../db/blob-store.ts';
import { isQuotaExceeded } from '../../../db/check-form-store.ts';
import { checkFormText as c } from '../../../i18n/check-form.zh-CN.ts';
import { formatChineseDateTime, isoToLocalInput, isoWithOffset, localInputToIso } from '../datetime.ts';
import { FieldMessage, fieldId, TextField, useFieldMessage } from '../form-ui.tsx';
import { compressPhoto } from '../photo.ts';
import { SignaturePad } from '../SignaturePad.tsx';

const dirty = { shouldDirty: true, shouldTouch: true } as const;

/** Names as one line ('李建国、王芳'); the form keeps a list. The text is kept as typed so a trailing '、' survives. */
function InterviewersField() {
  const { setValue } = useFormContext<CheckFormBody>();
  const names = useWatch<CheckFormBody, 'evidence.interviewers'>({ name: 'evidence.interviewers' });
  const [text, setText] = useState(() => names.join('、'));
  const message = useFieldMessage('evidence.interviewers');
  const id = fieldId('evidence.interviewers');
  return (
    <div className="field q">
      <label htmlFor={id} className="q-label">
        {c.evidence.interviewers}
      </label>
      <p id={`${id}-hint`} className="q-hint">
        {c.evidence.interviewersHint}
      </p>
      <input
        id={id}
        type="text"
        value={text}
        autoComplete="off"
        aria-invalid={message?.severity === 'error' ? true : undefined}
        aria-describedby={message ? `${id}-hint ${id}-msg` : `${id}-hint`}
        onChange={(e) => {
          setText(e.target.value);
          const list = e.target.value
            .split(/[、,，;；\s]+/u)
            .map((s) => s.trim())
            .filter((s) => s !== '');
          setValue('evidence.interviewers', list, dirty);
        }}
      />
      <FieldMessage id={`${id}-msg`} message={message} />
    </div>
  );
}

function VisitedAtField() {
  const { setValue } = useFormContext<CheckFormBody>();
  const visitedAt = useWatch<CheckFormBody, 'evidence.visitedAt'>({ name: 'evidence.visitedAt' });
  const message = useFieldMessage('evidence.visitedAt');
  const id = fieldId('evidence.visitedAt');
  return (
    <div className="field q">
      <label htmlFor={id} className="q-label">
        {c.evidence.visitedAt}
      </label>
      <input
        id={id}
        type="datetime-local"
        value={isoToLocalInput(visitedAt)}
        onChange={(e) => setValue('evidence.visitedAt', localInputToIso(e.target.value), { ...dirty, shouldValidate: true })}
        aria-invalid={message?.severity === 'error' ? true : undefined}
        aria-describedby={[`${id}-zh`, message ? `${id}-msg` : null].filter(Boolean).join(' ')}
      />
      {/* The input's own text follows the browser's language ("12/02/2026, 06:37 PM" in English): say it in Chinese. */}
      <p id={`${id}-zh`} className="q-hint" data-testid="visited-at-zh">
        {formatChineseDateTime(visitedAt)}
      </p>
      <FieldMessage id={`${id}-msg`} message={message} />
    </div>
  );
}

function gpsReason(code: number): string {
  if (code === 1) return c.evidence.gpsDenied;
  if (code === 3) return c.evidence.gpsTimeout;
  return c.evidence.gpsUnavailable;
}

/**
 * GPS is evidence, never a gate: a refused, unavailable or timed-out fix
 * records why (editable) and the form goes on. Asked once automatically when
 * the section opens without a fix or a reason.
 */
function GpsField() {
  const { setValue, getValues } = useFormContext<CheckFormBody>();
  const gps = useWatch<CheckFormBody, 'evidence.gps'>({ name: 'evidence.gps' });
  const [locating, setLocating] = useState(false);
  const message = useFieldMessage('evidence.gps');
  const id = fieldId('evidence.gps');

  const locate = useCallback(() => {
    if (!('geolocation' in navigator)) {
      setValue('evidence.gpsUnavailableReason', c.evidence.gpsUnsupported, dirty);
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        const fix = {
          lat: Math.round(pos.coords.latitude * 1e6) / 1e6,
          lon: Math.round(pos.coords.longitude * 1e6) / 1e6,
          accuracyM: Math.round(pos.coords.accuracy),
          at: isoWithOffset(new Date(pos.timestamp)),
        };
        setValue('evidence.gps', fix, dirty);
        setValue('evidence.gpsUnavailableReason', '', dirty);
      },
      (err) => {
        setLocating(false);
        setValue('evidence.gpsUnavailableReason', gpsReason(err.code), dirty);
      },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 120_000 },
    );
  }, [setValue]);

  const asked = useRef(false);
  useEffect(() => {
    if (asked.current || getValues('evidence.gps') !== null || getValues('evidence.gpsUnavailableReason') !== '') return;
    // Marked when it actually runs: StrictMode's mount-unmount-mount must not cancel the only attempt.
    const t = window.setTimeout(() => {
      asked.current = true;
      locate();
    }, 0);
    return () => window.clearTimeout(t);
  }, [getValues, locate]);

  return (
    <div className="field q">
      <span className="q-label">{c.evidence.gps}</span>
      <p className="gps-line" role="status">
        {locating ? c.evidence.gpsLocating : gps ? c.evidence.gpsFix(gps.lat.toFixed(5), gps.lon.toFixed(5), gps.accuracyM) : c.evidence.gpsNone}
      </p>
      <button type="button" id={id} className="btn" onClick={locate} disabled={locating} aria-describedby={message ? `${id}-msg` : undefined}>
        {gps ? c.evidence.gpsRelocate : c.evidence.gpsLocate}
      </button>
      <FieldMessage id={`${id}-msg`} message={message} />
      {!gps && <TextField name="evidence.gpsUnavailableReason" label={c.evidence.gpsReason} hint={c.evidence.gpsReasonHint} />}
    </div>
  );
}

function SignatureField() {
  const { setValue } = useFormContext<CheckFormBody>();
  const sha = useWatch<CheckFormBody, 'evidence.signatureBlob'>({ name: 'evidence.signatureBlob' });
  const message = useFieldMessage('evidence.signatureBlob');
  const id = fieldId('evidence.signatureBlob');
  const onSaved = useCallback((s: string) => setValue('evidence.signatureBlob', s, dirty), [setValue]);
  const onCleared = useCallback(() => setValue('evidence.signatureBlob', null, dirty), [setValue]);
  return (
    <div className="field q">
      <span className="q-label">{c.evidence.signature}</span>
      <p id={`${id}-hint`} className="q-hint">
        {c.evidence.signatureHint}
      </p>
      <SignaturePad id={id} sha={sha} onSaved={onSaved} onCleared={onCleared} describedBy={message ? `${id}-hint ${id}-msg` : `${id}-hint`} invalid={message?.severity === 'error'} />
      <FieldMessage id={`${id}-msg`} message={message} />
    </div>
  );
}

function PhotoThumb({ sha, n, onRemove }: { sha: string; n: number; onRemove: () => void }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let objectUrl: string | null = null;
    let cancelled = false;
    void getBlob(sha).then((b) => {
      if (!b || cancelled) return;
      objectUrl = URL.createObjectURL(b);
      setUrl(objectUrl);
    });
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [sha]);
  return (
    <li className="photo">
      {url ? <img src={url} alt={c.evidence.photoAlt(n)} /> : <span className="photo-empty" />}
      <button type="button" className="btn btn-small" onClick={onRemove} aria-label={c.evidence.removePhoto(n)}>
        ✕
      </button>
    </li>
  );
}

/** Free space below which new photos are refused, so that answers and signatures can still be saved. */
const PHOTO_RESERVE_BYTES = 20 * 1024 * 1024;

async function lowOnSpace(): Promise<boolean> {
  if (!('storage' in navigator) || typeof navigator.storage.estimate !== 'function') return false;
  const { usage, quota } = await navigator.storage.estimate();
  return usage !== undefined && quota !== undefined && quota - usage < PHOTO_RESERVE_BYTES;
}

function PhotosField({ storageFull, onStorageFull }: { storageFull: boolean; onStorageFull: () => void }) {
  const { setValue, getValues } = useFormContext<CheckFormBody>();
  const photos = useWatch<CheckFormBody, 'evidence.photoBlobs'>({ name: 'evidence.photoBlobs' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = fieldId('evidence.photoBlobs');
  return (
    <div className="field q">
      <span className="q-label">{c.evidence.photos}</span>
      {photos.length > 0 && (
        <ul className="photos">
          {photos.map((sha, i) => (
            <PhotoThumb
              key={sha}
              sha={sha}
              n={i + 1}
              onRemove={() =>
                setValue(
                  'evidence.photoBlobs',
                  getValues('evidence.photoBlobs').filter((x) => x !== sha),
                  dirty,
                )
              }
            />
          ))}
        </ul>
      )}
      {storageFull ? (
        <p className="field-error">{c.evidence.photoRefusedFull}</p>
      ) : (
        <label className={busy ? 'btn btn-file btn-disabled' : 'btn btn-file'} htmlFor={id}>
          {busy ? c.evidence.photoWorking : c.evidence.addPhoto}
          <input
            id={id}
            className="visually-hidden"
            type="file"
            accept="image/*"
            capture="environment"
            disabled={busy}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (!file) return;
              setError(null);
              setBusy(true);
              void (async () => {
                try {
                  if (await lowOnSpace()) {
                    onStorageFull();
                    return;
                  }
                  const sha = await putBlob(await compressPhoto(file));
                  const current = getValues('evidence.photoBlobs');
                  if (!current.includes(sha)) setValue('evidence.photoBlobs', [...current, sha], dirty);
                } catch (err) {
                  if (isQuotaExceeded(err)) onStorageFull();
                  else setError(c.evidence.photoFailed);
                } finally {
                  setBusy(false);
                }
              })();
            }}
          />
        </label>
      )}
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}

export function EvidenceSection({ storageFull, onStorageFull }: { storageFull: boolean; onStorageFull: () => void }) {
  const outcome = useWatch<CheckFormBody, 'outcome'>({ name: 'outcome' });
  return (
    <>
      <div className="card">
        <InterviewersField />
        <VisitedAtField />
        <GpsField />
      </div>
      {outcome === 'checked' && (
        <div className="card">
          <SignatureField />
        </div>
      )}
      <div className="card">
        <PhotosField storageFull={storageFull} onStorageFull={onStorageFull} />
        <TextField name="evidence.remarks" label={c.evidence.remarks} multiline />
      </div>
    </>
  );
}
