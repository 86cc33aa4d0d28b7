import { useId, useState } from 'react';
import { NetworkError } from '../../api/http.ts';
import { reviewText as r } from '../../i18n/review.zh-CN.ts';
import { revealNumber } from './review-api.ts';

/**
 * A masked number with a way to see it in full: online, with a reason the
 * server writes into the audit log. The full number lives in this component
 * only, is never stored, and is gone when the screen is left or 隐藏 is pressed.
 */
export function RevealNumber({ formId, kind, numberKey }: { formId: string; kind: 'citizen-id' | 'account'; numberKey: string }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [full, setFull] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  if (full !== null) {
    return (
      <span className="reveal">
        <strong className="reveal-full">{r.reveal.full(full)}</strong>{' '}
        <button type="button" className="btn-link" onClick={() => setFull(null)}>
          {r.reveal.hide}
        </button>
      </span>
    );
  }
  if (!open) {
    return (
      <button type="button" className="btn-link" onClick={() => setOpen(true)}>
        {r.reveal.show}
      </button>
    );
  }
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      setFull((await revealNumber(formId, kind, numberKey, reason)).number);
      setOpen(false);
      setReason('');
    } catch (e) {
      setError(e instanceof NetworkError ? r.reveal.offline : e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="reveal reveal-form">
      <label htmlFor={id}>{r.reveal.reason}</label>
      <input id={id} value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} autoComplete="off" />
      <span className="button-row">
        <button type="button" className="btn" disabled={busy || reason.trim().length < 2} onClick={() => void submit()}>
          {r.reveal.confirm}
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>
          {r.reveal.cancel}
        </button>
      </span>
      {error !== null && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </span>
  );
}
