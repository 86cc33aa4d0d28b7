import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import type { Me } from '#shared/schemas/auth.ts';
import { useOnline } from '../../components/useOnline.ts';
import { t } from '../../i18n/index.ts';
import { InstallCard } from '../../pwa/InstallCard.tsx';
import { readStorageStatus, type StorageStatus } from '../../pwa/storage.ts';
import { useSession } from '../auth/useSession.ts';
import { AreaCard, usesAreaOnDevice } from './AreaCard.tsx';
import { formatBytes } from '#shared/domain/format-bytes.ts';
import { TopBar } from '../../components/TopBar.tsx';
import { deviceDb } from '../../db/device-db.ts';
import { observeDevice } from '../../db/live.ts';

/** The signed-in user's start screen; what it offers depends on the role. */
export function HomePage({ me, syncNow }: { me: Me; syncNow: () => Promise<unknown> }) {
  const { signOut } = useSession();
  const online = useOnline();
  const [storage, setStorage] = useState<StorageStatus | null>(null);
  const [signingOut, setSigningOut] = useState(false);

  const [openTasks, setOpenTasks] = useState(0);

  useEffect(() => {
    void readStorageStatus().then(setStorage);
  }, []);

  // The cadre's rectification tasks on the device (kept current by each sync).
  useEffect(() => {
    if (me.role !== 'cadre') return;
    return observeDevice(() => deviceDb.ledgerTasks.filter((task) => task.allowedActions.length > 0).count(), setOpenTasks);
  }, [me.role]);

  return (
    <>
      <TopBar title={t.appShortName}>
        <span className={online ? 'pill pill-ok' : 'pill pill-warn'} role="status">
          {online ? t.home.online : t.home.offline}
        </span>
      </TopBar>
      <main className="page">
        {!online && <p className="notice">{t.home.offlineHint}</p>}
        <h1>{t.home.greeting(me.displayName)}</h1>
        <dl className="card facts">
          <div>
            <dt>{t.home.role}</dt>
            <dd data-testid="role">{t.roles[me.role]}</dd>
          </div>
          <div>
            <dt>{t.home.area}</dt>
            <dd data-testid="area">{me.area.name}</dd>
          </div>
        </dl>
        {usesAreaOnDevice(me) && <AreaCard me={me} syncNow={syncNow} />}
        <InstallCard />
        <section className="card" aria-labelledby="tasks-title">
          <h2 id="tasks-title">{t.home.tasksTitle}</h2>
          <ul className="task-list">
            {t.roleTasks[me.role].map((task) => (
              <li key={task}>{task}</li>
            ))}
          </ul>
          {me.role === 'admin' && (
            <Link href="/admin/imports" className="btn btn-block home-action">
              {t.rosterImport.homeLink}
            </Link>
          )}
          {me.role === 'admin' && (
            <Link href="/admin/users" className="btn btn-block home-action">
              {t.home.users}
            </Link>
          )}
          {me.role === 'admin' && (
            <Link href="/admin/audit" className="btn btn-block home-action">
              {t.home.auditLog}
            </Link>
          )}
          {(me.role === 'supervisor' || me.role === 'admin') && (
            <Link href="/review" className="btn btn-primary btn-block home-action">
              {t.home.review}
            </Link>
          )}
          {me.role === 'cadre' && (
            <Link href="/tasks" className="btn btn-block home-action">
              {openTasks > 0 ? t.home.rectificationCount(openTasks) : t.home.rectification}
            </Link>
          )}
          {(me.role === 'supervisor' || me.role === 'admin') && (
            <Link href="/coverage" className="btn btn-block home-action">
              {t.home.coverage}
            </Link>
          )}
          {(me.role === 'supervisor' || me.role === 'admin') && (
            <Link href="/reports/monthly" className="btn btn-block home-action">
              {t.home.monthly}
            </Link>
          )}
          {(me.role === 'supervisor' || me.role === 'admin') && (
            <Link href="/ledger" className="btn btn-block home-action">
              {t.home.ledger}
            </Link>
          )}
          {(me.role === 'supervisor' || me.role === 'admin') && (
            <Link href="/inspection" className="btn btn-block home-action">
              {t.home.inspection}
            </Link>
          )}
        </section>
        <section className="card" aria-labelledby="device-title">
          <h2 id="device-title">{t.home.device}</h2>
          {storage && (
            <p className={storage.persisted ? 'muted' : 'notice'}>
              {storage.persisted ? t.home.storagePersisted : t.home.storageNotPersisted}
              {storage.usageBytes !== null && storage.quotaBytes !== null && (
                <>
                  <br />
                  {t.home.storageUsage(formatBytes(storage.usageBytes), formatBytes(storage.quotaBytes))}
                </>
              )}
            </p>
          )}
          <p className="muted">{t.home.version(__APP_VERSION__)}</p>
        </section>
        <button
          type="button"
          className="btn btn-block"
          disabled={signingOut}
          onClick={() => {
            setSigningOut(true);
            void signOut().finally(() => setSigningOut(false));
          }}
        >
          {signingOut ? t.home.signingOut : t.home.signOut}
        </button>
      </main>
    </>
  );
}
