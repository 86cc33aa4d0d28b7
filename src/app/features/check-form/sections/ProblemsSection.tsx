import { useState, type ReactNode } from 'react';
import { useController, useFieldArray, useWatch } from 'react-hook-form';
import { formatYuan } from '#shared/domain/money.ts';
import { PROBLEM_CODES, problemTitle } from '#shared/domain/problem-codes.ts';
import type { CheckFormBody, ProblemEntry } from '#shared/schemas/check-form.ts';
import { checkFormText as c } from '../../../i18n/check-form.zh-CN.ts';
import { EntryCard, fieldId, TextField, YuanField } from '../form-ui.tsx';

function newProblem(code: ProblemEntry['code']): ProblemEntry {
  return { key: `manual:${crypto.randomUUID()}`, code, amountFen: null, description: '', personIds: [], source: 'manual' };
}

/**
 * A new problem starts with no code: the cadre picks one from the official
 * list, each name in full (they run to two lines), before anything is
 * recorded. A description alone never goes in under a code nobody chose.
 */
function CodePicker({ onPick, onCancel }: { onPick: (code: ProblemEntry['code']) => void; onCancel: () => void }) {
  return (
    <section className="card entry" aria-labelledby="code-picker-title">
      <h2 id="code-picker-title">{c.problems.pickCode}</h2>
      <p className="q-hint">{c.problems.pickCodeHint}</p>
      <ul className="plain-list code-list">
        {PROBLEM_CODES.map((p) => (
          <li key={p.code}>
            <button type="button" className="btn btn-block code-choice" onClick={() => onPick(p.code)}>
              <strong>{p.code}</strong> {p.title}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="btn btn-block" onClick={onCancel}>
        {c.problems.cancel}
      </button>
    </section>
  );
}

function CodeField({ index }: { index: number }) {
  const { field } = useController<CheckFormBody, `problems.${number}.code`>({ name: `problems.${index}.code` });
  const id = fieldId(`problems.${index}.code`);
  return (
    <div className="field q">
      <label htmlFor={id} className="q-label">
        {c.problems.code}
      </label>
      <select id={id} value={field.value} onChange={(e) => field.onChange(e.target.value)} onBlur={field.onBlur}>
        {PROBLEM_CODES.map((p) => (
          <option key={p.code} value={p.code}>
            {`${p.code} ${p.title}`}
          </option>
        ))}
      </select>
    </div>
  );
}

function PersonsField({ index }: { index: number }) {
  const { field } = useController<CheckFormBody, `problems.${number}.personIds`>({ name: `problems.${index}.personIds` });
  const members = useWatch<CheckFormBody, 'members'>({ name: 'members' });
  const chosen = new Set(field.value);
  const named = members.filter((m) => m.name.trim() !== '');
  if (named.length === 0) return null;
  return (
    <fieldset className="q">
      <legend className="q-label">{c.problems.persons}</legend>
      <div className="checks">
        {named.map((m) => (
          <label key={m.personId} className={chosen.has(m.personId) ? 'choice choice-on' : 'choice'}>
            <input
              type="checkbox"
              checked={chosen.has(m.personId)}
              onChange={(e) => field.onChange(e.target.checked ? [...field.value, m.personId] : field.value.filter((x) => x !== m.personId))}
            />
            <span>{m.name}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function ProblemEntryCard({ index, onRemove }: { index: number; onRemove: () => void }) {
  const p = useWatch<CheckFormBody, `problems.${number}`>({ name: `problems.${index}` });
  return (
    <EntryCard title={`${p.code} ${problemTitle(p.code)}`} badge={<span className="tag">{p.source === 'proposed' ? c.problems.sourceProposed : c.problems.sourceManual}</span>}>
      <CodeField index={index} />
      <YuanField name={`problems.${index}.amountFen`} label={c.problems.amount} />
      <TextField name={`problems.${index}.description`} label={c.problems.description} multiline />
      <PersonsField index={index} />
      <button type="button" className="btn btn-danger-text" onClick={onRemove}>
        {c.problems.remove}
      </button>
    </EntryCard>
  );
}

export function ProblemsSection({ proposals, footer }: { proposals: readonly ProblemEntry[]; footer: ReactNode }) {
  const { fields, append, remove } = useFieldArray<CheckFormBody, 'problems'>({ name: 'problems' });
  const [picking, setPicking] = useState(false);
  return (
    <>
      <section className="card proposals" aria-labelledby="proposals-title">
        <h2 id="proposals-title">{c.problems.proposed}</h2>
        <p className="q-hint">{c.problems.proposedHint}</p>
        {proposals.length === 0 ? (
          <p className="muted">{c.problems.noProposals}</p>
        ) : (
          <>
            <ul className="proposal-list">
              {proposals.map((p) => (
                <li key={p.key} className="proposal">
                  <p className="proposal-title">
                    <strong>{p.code}</strong> {problemTitle(p.code)}
                  </p>
                  <p>{p.description}</p>
                  {p.amountFen !== null && <p className="muted">{c.problems.amountShown(formatYuan(p.amountFen))}</p>}
                  <button type="button" className="btn btn-primary" onClick={() => append(p, { shouldFocus: false })}>
                    {c.problems.accept}
                  </button>
                </li>
              ))}
            </ul>
            {proposals.length > 1 && (
              <button type="button" className="btn btn-block" onClick={() => append([...proposals], { shouldFocus: false })}>
                {c.problems.acceptAll}
              </button>
            )}
          </>
        )}
      </section>
      <h2 className="group-title">{c.problems.list}</h2>
      {fields.length === 0 && <p className="card muted">{c.problems.none}</p>}
      {fields.map((f, i) => (
        <ProblemEntryCard key={f.id} index={i} onRemove={() => remove(i)} />
      ))}
      {picking ? (
        <CodePicker
          onPick={(code) => {
            append(newProblem(code), { shouldFocus: false });
            setPicking(false);
          }}
          onCancel={() => setPicking(false)}
        />
      ) : (
        <button type="button" className="btn btn-block btn-add" onClick={() => setPicking(true)}>
          {c.problems.add}
        </button>
      )}
      {footer}
    </>
  );
}
