/** What the device knows of the form: draft, ready to send, synced, sent back or refused (with the fields the server named). */
import { useState } from 'react';
import type { LocalForm } from '../../db/device-db.ts';
import { isDiscardable } from '../../db/form-store.ts';
import { checkFormText as c } from '../../i18n/check-form.zh-CN.ts';
import { sectionOfPath } from './form-paths.ts';

/** "放弃这份草稿", asked twice: only for a draft the server has never seen. */
function DiscardDraft({ onDiscard }: { onDiscard: () => Promise<string | null> }) {
  const [step, setStep] = useState<'idle' | 'confirm' | 'working'>('idle');
  const [error, setError] = useState<string | null>(null);
  if (step === 'idle') {
    return (
      <p>
        <button type="button" className="link-button" onClick={() => setStep('confirm')}>
          {c.discard.button}
        </button>
      </p>
    );
  }
  return (
    <div className="discard-confirm" role="group" aria-label={c.discard.button}>
      <p>{c.discard.confirm}</p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="button-row">
        <button
          type="button"
          className="btn btn-danger"
          disabled={step === 'working'}
          onClick={() => {
            setStep('working');
            void onDiscard().then((problem) => {
              // On success the screen goes away; a refusal or a failure stays to be read.
              if (problem !== null) {
                setError(problem);
                setStep('confirm');
              }
            });
          }}
        >
          {c.discard.yes}
        </button>
        <button type="button" className="btn" disabled={step === 'working'} onClick={() => setStep('idle')}>
          {c.discard.no}
        </button>
      </div>
    </div>
  );
}

export function StateBanner({ form, onField, onDiscard }: { form: LocalForm; onField: (path: string) => void; onDiscard: () => Promise<string | null> }) {
  const tone = form.state === 'returned' || form.state === 'attention' ? 'notice' : form.state === 'synced' ? 'state-ok' : 'muted';
  return (
    <div className={`state-banner ${tone}${form.state === 'draft' ? ' state-banner-row' : ''}`} role="status" data-testid="form-state" data-state={form.state}>
      <p>
        {c.state[form.state]}
        {form.state === 'synced' && c.syncedRev(form.serverRev)}
      </p>
      {isDiscardable(form) && <DiscardDraft onDiscard={onDiscard} />}
      {form.reviewComment && (form.state === 'returned' || form.reviewStatus === 'returned') && <p>{c.reviewComment(form.reviewComment)}</p>}
      {form.state === 'attention' && form.lastResult && (
        <>
          {form.lastResult.message && <p>{form.lastResult.message}</p>}
          {form.lastResult.fields && form.lastResult.fields.length > 0 && (
            <ul className="plain-list">
              {form.lastResult.fields.map((f) => {
                // The server names fields as 'body.items.0.amountReceivedFen': show the section, jump to the field.
                const path = f.path.replace(/^body\./, '');
                return (
                  <li key={f.path}>
                    <button type="button" className="link-button" onClick={() => onField(path)}>
                      {c.sections[sectionOfPath(path)]}
                    </button>
                    ：{f.message}
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
