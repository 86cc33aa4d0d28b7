/** The submit button with the warnings that remain, or, once submitted, the confirmation and the next household. */
import type { ShownIssue } from './form-ui.tsx';
import { Link } from 'wouter';
import { checkFormText as c } from '../../i18n/check-form.zh-CN.ts';
import type { CheckFormSubmit } from './useCheckFormSubmit.ts';

type Props = Pick<CheckFormSubmit, 'submitted' | 'nextHousehold' | 'submitting' | 'confirmRef'> & {
  onSubmit: () => void;
  label: string;
  warnings: readonly Pick<ShownIssue, 'path' | 'message'>[];
};

export function SubmitCard({ submitted, nextHousehold, submitting, confirmRef, onSubmit, label, warnings }: Props) {
  if (submitted) {
    return (
      <div className="card submit-card submit-done" ref={confirmRef} role="status" aria-live="polite">
        <p className="submit-done-title">{c.submit.doneTitle}</p>
        <p>{c.submit.doneBody}</p>
        {nextHousehold ? (
          <Link href={`/households/${encodeURIComponent(nextHousehold.id)}/form`} className="btn btn-primary btn-block" onClick={() => window.scrollTo({ top: 0 })}>
            {c.submit.nextHousehold(nextHousehold.houseNumber, nextHousehold.headName ?? '')}
          </Link>
        ) : (
          <p className="muted">{c.submit.villageDone}</p>
        )}
        <Link href="/households" className="btn btn-block">
          {c.submit.backToList}
        </Link>
      </div>
    );
  }
  return (
    <div className="card submit-card">
      {warnings.length > 0 && (
        <div className="notice">
          <p>{c.submit.warnings(warnings.length)}</p>
          <ul className="plain-list">
            {warnings.map((w) => (
              <li key={`${w.path}:${w.message}`}>{w.message}</li>
            ))}
          </ul>
        </div>
      )}
      <button type="button" className="btn btn-primary btn-block" onClick={onSubmit} disabled={submitting}>
        {submitting ? c.submit.submitting : label}
      </button>
    </div>
  );
}
