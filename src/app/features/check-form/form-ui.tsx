/**
 * What every field of the form needs besides its value: the issues of the
 * form rules (errors and warnings beside the field), whether missing answers
 * are shown yet (only after a first "提交"), and a registry of inputs whose
 * text cannot become a value (an amount with letters), which blocks submit.
 */
import { createContext, useContext, useEffect, useId, useState, type ReactNode } from 'react';
import { get, useController, useFormContext, useFormState, useWatch, type FieldPath, type FieldPathByValue } from 'react-hook-form';
import type { FormIssue } from '#shared/domain/check-form-rules.ts';
import { fenToYuanInput, parseYuan } from '#shared/domain/money.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import { checkFormText as c } from '../../i18n/check-form.zh-CN.ts';

export type Severity = 'error' | 'warning';
export interface ShownIssue extends FormIssue {
  severity: Severity;
}

export interface FormUi {
  issues: ReadonlyMap<string, ShownIssue>;
  /** Missing answers are marked only after a first attempt to submit: a fresh form is not a wall of red. */
  showMissing: boolean;
  setInvalidInput: (path: string, message: string | null) => void;
}

export const FormUiContext = createContext<FormUi>({ issues: new Map(), showMissing: false, setInvalidInput: () => undefined });

export function useFormUi(): FormUi {
  return useContext(FormUiContext);
}

/** The DOM id of a field, so "提交" can focus the first field with an error. */
export function fieldId(path: string): string {
  return `f-${path.replace(/[^\w-]/g, '-')}`;
}

/** The message beside one field: the schema's error, an unparseable input, or the rules' issue. */
export function useFieldMessage(path: string, localError?: string | null): { message: string; severity: Severity } | null {
  const { errors } = useFormState<CheckFormBody>({ name: path as never });
  const { issues, showMissing } = useFormUi();
  if (localError) return { message: localError, severity: 'error' };
  const schemaError = get<typeof errors, { message?: string } | undefined>(errors, path);
  if (schemaError?.message) return { message: schemaError.message, severity: 'error' };
  const issue = issues.get(path);
  if (issue && (issue.kind === 'invalid' || showMissing)) return { message: issue.message, severity: issue.severity };
  return null;
}

export function FieldMessage({ id, message }: { id: string; message: { message: string; severity: Severity } | null }) {
  if (!message) return null;
  return (
    <p id={id} className={message.severity === 'error' ? 'field-error' : 'field-warning'}>
      {message.message}
    </p>
  );
}

// ---------------------------------------------------------------------------
// Choice questions: big buttons, one tap, one hand.

export interface ChoiceOption<V> {
  value: V;
  label: string;
}

/** A question answered by one of a few values: null (or, for fields added later, absent) until answered. */
type NullableChoicePath<V> = FieldPathByValue<CheckFormBody, V | null> | FieldPathByValue<CheckFormBody, V | undefined>;

export function ChoiceField<V extends string | boolean>({
  name,
  label,
  hint,
  options,
  columns,
}: {
  name: NullableChoicePath<V>;
  label: string;
  hint?: string | undefined;
  options: readonly ChoiceOption<V>[];
  columns?: number;
}) {
  const { field } = useController<CheckFormBody, NullableChoicePath<V>>({ name });
  const message = useFieldMessage(name);
  const msgId = `${fieldId(name)}-msg`;
  const hintId = `${fieldId(name)}-hint`;
  const value = field.value as V | null;
  const describedBy = [hint ? hintId : null, message ? msgId : null].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset className="q" aria-describedby={describedBy}>
      <legend className="q-label">{label}</legend>
      {hint && (
        <p id={hintId} className="q-hint">
          {hint}
        </p>
      )}
      <div className="choices" style={columns ? { gridTemplateColumns: `repeat(${columns}, 1fr)` } : undefined}>
        {options.map((o, i) => (
          <label key={String(o.value)} className={value === o.value ? 'choice choice-on' : 'choice'}>
            <input
              type="radio"
              name={name}
              id={i === 0 ? fieldId(name) : undefined}
              checked={value === o.value}
              aria-invalid={message?.severity === 'error' ? true : undefined}
              onChange={() => field.onChange(o.value)}
              onBlur={field.onBlur}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      <FieldMessage id={msgId} message={message} />
    </fieldset>
  );
}

/** Yes / no with the words of the question (在场 / 不在场 …). */
export function YesNoField({ name, label, hint, yes = c.yes, no = c.no }: { name: NullableChoicePath<boolean>; label: string; hint?: string | undefined; yes?: string; no?: string }) {
  return <ChoiceField<boolean> name={name} label={label} hint={hint} options={[{ value: true, label: yes }, { value: false, label: no }]} />;
}

// ---------------------------------------------------------------------------
// Text, dates, numbers

type StringPath = FieldPathByValue<CheckFormBody, string>;
type NullableStringPath = FieldPathByValue<CheckFormBody, string | null>;

export function TextField({
  name,
  label,
  hint,
  multiline,
  inputMode,
  type = 'text',
  autoComplete = 'off',
  normalize,
}: {
  name: StringPath | NullableStringPath;
  label: string;
  hint?: string | undefined;
  multiline?: boolean;
  inputMode?: 'text' | 'numeric' | 'tel' | 'decimal';
  type?: 'text' | 'tel';
  autoComplete?: string;
  /** Applied to every change, e.g. dropping the spaces a card number is printed with. */
  normalize?: (s: string) => string;
}) {
  const { field } = useController<CheckFormBody, StringPath>({ name: name as StringPath });
  const message = useFieldMessage(name);
  const id = fieldId(name);
  const describedBy = [hint ? `${id}-hint` : null, message ? `${id}-msg` : null].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name,
    value: (field.value as string | null) ?? '',
    onChange: (e: { target: { value: string } }) => field.onChange(normalize ? normalize(e.target.value) : e.target.value),
    onBlur: field.onBlur,
    'aria-invalid': message?.severity === 'error' ? true : undefined,
    'aria-describedby': describedBy,
  } as const;
  return (
    <div className="field q">
      <label htmlFor={id} className="q-label">
        {label}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="q-hint">
          {hint}
        </p>
      )}
      {multiline ? <textarea {...common} rows={3} /> : <input {...common} type={type} inputMode={inputMode} autoComplete={autoComplete} />}
      <FieldMessage id={`${id}-msg`} message={message} />
    </div>
  );
}

export function DateField({ name, label, max }: { name: NullableStringPath; label: string; max?: string }) {
  const { field } = useController<CheckFormBody, NullableStringPath>({ name });
  const message = useFieldMessage(name);
  const id = fieldId(name);
  return (
    <div className="field q">
      <label htmlFor={id} className="q-label">
        {label}
      </label>
      <input
        id={id}
        type="date"
        value={field.value ?? ''}
        max={max}
        onChange={(e) => field.onChange(e.target.value === '' ? null : e.target.value)}
        onBlur={field.onBlur}
        aria-invalid={message?.severity === 'error' ? true : undefined}
        aria-describedby={message ? `${id}-msg` : undefined}
      />
      <FieldMessage id={`${id}-msg`} message={message} />
    </div>
  );
}

type FenPath = FieldPathByValue<CheckFormBody, number | null>;

/**
 * Yuan as typed. The text is kept as typed; the form value (fen) changes
 * only when the text is a valid amount. Text that is not an amount is shown
 * as an error here and blocks submit until it is fixed.
 */
export function YuanField({ name, label, ledgerFen, sameLabel }: { name: FenPath; label: string; ledgerFen?: number | undefined; sameLabel?: string | undefined }) {
  const { field } = useController<CheckFormBody, FenPath>({ name });
  const { setInvalidInput } = useFormUi();
  const value = field.value;
  const [text, setText] = useState(() => (value === null ? '' : fenToYuanInput(value)));
  const [shownFor, setShownFor] = useState<number | null>(value);
  const [localError, setLocalError] = useState<string | null>(null);
  // A value set from outside (the "same as ledger" button, a reset from the server) replaces the text.
  if (value !== shownFor) {
    setShownFor(value);
    const parsed = parseYuan(text);
    if (!(parsed.ok && parsed.fen === value)) {
      setText(value === null ? '' : fenToYuanInput(value));
      setLocalError(null);
    }
  }
  useEffect(() => () => setInvalidInput(name, null), [name, setInvalidInput]);
  const message = useFieldMessage(name, localError);
  const id = fieldId(name);
  return (
    <div className="field q">
      <label htmlFor={id} className="q-label">
        {label}
      </label>
      <div className="amount-row">
        <input
          id={id}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          value={text}
          onChange={(e) => {
            const next = e.target.value;
            setText(next);
            const parsed = parseYuan(next);
            if (parsed.ok) {
              setLocalError(null);
              setInvalidInput(name, null);
              setShownFor(parsed.fen);
              field.onChange(parsed.fen);
            } else {
              setLocalError(parsed.message);
              setInvalidInput(name, parsed.message);
            }
          }}
          onBlur={() => {
            // Written back the way it is stored and shown after a reload: '100' → '100.00'.
            const parsed = parseYuan(text);
            if (parsed.ok) setText(parsed.fen === null ? '' : fenToYuanInput(parsed.fen));
            field.onBlur();
          }}
          aria-invalid={message?.severity === 'error' ? true : undefined}
          aria-describedby={message ? `${id}-msg` : undefined}
        />
        {ledgerFen !== undefined && sameLabel && (
          <button type="button" className="btn btn-small" onClick={() => field.onChange(ledgerFen)}>
            {sameLabel}
          </button>
        )}
      </div>
      <FieldMessage id={`${id}-msg`} message={message} />
    </div>
  );
}

/** A small whole number with big − / + buttons (cards per person). */
export function CountField({ name, label, max = 50 }: { name: FenPath; label: string; max?: number }) {
  const { field } = useController<CheckFormBody, FenPath>({ name });
  const message = useFieldMessage(name);
  const id = fieldId(name);
  const value = field.value;
  const set = (n: number | null) => field.onChange(n === null ? null : Math.max(0, Math.min(max, n)));
  return (
    <div className="field q">
      <label htmlFor={id} className="q-label">
        {label}
      </label>
      <div className="stepper">
        <button type="button" className="btn" aria-label={c.accounts.fewer} onClick={() => set(value === null ? 1 : value - 1)}>
          −
        </button>
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={0}
          max={max}
          value={value ?? ''}
          onChange={(e) => set(e.target.value === '' ? null : Math.trunc(Number(e.target.value)))}
          onBlur={field.onBlur}
          aria-invalid={message?.severity === 'error' ? true : undefined}
          aria-describedby={message ? `${id}-msg` : undefined}
        />
        <button type="button" className="btn" aria-label={c.accounts.more} onClick={() => set(value === null ? 1 : value + 1)}>
          ＋
        </button>
      </div>
      <FieldMessage id={`${id}-msg`} message={message} />
    </div>
  );
}

/** A select over a fixed list; '' is "not chosen" (null). */
export function SelectField({ name, label, options, placeholder }: { name: NullableStringPath | StringPath; label: string; options: readonly ChoiceOption<string>[]; placeholder: string }) {
  const { field } = useController<CheckFormBody, NullableStringPath>({ name });
  const message = useFieldMessage(name);
  const id = fieldId(name);
  return (
    <div className="field q">
      <label htmlFor={id} className="q-label">
        {label}
      </label>
      <select
        id={id}
        value={field.value ?? ''}
        onChange={(e) => field.onChange(e.target.value === '' ? null : e.target.value)}
        onBlur={field.onBlur}
        aria-invalid={message?.severity === 'error' ? true : undefined}
        aria-describedby={message ? `${id}-msg` : undefined}
      >
        <option value="">{placeholder}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldMessage id={`${id}-msg`} message={message} />
    </div>
  );
}

/** A card for one person, item or account, titled for screen readers as a region. */
export function EntryCard({
  title,
  subtitle,
  badge,
  children,
  tone,
  level = 2,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  badge?: ReactNode;
  children: ReactNode;
  tone?: 'new' | undefined;
  level?: 2 | 3;
}) {
  const id = useId();
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className={tone === 'new' ? 'card entry entry-new' : 'card entry'} aria-labelledby={id}>
      <header className="entry-head">
        <Heading id={id}>{title}</Heading>
        {badge}
      </header>
      {subtitle && <div className="entry-sub">{subtitle}</div>}
      {children}
    </section>
  );
}

export interface QuickAnswerValue {
  path: FieldPath<CheckFormBody>;
  value: unknown;
}

/**
 * One tap that answers several questions the common way (all present, the
 * item as the ledger says). Nothing is answered until it is tapped; every
 * question stays on screen to be changed one by one; while they all hold
 * these answers the button shows it, and a second tap puts back what was
 * there before (or clears them, after a reload).
 */
export function QuickAnswer({ label, appliedLabel, answers }: { label: string; appliedLabel: string; answers: readonly QuickAnswerValue[] }) {
  const { setValue, getValues } = useFormContext<CheckFormBody>();
  const current = useWatch<CheckFormBody>({ name: answers.map((a) => a.path) }) as unknown[];
  const [before, setBefore] = useState<unknown[] | null>(null);
  const applied = answers.length > 0 && answers.every((a, i) => current[i] === a.value);
  const set = (values: readonly unknown[]) => {
    answers.forEach((a, i) => setValue(a.path, values[i] as never, { shouldDirty: true, shouldValidate: true }));
  };
  const toggle = () => {
    if (applied) {
      set(before ?? answers.map(() => null));
      setBefore(null);
    } else {
      setBefore(answers.map((a) => getValues(a.path)));
      set(answers.map((a) => a.value));
    }
  };
  return (
    <button type="button" className={applied ? 'btn btn-block btn-quick btn-quick-on' : 'btn btn-block btn-quick'} aria-pressed={applied} onClick={toggle}>
      {applied ? appliedLabel : label}
    </button>
  );
}
