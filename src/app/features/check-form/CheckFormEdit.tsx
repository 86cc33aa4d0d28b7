/**
 * The household check form (一户一表): one screen per section of domain.md
 * §4, filled face to face and offline. Every change is in IndexedDB within
 * ~400 ms (useAutosave); reopening returns to the section the cadre left
 * (useSectionNav). "提交" checks the schema and the form rules, then queues
 * the form for the sync runner (useCheckFormSubmit); it stays editable until
 * the server has it, and the banner follows what the runner does with it
 * (useLiveForm).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { FormProvider, useForm, useWatch } from 'react-hook-form';
import { useLocation } from 'wouter';
import { formIssues, proposeProblems } from '#shared/domain/check-form-rules.ts';
import type { Me } from '#shared/schemas/auth.ts';
import { CheckFormBodySchema, type CheckFormBody } from '#shared/schemas/check-form.ts';
import { configureZodMessages } from '#shared/schemas/zod-locale.ts';
import type { HouseholdContext } from '../../db/check-form-store.ts';
import type { LocalForm } from '../../db/device-db.ts';
import { discardDraft } from '../../db/form-store.ts';
import { checkFormText as c } from '../../i18n/check-form.zh-CN.ts';
import { TopBar } from '../../components/TopBar.tsx';
import { sectionOfPath } from './form-paths.ts';
import { FormUiContext, type FormUi, type ShownIssue } from './form-ui.tsx';
import { SectionBar } from './SectionBar.tsx';
import { AccountsSection } from './sections/AccountsSection.tsx';
import { EvidenceSection } from './sections/EvidenceSection.tsx';
import { HouseholdSection } from './sections/HouseholdSection.tsx';
import { ItemsSection } from './sections/ItemsSection.tsx';
import { MembersSection } from './sections/MembersSection.tsx';
import { ProblemsSection } from './sections/ProblemsSection.tsx';
import { PublicitySection } from './sections/PublicitySection.tsx';
import { StateBanner } from './StateBanner.tsx';
import { SubmitCard } from './SubmitCard.tsx';
import { useAutosave } from './useAutosave.ts';
import { useCheckFormLoad } from './useCheckFormLoad.ts';
import { useCheckFormSubmit } from './useCheckFormSubmit.ts';
import { useLiveForm } from './useLiveForm.ts';
import { useSectionNav } from './useSectionNav.ts';
import { useVisitClock } from './useVisitClock.ts';

// zod's own messages in Chinese, for the checks that have no message of their own (zod loads with this screen, not at start).
configureZodMessages();

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

function CheckFormScreen({ form, ctx }: { form: LocalForm; ctx: HouseholdContext }) {
  const [initialJson] = useState(() => JSON.stringify(form.body));
  const methods = useForm<CheckFormBody>({
    defaultValues: form.body,
    resolver: zodResolver(CheckFormBodySchema),
    mode: 'onChange',
    shouldFocusError: false,
  });
  const body = useWatch({ control: methods.control }) as CheckFormBody;
  const nav = useSectionNav(form, body);
  const { current, go } = nav;
  const autosave = useAutosave(form.id, methods, initialJson, current);
  useVisitClock(form.id, current);
  const live = useLiveForm(form, autosave, methods.reset);
  const [storageFull, setStorageFull] = useState(false);
  const [invalidInputs, setInvalidInputs] = useState<ReadonlyMap<string, string>>(new Map());
  const { submit, submitting, note, submitted, nextHousehold, showMissing, confirmRef } = useCheckFormSubmit(form, methods, body, autosave.flush, invalidInputs, go, ctx.persons);
  const onSubmit = () => void submit();
  const [, navigate] = useLocation();

  const deferredBody = useDeferredValue(body);
  const issues = useMemo(() => formIssues(deferredBody, { roster: ctx.persons }), [deferredBody, ctx.persons]);
  const ledger = useMemo(() => ({ paymentLines: ctx.paymentLines, items: ctx.items, persons: ctx.persons }), [ctx]);
  const proposals = useMemo(() => proposeProblems(deferredBody, ledger), [deferredBody, ledger]);

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

  const isLast = nav.sections.indexOf(current) === nav.sections.length - 1;
  const headName = ctx.persons.find((p) => p.id === body.household.headPersonId)?.name ?? '';
  const submitLabel = live.state === 'draft' ? c.submit.button : c.submit.resubmit;
  const footer = (
    <SubmitCard submitted={submitted} nextHousehold={nextHousehold} submitting={submitting} confirmRef={confirmRef} onSubmit={onSubmit} label={submitLabel} warnings={showMissing ? issues.warnings : []} />
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
            {note?.tone === 'error' && (
              <p className="form-error" role="alert">
                {note.text}
              </p>
            )}
            <h1 id="section-title" tabIndex={-1}>
              {c.sections[current]}
            </h1>
            <p className="muted section-hint">{c.sectionHints[current]}</p>
            <form noValidate onSubmit={(e) => e.preventDefault()}>
              {current === 'household' && <HouseholdSection ctx={ctx} />}
              {current === 'members' && <MembersSection persons={ctx.persons} />}
              {current === 'items' && <ItemsSection ctx={ctx} />}
              {current === 'accounts' && <AccountsSection />}
              {current === 'publicity' && <PublicitySection />}
              {current === 'evidence' && <EvidenceSection storageFull={storageFull || autosave.error?.kind === 'quota'} onStorageFull={() => setStorageFull(true)} />}
              {current === 'problems' && <ProblemsSection proposals={proposals} footer={footer} />}
              {/* After a first attempt the submit button is on every section: fix one thing, submit, go to the next. */}
              {current !== 'problems' && (isLast || showMissing || submitted) && footer}
            </form>
          </main>
          <SectionBar nav={nav} progress={issues.progress} showMissing={showMissing} submitLabel={submitLabel} submitting={submitting} onSubmit={onSubmit} />
        </div>
      </FormUiContext.Provider>
    </FormProvider>
  );
}
