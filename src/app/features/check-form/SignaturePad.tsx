import { useCallback, useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { getBlob, putBlob } from '../../db/blob-store.ts';
import { checkFormText as c } from '../../i18n/check-form.zh-CN.ts';
import { markUnsaved } from '../../pwa/unsaved-input.ts';
import { canvasToPng } from './photo.ts';

const HOLDER = 'check-form-signature';
/** A signature is a few strokes: store it once the hand has rested this long. */
const SAVE_AFTER_MS = 500;
const INK = '#10161f';

/**
 * The householder signs with a finger. Pointer events cover touch, pen and
 * mouse alike; touch-action: none keeps the page from scrolling under the
 * finger. After each pause the canvas is stored as a PNG blob (sha256 into
 * the form), so a crash loses at most the stroke in progress. A signature
 * already on the form is drawn back when the section opens again.
 */
export function SignaturePad({
  id,
  sha,
  onSaved,
  onCleared,
  describedBy,
  invalid,
}: {
  id: string;
  sha: string | null;
  onSaved: (sha256: string) => void;
  onCleared: () => void;
  describedBy?: string | undefined;
  invalid?: boolean;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const stroke = useRef<{ pointerId: number; x: number; y: number } | null>(null);
  /** Strokes drawn since the last stored PNG (read through a function: it changes across awaits). */
  const unsavedInk = useRef(false);
  const inkPending = useCallback(() => unsavedInk.current, []);
  const timer = useRef<number | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  const initialSha = useRef(sha);

  const context = useCallback(() => canvasRef.current?.getContext('2d') ?? null, []);

  const save = useCallback(async (canvas: HTMLCanvasElement) => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    if (!unsavedInk.current) return;
    unsavedInk.current = false;
    try {
      const sha256 = await putBlob(await canvasToPng(canvas));
      setFailed(false);
      onSaved(sha256);
    } catch {
      setFailed(true);
    } finally {
      if (!inkPending()) markUnsaved(HOLDER, false);
    }
  }, [onSaved, inkPending]);

  // Size the bitmap to the element (sharp on high-density screens, capped at 2× for memory), then draw back a saved signature.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ratio = Math.min(2, window.devicePixelRatio || 1);
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
    const g = canvas.getContext('2d');
    if (!g) return;
    g.scale(ratio, ratio);
    g.fillStyle = '#fff';
    g.fillRect(0, 0, w, h);
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.strokeStyle = INK;
    g.fillStyle = INK;
    g.lineWidth = 2.6;
    let cancelled = false;
    const isCancelled = () => cancelled;
    const saved = initialSha.current;
    if (saved) {
      void getBlob(saved).then(async (blob) => {
        if (!blob || cancelled) return;
        const img = await createImageBitmap(blob);
        if (!isCancelled()) g.drawImage(img, 0, 0, w, h);
        img.close();
      });
    }
    return () => {
      cancelled = true;
      // Leaving the section mid-signature: store what is drawn (the canvas outlives the element).
      if (unsavedInk.current) void save(canvas);
    };
  }, [save]);

  const point = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  return (
    <div className="signature-pad">
      <canvas
        ref={canvasRef}
        id={id}
        tabIndex={-1}
        role="img"
        aria-label={c.evidence.signatureArea}
        aria-describedby={describedBy}
        aria-invalid={invalid ? true : undefined}
        className={invalid ? 'signature-canvas signature-invalid' : 'signature-canvas'}
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          e.preventDefault();
          e.currentTarget.setPointerCapture(e.pointerId);
          window.clearTimeout(timer.current);
          markUnsaved(HOLDER, true);
          const p = point(e);
          stroke.current = { pointerId: e.pointerId, ...p };
          const g = context();
          if (g) {
            g.beginPath();
            g.arc(p.x, p.y, g.lineWidth / 2, 0, Math.PI * 2);
            g.fill();
          }
        }}
        onPointerMove={(e) => {
          const s = stroke.current;
          const g = context();
          if (!s || s.pointerId !== e.pointerId || !g) return;
          const r = e.currentTarget.getBoundingClientRect();
          // Coalesced events keep fast strokes smooth on slow phones.
          const events = typeof e.nativeEvent.getCoalescedEvents === 'function' ? e.nativeEvent.getCoalescedEvents() : [];
          g.beginPath();
          g.moveTo(s.x, s.y);
          for (const ev of events.length > 0 ? events : [e.nativeEvent]) {
            const x = ev.clientX - r.left;
            const y = ev.clientY - r.top;
            g.lineTo(x, y);
            s.x = x;
            s.y = y;
          }
          g.stroke();
          unsavedInk.current = true;
        }}
        onPointerUp={(e) => {
          if (stroke.current?.pointerId !== e.pointerId) return;
          stroke.current = null;
          unsavedInk.current = true;
          const canvas = e.currentTarget;
          timer.current = window.setTimeout(() => void save(canvas), SAVE_AFTER_MS);
        }}
        onPointerCancel={() => {
          stroke.current = null;
        }}
      />
      <div className="signature-actions">
        <span className={sha ? 'tag tag-ok' : 'tag'} role="status">
          {sha ? c.evidence.signed : c.evidence.unsigned}
        </span>
        <button
          type="button"
          className="btn"
          onClick={() => {
            window.clearTimeout(timer.current);
            unsavedInk.current = false;
            markUnsaved(HOLDER, false);
            const canvas = canvasRef.current;
            const g = context();
            if (canvas && g) {
              g.save();
              g.fillStyle = '#fff';
              g.fillRect(0, 0, canvas.clientWidth, canvas.clientHeight);
              g.restore();
            }
            onCleared();
          }}
        >
          {c.evidence.clear}
        </button>
      </div>
      {failed && <p className="field-error">{c.evidence.signatureSaveFailed}</p>}
    </div>
  );
}
