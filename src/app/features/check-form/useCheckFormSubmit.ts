/**
 * "提交": the last keystrokes saved first, then inputs the screen could not
 * take, the schema and the form rules; the first missing answer is opened;
 * a complete form goes to the outbox (submitForm). After a submit the
 * confirmation stands where the cadre tapped, with the next household to
 * visit, until the form is edited again.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import { formIssues, type FormIssueOptions, type SectionId } from '#shared/domain/check-form-rules.ts';
import type { CheckFormBody } from '#shared/schemas/check-form.ts';
import type { LocalForm } from '../../db/device-db.ts';
import { submitForm } from '../../db/form-store.ts';
import { visitForSubmit } from '../../db/visit-store.ts';
import { isoWithOffset } from './datetime.ts';
import { currentFix } from './useVisitClock.ts';
import { nextHouseholdToCheck, type HouseholdSummary } from '../../db/roster-store.ts';
import { checkFormText as c } from '../../i18n/check-form.zh-CN.ts';
import { bySectionOrder, errorPaths, sectionOfPath } from './form-paths.ts';

export interface CheckFormSubmit {
  submit: () => Promise<void>;
  submitting: boolean;
  /** What the last attempt said (an error is shown at the top; success as the confirmation). */
  note: { tone: 'ok' | 'error'; text: string } | null;
  /** Just submitted and not edited since. */
  submitted: boolean;
  nextHousehold: HouseholdSummary | null;
  /** After a first attempt, missing answers and warnings are shown. */
  showMissing: boolean;
  confirmRef: RefObject<HTMLDivElement | null>;
}

export function useCheckFormSubmit(
  form: Pick<LocalForm, 'id' | 'householdId' | 'kind'>,
  methods: Pick<UseFormReturn<CheckFormBody>, 'handleSubmit'>,
  body: CheckFormBody,
  flush: () => Promise<void>,
  invalidInputs: ReadonlyMap<string, string>,
  go: (section: SectionId, focus?: string | null) => void,
  /** The household's roster members (formIssues' `roster`). */
  roster: FormIssueOptions['roster'] = [],
): CheckFormSubmit {
  const [showMissing, setShowMissing] = useState(false);
  const [note, setNote] = useState<CheckFormSubmit['note']>(null);
  const [submitting, setSubmitting] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [nextHousehold, setNextHousehold] = useState<HouseholdSummary | null>(null);
  const confirmRef = useRef<HTMLDivElement>(null);

  // An edit after submitting ends the confirmation: the form is to be submitted again.
  const submittedJson = useRef<string | null>(null);
  useEffect(() => {
    if (!submitted) return;
    const json = JSON.stringify(body);
    if (submittedJson.current === null) submittedJson.current = json;
    else if (json !== submittedJson.current) {
      setSubmitted(false);
      setNote(null);
      submittedJson.current = null;
    }
  }, [body, submitted]);
  useEffect(() => {
    if (submitted) confirmRef.current?.scrollIntoView({ block: 'center' });
  }, [submitted]);

  const blocked = (count: number, path: string, section: SectionId = sectionOfPath(path)) => {
    setShowMissing(true);
    setNote({ tone: 'error', text: c.submit.blocked(count) });
    go(section, path);
  };

  const submit = async () => {
    setSubmitting(true);
    setNote(null);
    try {
      await flush();
      const firstInvalid = [...invalidInputs.keys()].sort(bySectionOrder)[0];
      if (firstInvalid !== undefined) {
        blocked(invalidInputs.size, firstInvalid);
        return;
      }
      await methods.handleSubmit(
        async (data) => {
          const found = formIssues(data, { roster });
          const first = [...found.errors].sort((a, b) => bySectionOrder(a.path, b.path))[0];
          if (first) {
            blocked(found.errors.length, first.path, first.section);
            return;
          }
          // The visit log goes with the form: its submit time and a fix, if one comes quickly (never blocks long).
          const visit = await visitForSubmit(form.id, isoWithOffset(new Date()), await currentFix(3_000, 120_000));
          await submitForm(form.id, { ...data, visit });
          setNote({ tone: 'ok', text: c.submit.done });
          setSubmitted(true);
          setNextHousehold(await nextHouseholdToCheck(form.householdId, form.kind).catch(() => null));
        },
        (errors) => {
          const paths = errorPaths(errors).sort(bySectionOrder);
          const first = paths[0];
          if (first !== undefined) blocked(paths.length, first);
          else {
            setShowMissing(true);
            setNote({ tone: 'error', text: c.submit.blocked(paths.length) });
          }
        },
      )();
    } catch (err) {
      setNote({ tone: 'error', text: c.submit.failed(err instanceof Error ? err.message : String(err)) });
    } finally {
      setSubmitting(false);
    }
  };

  return { submit, submitting, note, submitted, nextHousehold, showMissing, confirmRef };
}
