/**
 * A labelled progress bar (role=progressbar). Without `max` it is
 * indeterminate: the total is not known yet (an update pull brings no totals).
 */
export function ProgressBar({ label, value, max, valueText }: { label: string; value: number; max: number | null; valueText: string }) {
  const pct = max !== null && max > 0 ? Math.min(100, (value / max) * 100) : null;
  return (
    <div
      className={pct === null ? 'progress progress-indeterminate' : 'progress'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      {...(max !== null ? { 'aria-valuemax': max, 'aria-valuenow': Math.min(value, max) } : {})}
      aria-valuetext={valueText}
    >
      {/* Width through the CSSOM (React's style prop), which the CSP's style-src 'self' allows. */}
      <div className="progress-fill" style={pct === null ? undefined : { width: `${pct}%` }} />
    </div>
  );
}
