import { lazy, Suspense } from 'react';
import { Redirect, Route, Switch, useLocation } from 'wouter';
import type { Me } from '#shared/schemas/auth.ts';
import { SignInPage } from './features/auth/SignInPage.tsx';
import { useSession } from './features/auth/useSession.ts';
import { HomePage } from './features/home/HomePage.tsx';
import { t } from './i18n/index.ts';
import { UpdatePrompt } from './pwa/UpdatePrompt.tsx';
import { useSyncRunner } from './sync/useSyncRunner.ts';

// Every screen past home is its own chunk: the sign-in and home screens stay
// within the field path's 120 KB (BENCHMARKS.md).
const HouseholdListPage = lazy(() => import('./features/households/HouseholdListPage.tsx'));
const CheckFormEdit = lazy(() => import('./features/check-form/CheckFormEdit.tsx'));
const SyncPage = lazy(() => import('./features/sync/SyncPage.tsx'));
const ReviewListPage = lazy(() => import('./features/review/ReviewListPage.tsx'));
const ReviewDetailPage = lazy(() => import('./features/review/ReviewDetailPage.tsx'));
const FormPrintPage = lazy(() => import('./features/review/FormPrintPage.tsx'));
// The admin's import screen is its own chunk: it never loads on the field path.
const RosterImportPage = lazy(() => import('./features/admin/RosterImportPage.tsx'));
const AuditLogPage = lazy(() => import('./features/admin/AuditLogPage.tsx'));
const UsersPage = lazy(() => import('./features/admin/UsersPage.tsx'));
const LedgerListPage = lazy(() => import('./features/ledger/LedgerListPage.tsx'));
const LedgerPrintPage = lazy(() => import('./features/ledger/LedgerPrintPage.tsx'));
const LedgerItemPage = lazy(() => import('./features/ledger/LedgerItemPage.tsx'));
const TasksPage = lazy(() => import('./features/ledger/TasksPage.tsx'));
const MonthlyReportPage = lazy(() => import('./features/reports/MonthlyReportPage.tsx'));
const CoveragePage = lazy(() => import('./features/coverage/CoveragePage.tsx'));
const InspectionPage = lazy(() => import('./features/inspection/InspectionPage.tsx'));
const RoundPage = lazy(() => import('./features/inspection/RoundPage.tsx'));
const ComparisonPage = lazy(() => import('./features/inspection/ComparisonPage.tsx'));
// Only after signing in with a password an admin set; the app waits behind it.
const ChangePasswordPage = lazy(() => import('./features/auth/ChangePasswordPage.tsx'));
// The public tip-off page: anyone, signed in or not.
const TipPage = lazy(() => import('./features/tip/TipPage.tsx'));
// The public disclosure (公示): anyone, signed in or not.
const DisclosurePage = lazy(() => import('./features/disclosure/DisclosurePage.tsx'));

function Loading() {
  return (
    <main className="page" aria-busy="true">
      <p className="muted">{t.loading}</p>
    </main>
  );
}

function SignedIn({ me }: { me: Me }) {
  const sync = useSyncRunner(true);
  return (
    <Suspense fallback={<Loading />}>
      <Switch>
        <Route path="/households">{() => <HouseholdListPage me={me} />}</Route>
        <Route path="/households/:householdId/form">{(p) => <CheckFormEdit me={me} householdId={decodeURIComponent(p.householdId)} />}</Route>
        <Route path="/sync">{() => <SyncPage me={me} syncNow={sync.syncNow} />}</Route>
        <Route path="/review">{() => <ReviewListPage />}</Route>
        <Route path="/review/:formId">{(p) => <ReviewDetailPage formId={p.formId} />}</Route>
        <Route path="/review/:formId/print">{(p) => <FormPrintPage formId={p.formId} />}</Route>
        <Route path="/tasks">{() => (me.role === 'cadre' ? <TasksPage syncNow={sync.syncNow} /> : <Redirect to="/" />)}</Route>
        <Route path="/ledger">{() => (me.role === 'inspector' ? <Redirect to="/" /> : <LedgerListPage me={me} />)}</Route>
        <Route path="/ledger/print">{() => (me.role === 'inspector' ? <Redirect to="/" /> : <LedgerPrintPage />)}</Route>
        <Route path="/ledger/:itemId">{(p) => (me.role === 'inspector' ? <Redirect to="/" /> : <LedgerItemPage itemId={p.itemId} />)}</Route>
        <Route path="/reports/monthly">{() => (me.role === 'supervisor' || me.role === 'admin' ? <MonthlyReportPage /> : <Redirect to="/" />)}</Route>
        <Route path="/coverage">{() => (me.role === 'supervisor' || me.role === 'admin' ? <CoveragePage /> : <Redirect to="/" />)}</Route>
        <Route path="/coverage/:code">{(p) => (me.role === 'supervisor' || me.role === 'admin' ? <CoveragePage key={p.code} area={p.code} /> : <Redirect to="/" />)}</Route>
        <Route path="/inspection">{() => (me.role === 'supervisor' || me.role === 'admin' ? <InspectionPage me={me} /> : <Redirect to="/" />)}</Route>
        <Route path="/inspection/households/:householdId">
          {(p) => (me.role === 'cadre' ? <Redirect to="/" /> : <ComparisonPage householdId={decodeURIComponent(p.householdId)} back={me.role === 'inspector' ? '/households' : '/inspection'} />)}
        </Route>
        <Route path="/inspection/:roundId">{(p) => (me.role === 'supervisor' || me.role === 'admin' ? <RoundPage roundId={p.roundId} /> : <Redirect to="/" />)}</Route>
        <Route path="/admin/imports">{() => (me.role === 'admin' ? <RosterImportPage me={me} /> : <Redirect to="/" />)}</Route>
        <Route path="/admin/users">{() => (me.role === 'admin' ? <UsersPage me={me} /> : <Redirect to="/" />)}</Route>
        <Route path="/admin/audit">{() => (me.role === 'admin' ? <AuditLogPage /> : <Redirect to="/" />)}</Route>
        <Route>{() => <HomePage me={me} syncNow={sync.syncNow} />}</Route>
      </Switch>
    </Suspense>
  );
}

export function App() {
  const { state } = useSession();
  const [location] = useLocation();
  if (location === '/report' || location === '/gongshi') {
    return <Suspense fallback={<Loading />}>{location === '/report' ? <TipPage /> : <DisclosurePage />}</Suspense>;
  }
  return (
    <>
      <UpdatePrompt />
      {state.status === 'loading' && <Loading />}
      {state.status === 'signed-out' && <SignInPage expired={state.reason === 'expired'} wiped={state.reason === 'wiped'} />}
      {state.status === 'signed-in' &&
        (state.me.mustChangePassword === true ? (
          <Suspense fallback={<Loading />}>
            <ChangePasswordPage me={state.me} />
          </Suspense>
        ) : (
          <SignedIn me={state.me} />
        ))}
    </>
  );
}
