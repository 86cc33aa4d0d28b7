/**
 * The household check form (一户一表): one screen per section of domain.md
 * §4, filled face to face and offline. Every change is in IndexedDB within
 * ~400 ms (useAutosave); reopening returns to the section the cadre left.
 * "提交" checks the schema and the form rules, then queues the form for the
 * sync runner; it stays editable until the server has it.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { FormProvider, useForm, useWatch, type FieldErrors } from 'react-hook-form';
import { Link, useLocation } from 'wouter';
import { DEFAULT_CHECK_PERIOD, formIssues, isSectionId, prefillForm, proposeProblems, SECTION_IDS, sectionsFor, type SectionId } from '#shared/domain/check-form-rules.ts';
import type { Me } from '#shared/schemas/auth.ts';
import { CheckFormBodySchema, type CheckFormBody } from '#shared/schemas/check-form.ts';
import { configureZodMessages } from '#shared/schemas/zod-locale.ts';
import { collectUnusedBlobs, openCheckForm, saveResumeAt, watchForm, watchHouseholdArrival, type HouseholdContext } from '../../db/check-form-store.ts';
import type { LocalForm } from '../../db/device-db.ts';
import { discardDraft, isDiscardable, submitForm } from '../../db/form-store.ts';
import { nextHouseholdToCheck, type HouseholdSummary } from '../../db/roster-store.ts';
import { checkFormText as c } from '../../i18n/check-form.zh-CN.ts';
import { isoWithOffset } from './datetime.ts';
import { fieldId, FormUiContext, type FormUi, type ShownIssue } from './form-ui.tsx';
import { AccountsSection } from './sections/AccountsSection.tsx';
import { EvidenceSection } from './sections/EvidenceSection.tsx';
import { HouseholdSection } from './sections/HouseholdSection.tsx';
import { ItemsSection } from './sections/ItemsSection.tsx';
import { MembersSection } from './sections/MembersSection.tsx';
import { ProblemsSection } from './sections/ProblemsSection.tsx';
import { PublicitySection } from './sections/PublicitySection.tsx';
import { useAutosave } from './useAutosave.ts';
import { TopBar } from '../../components/TopBar.tsx';

// zod's own messages in Chinese, for the checks that have no message of their own (zod loads with this screen, not at start).
configureZodMessages();

/** User Timing entry of the device reads (and the creation) when a form opens; test/bench/check-form.ts reports it. */
const LOAD_MEASURE = 'check-form:load';

type Load =
  | { status: 'loading' }
  | { status: 'not-for-role' }
  | { status: 'missing' }
  | { status: 'failed'; message: string }
  | { status: 'ready'; form: LocalForm; ctx: HouseholdContext };

function kindFor(role: Me['role']): LocalForm['kind'] | null {
  if (role === 'cadre') return 'cadre';
  if (role === 'inspector') return 'inspection';
  return null;
}

/** Opens the household's form, creating it pre-filled on first visit; waits for the household if the download has not brought it yet. */
function useCheckFormLoad(me: Me, householdId: string): Load {
  const kind = kindFor(me.role);
  const [state, setState] = useState<{ forId: string; load: Load } | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (kind === null) return;
    let cancelled = false;
    const interviewer = me.displayName;
    const start = performance.now();
    openCheckForm(householdId, kind, (ctx) =>
      prefillForm(ctx.household, ctx.persons, ctx.accounts, ctx.paymentLines, ctx.items, DEFAULT_CHECK_PERIOD, interviewer, { kind, visitedAt: isoWithOffset(new Date()) }),
    ).then(
      (opened) => {
        performance.measure(LOAD_MEASURE, { start, end: performance.now() });
        if (!cancelled) setState({ forId: householdId, load: opened ? { status: 'ready', ...opened } : { status: 'missing' } });
      },
      (err: unknown) => {
        if (!cancelled) setState({ forId: householdId, load: { status: 'failed', message: err instanceof Error ? err.message : String(err) } });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [householdId, kind, me.displayName, attempt]);
  const missing = state?.forId === householdId && state.load.status === 'missing';
  useEffect(() => {
    if (!missing) return;
    return watchHouseholdArrival(householdId, () => setAttempt((a) => a + 1));
  }, [missing, householdId]);
  useEffect(() => {
    // Housekeeping, off the critical path: earlier strokes of signatures nobody refers to any more.
    const t = window.setTimeout(() => void collectUnusedBlobs().catch(() => undefined), 3000);
    return () => window.clearTimeout(t);
  }, []);
  if (kind === null) return { status: 'not-for-role' };
  if (state?.forId !== householdId) return { status: 'loading' };
  return state.load;
}

export default function CheckFormEdit({ me, householdId }: { me: Me; householdId: string }) {
  const load = useCheckFormLoad(me, householdId);
  if (load.status === 'ready') return <CheckFormScreen key={load.form.id} form={load.form} ctx={load.ctx} />;
  const message =
    load.status === 'loading' ? c.loading : load.status === 'missing' ? c.notOnDevice : load.status === 'not-for-role' ? c.notForRole : c.openFailed(load.message);
  return (
    <>
      <FormTopBar title={c.title} saveStatus={null} />
      <main className="page" aria-busy={load.status === 'loading'}>
        <p className={load.status === 'loading' ? 'muted' : 'notice'} role="status">
          {message}
        </p>
      </main>
    </>
  );
}

/** The form's top bar: back to the list, and whether the last change is saved. */
function FormTopBar({ title, saveStatus }: { title: string; saveStatus: ReturnType<typeof useAutosave>['status'] | null }) {
  return (
    <TopBar title={title} back={{ href: '/households', label: c.back }}>
      {saveStatus ? (
        <span className={saveStatus === 'error' ? 'pill pill-warn' : 'pill pill-ok'} role="status" data-testid="save-status">
          {c.save[saveStatus === 'pending' ? 'pending' : saveStatus]}
        </span>
      ) : (
        <span />
      )}
    </TopBar>
  );
}

/** The section a field path belongs to ('members.2.present' → members). */
function sectionOfPath(path: string): SectionId {
  const head = path.split('.')[0] ?? '';
  if (isSectionId(head)) return head;
  return 'household';
}

/** Leaf paths of react-hook-form's error tree, in document order. */
function errorPaths(errors: FieldErrors, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(errors)) {
    if (!v || typeof v !== 'object') continue;
    const path = prefix === '' ? k : `${prefix}.${k}`;
    if ('message' in v && typeof v.message === 'string') out.push(path);
    else out.push(...errorPaths(v as FieldErrors, path));
  }
  return out;
}

const bySectionOrder = (a: string, b: string) => SECTION_IDS.indexOf(sectionOfPath(a)) - SECTION_IDS.indexOf(sectionOfPath(b));

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

function StateBanner({ form, onField, onDiscard }: { form: LocalForm; onField: (path: string) => void; onDiscard: () => Promise<string | null> }) {
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

function CheckFormScreen({ form, ctx }: { form: LocalForm; ctx: HouseholdContext }) {
  const [initialJson] = useState(() => JSON.stringify(form.body));
  const methods = useForm<CheckFormBody>({
    defaultValues: form.body,
    resolver: zodResolver(CheckFormBodySchema),
    mode: 'onChange',
    shouldFocusError: false,
  });
  const body = useWatch({ control: methods.control }) as CheckFormBody;
  const [section, setSection] = useState<SectionId>(() => {
    const resumeAt = form.resumeAt;
    return isSectionId(resumeAt) && sectionsFor(form.body).includes(resumeAt) ? resumeAt : 'household';
  });
  const autosave = useAutosave(form.id, methods, initialJson, section);
  const [live, setLive] = useState<LocalForm>(form);
  const [showMissing, setShowMissing] = useState(false);
  const [storageFull, setStorageFull] = useState(false);
  const [invalidInputs, setInvalidInputs] = useState<ReadonlyMap<string, string>>(new Map());
  const [submitNote, setSubmitNote] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [submitting, setSubmitting] = useState(false);
  /** Just submitted and not edited since: the confirmation stands where the cadre tapped. */
  const [submitted, setSubmitted] = useState(false);
  const [nextHousehold, setNextHousehold] = useState<HouseholdSummary | null>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const [, navigate] = useLocation();
  // A new object each time: "提交" twice on the same missing answer focuses it again.
  const [focusTarget, setFocusTarget] = useState<{ path: string } | null>(null);

  // The device copy as the sync runner changes it (ready → synced, returned, attention).
  const knownRev = useRef(form.serverRev);
  const { reset } = methods;
  const { markSaved, isIdle, savedJson } = autosave;
  useEffect(
    () =>
      watchForm(form.id, (f) => {
        if (!f) return;
        // Every autosave wakes this up too: re-render only when what the banner shows changed.
        setLive((prev) =>
          prev.state === f.state && prev.serverRev === f.serverRev && prev.reviewStatus === f.reviewStatus && prev.reviewComment === f.reviewComment && JSON.stringify(prev.lastResult) === JSON.stringify(f.lastResult) ? prev : f,
        );
        // A newer server version (merged on the server, or sent back) replaces an untouched form on screen.
        if (f.serverRev > knownRev.current && (f.state === 'synced' || f.state === 'returned') && isIdle()) {
          const json = JSON.stringify(f.body);
          if (json !== savedJson()) {
            markSaved(json);
            reset(f.body);
          }
        }
        knownRev.current = Math.max(knownRev.current, f.serverRev);
      }),
    [form.id, isIdle, markSaved, savedJson, reset],
  );

  // An edit after submitting ends the confirmation: the form is to be submitted again.
  const submittedJson = useRef<string | null>(null);
  useEffect(() => {
    if (!submitted) return;
    const json = JSON.stringify(body);
    if (submittedJson.current === null) submittedJson.current = json;
    else if (json !== submittedJson.current) {
      setSubmitted(false);
      setSubmitNote(null);
      submittedJson.current = null;
    }
  }, [body, submitted]);
  useEffect(() => {
    if (submitted) confirmRef.current?.scrollIntoView({ block: 'center' });
  }, [submitted]);

  const deferredBody = useDeferredValue(body);
  const issues = useMemo(() => formIssues(deferredBody), [deferredBody]);
  const ledger = useMemo(() => ({ paymentLines: ctx.paymentLines, items: ctx.items, persons: ctx.persons }), [ctx]);
  const proposals = useMemo(() => proposeProblems(deferredBody, ledger), [deferredBody, ledger]);
  const sections = sectionsFor(body);
  const current: SectionId = sections.includes(section) ? section : 'household';

  const setInvalidInput = useCallback((path: string, message: string | null) => {
    setInvalidInputs((prev) => {
      if ((prev.get(path) ?? null) === message) return prev;
      const next = new Map(prev);
      if (message === null) next.delete(path);
      else next.set(path, message);
      return next;
    });
  }, []);
  const ui = useMemo<FormUi>(() => {
    const map = new Map<string, ShownIssue>();
    for (const w of issues.warnings) if (!map.has(w.path)) map.set(w.path, { ...w, severity: 'warning' });
    for (const e of issues.errors) map.set(e.path, { ...e, severity: 'error' });
    return { issues: map, showMissing, setInvalidInput };
  }, [issues, showMissing, setInvalidInput]);

  const go = useCallback(
    (next: SectionId, focus: string | null = null) => {
      setSection(next);
      setMenuOpen(false);
      setFocusTarget(focus === null ? null : { path: focus });
      void saveResumeAt(form.id, next).catch(() => undefined);
      if (focus === null) window.scrollTo({ top: 0 });
    },
    [form.id],
  );

  // After moving to a field's section, focus it (or its nearest ancestor on screen).
  useEffect(() => {
    if (focusTarget === null) return;
    let path = focusTarget.path;
    let el = document.getElementById(fieldId(path));
    while (!el && path.includes('.')) {
      path = path.slice(0, path.lastIndexOf('.'));
      el = document.getElementById(fieldId(path));
    }
    el ??= document.getElementById('section-title');
    el?.focus({ preventScroll: true });
    el?.scrollIntoView({ block: 'center' });
  }, [focusTarget, current]);

  /** Null once discarded (the screen leaves for the list), else why not. */
  const discard = async (): Promise<string | null> => {
    try {
      // What was typed last is written first, so the draft is discarded whole, never half.
      await autosave.flush();
      if (!(await discardDraft(form.id))) return c.discard.refused;
      navigate('/households', { replace: true });
      return null;
    } catch (err) {
      return c.discard.failed(err instanceof Error ? err.message : String(err));
    }
  };

  const submit = async () => {
    setSubmitting(true);
    setSubmitNote(null);
    try {
      await autosave.flush();
      const firstInvalid = [...invalidInputs.keys()].sort(bySectionOrder)[0];
      if (firstInvalid !== undefined) {
        setShowMissing(true);
        setSubmitNote({ tone: 'error', text: c.submit.blocked(invalidInputs.size) });
        go(sectionOfPath(firstInvalid), firstInvalid);
        return;
      }
      await methods.handleSubmit(
        async (data) => {
          const found = formIssues(data);
          const first = [...found.errors].sort((a, b) => bySectionOrder(a.path, b.path))[0];
          if (first) {
            setShowMissing(true);
            setSubmitNote({ tone: 'error', text: c.submit.blocked(found.errors.length) });
            go(first.section, first.path);
            return;
          }
          await submitForm(form.id, data);
          setSubmitNote({ tone: 'ok', text: c.submit.done });
          setSubmitted(true);
          setNextHousehold(await nextHouseholdToCheck(form.householdId, form.kind).catch(() => null));
        },
        (errors) => {
          const paths = errorPaths(errors).sort(bySectionOrder);
          const first = paths[0];
          setShowMissing(true);
          setSubmitNote({ tone: 'error', text: c.submit.blocked(paths.length) });
          if (first !== undefined) go(sectionOfPath(first), first);
        },
      )();
    } catch (err) {
      setSubmitNote({ tone: 'error', text: c.submit.failed(err instanceof Error ? err.message : String(err)) });
    } finally {
      setSubmitting(false);
    }
  };

  const index = sections.indexOf(current);
  const prev = sections[index - 1];
  const next = sections[index + 1];
  const applicable = SECTION_IDS.filter((s) => issues.progress[s].applicable);
  const required = applicable.reduce((n, s) => n + issues.progress[s].required, 0);
  const answered = applicable.reduce((n, s) => n + issues.progress[s].answered, 0);
  const pct = required === 0 ? 100 : Math.round((answered / required) * 100);
  const headName = ctx.persons.find((p) => p.id === body.household.headPersonId)?.name ?? '';
  const submitLabel = live.state === 'draft' ? c.submit.button : c.submit.resubmit;
  const submitWarnings = showMissing ? issues.warnings : [];

  const footer = submitted ? (
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
  ) : (
    <div className="card submit-card">
      {submitWarnings.length > 0 && (
        <div className="notice">
          <p>{c.submit.warnings(submitWarnings.length)}</p>
          <ul className="plain-list">
            {submitWarnings.map((w) => (
              <li key={`${w.path}:${w.message}`}>{w.message}</li>
            ))}
          </ul>
        </div>
      )}
      <button type="button" className="btn btn-primary btn-block" onClick={() => void submit()} disabled={submitting}>
        {submitting ? c.submit.submitting : submitLabel}
      </button>
    </div>
  );

  return (
    <FormProvider {...methods}>
      <FormUiContext.Provider value={ui}>
        <FormTopBar title={form.kind === 'inspection' ? c.inspectionTitle : c.title} saveStatus={autosave.status} />
        <div className="form-page" data-testid="check-form" data-form-ready="true">
          <main className="page form-main">
            <p className="form-household">{c.householdLine(body.household.groupName, body.household.houseNumber, headName)}</p>
            <StateBanner form={live} onField={(path) => go(sectionOfPath(path), path)} onDiscard={discard} />
            {autosave.error && (
              <p className="form-error" role="alert">
                {autosave.error.kind === 'quota' ? c.save.quota : c.save.failed(autosave.error.message)}
              </p>
            )}
            {submitNote?.tone === 'error' && (
              <p className="form-error" role="alert">
                {submitNote.text}
              </p>
            )}
            <h1 id="section-title" tabIndex={-1}>
              {c.sections[current]}
            </h1>
            <p className="muted section-hint">{c.sectionHints[current]}</p>
            <form noValidate onSubmit={(e) => e.preventDefault()}>
              {current === 'household' && <HouseholdSection ctx={ctx} />}
              {current === 'members' && <MembersSection />}
              {current === 'items' && <ItemsSection ctx={ctx} />}
              {current === 'accounts' && <AccountsSection />}
              {current === 'publicity' && <PublicitySection />}
              {current === 'evidence' && <EvidenceSection storageFull={storageFull || autosave.error?.kind === 'quota'} onStorageFull={() => setStorageFull(true)} />}
              {current === 'problems' && <ProblemsSection proposals={proposals} footer={footer} />}
              {/* After a first attempt the submit button is on every section: fix one thing, submit, go to the next. */}
              {current !== 'problems' && (!next || showMissing || submitted) && footer}
            </form>
          </main>
          <nav className="form-bar" aria-label={c.nav.label}>
            {menuOpen && (
              <ul className="form-menu" id="form-menu">
                {sections.map((s, i) => {
                  const p = issues.progress[s];
                  const status = showMissing && p.errors > 0 ? c.nav.errors(p.errors) : p.required === 0 ? c.nav.optional : p.answered === p.required ? c.nav.done : c.nav.progress(p.answered, p.required);
                  return (
                    <li key={s}>
                      <button type="button" className={s === current ? 'menu-item menu-item-on' : 'menu-item'} aria-current={s === current ? 'step' : undefined} onClick={() => go(s)}>
                        <span>{`${i + 1}. ${c.sections[s]}`}</span>
                        <span className={showMissing && p.errors > 0 ? 'menu-status menu-status-bad' : 'menu-status'}>{status}</span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
            <div className="form-bar-row">
              <button type="button" className="btn bar-btn" disabled={!prev} onClick={() => prev && go(prev)}>
                ‹ {c.nav.prev}
              </button>
              <button type="button" className="bar-mid" aria-expanded={menuOpen} aria-controls={menuOpen ? 'form-menu' : undefined} onClick={() => setMenuOpen((o) => !o)}>
                <span className="bar-step">
                  {c.nav.menu} {c.nav.step(index + 1, sections.length)} {c.sections[current]} ▾
                </span>
                <span className="bar-progress" aria-hidden="true">
                  <span style={{ width: `${pct}%` }} />
                </span>
                <span className="visually-hidden">{c.nav.progress(answered, required)}</span>
              </button>
              {next ? (
                <button type="button" className="btn bar-btn" onClick={() => go(next)}>
                  {c.nav.next} ›
                </button>
              ) : (
                <button type="button" className="btn btn-primary bar-btn" onClick={() => void submit()} disabled={submitting}>
                  {submitLabel}
                </button>
              )}
            </div>
          </nav>
        </div>
      </FormUiContext.Provider>
    </FormProvider>
  );
}
