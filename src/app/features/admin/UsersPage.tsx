/**
 * The admin's accounts of their area: create (with a temporary password to
 * hand over), edit, disable and enable, reset a password (issue 12, item 1).
 */
import { useEffect, useMemo, useState, type SyntheticEvent } from 'react';
import { temporaryPassword } from '#shared/domain/password-rules.ts';
import { ROLES, type Me, type Role } from '#shared/schemas/auth.ts';
import type { RegionName } from '#shared/schemas/sync.ts';
import type { User } from '#shared/schemas/users.ts';
import { TopBar } from '../../components/TopBar.tsx';
import { accountText as a } from '../../i18n/account.zh-CN.ts';
import { createUser, listRegions, listUsers, randomIndex, resetPassword, setDisabled, updateUser } from './users-api.ts';
import { UsersImport } from './UsersImport.tsx';
import './users.css';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const newPassword = () => temporaryPassword(randomIndex);

interface Draft {
  username: string;
  displayName: string;
  role: Role;
  areaCode: string;
  phone: string;
  password: string;
}

function AreaInput({ id, value, onChange, regions }: { id: string; value: string; onChange: (v: string) => void; regions: readonly RegionName[] }) {
  return (
    <>
      <input id={id} inputMode="numeric" list={`${id}-list`} value={value} onChange={(e) => onChange(e.target.value.trim())} />
      <datalist id={`${id}-list`}>
        {regions.map((r) => (
          <option key={r.code} value={r.code} label={r.name} />
        ))}
      </datalist>
    </>
  );
}

function RoleSelect({ id, value, onChange }: { id: string; value: Role; onChange: (r: Role) => void }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value as Role)}>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {a.roles[r]}
        </option>
      ))}
    </select>
  );
}

function CreateForm({ me, regions, onCreated }: { me: Me; regions: readonly RegionName[]; onCreated: (u: User, password: string) => void }) {
  const blank = (): Draft => ({ username: '', displayName: '', role: 'cadre', areaCode: '', phone: '', password: newPassword() });
  const [d, setD] = useState<Draft>(blank);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const u = await createUser({ username: d.username.trim(), displayName: d.displayName.trim(), role: d.role, areaCode: d.areaCode || me.area.code, phone: d.phone.trim() || null, password: d.password });
      onCreated(u, d.password);
      setD(blank());
    } catch (err) {
      setError(a.actionFailed(message(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card users-form" onSubmit={(e) => void submit(e)} aria-labelledby="new-user-title" noValidate>
      <h2 id="new-user-title">{a.newUser}</h2>
      <div className="field">
        <label htmlFor="nu-username">{a.username}</label>
        <input id="nu-username" autoComplete="off" value={d.username} onChange={(e) => setD({ ...d, username: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="nu-name">{a.displayName}</label>
        <input id="nu-name" autoComplete="off" value={d.displayName} onChange={(e) => setD({ ...d, displayName: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="nu-role">{a.role}</label>
        <RoleSelect id="nu-role" value={d.role} onChange={(role) => setD({ ...d, role })} />
      </div>
      <div className="field">
        <label htmlFor="nu-area">{a.area}</label>
        <AreaInput id="nu-area" value={d.areaCode} onChange={(areaCode) => setD({ ...d, areaCode })} regions={regions} />
      </div>
      <div className="field">
        <label htmlFor="nu-phone">{a.phone}</label>
        <input id="nu-phone" inputMode="tel" value={d.phone} onChange={(e) => setD({ ...d, phone: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="nu-password">{a.tempPassword}</label>
        <div className="users-password">
          <input id="nu-password" autoComplete="off" value={d.password} onChange={(e) => setD({ ...d, password: e.target.value })} />
          <button type="button" className="btn" onClick={() => setD({ ...d, password: newPassword() })}>
            {a.generate}
          </button>
        </div>
      </div>
      {error && (
        <p className="form-error users-wide" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary users-wide" disabled={busy}>
        {busy ? a.creating : a.create}
      </button>
    </form>
  );
}

function UserCard({ user, isMe, regions, onChanged, onNote }: { user: User; isMe: boolean; regions: readonly RegionName[]; onChanged: (u: User) => void; onNote: (text: string) => void }) {
  const [editing, setEditing] = useState(false);
  const [d, setD] = useState({ displayName: user.displayName, role: user.role, areaCode: user.areaCode, phone: user.phone ?? '' });
  const [error, setError] = useState<string | null>(null);
  const act = async (work: () => Promise<User>, note?: string) => {
    setError(null);
    try {
      onChanged(await work());
      if (note) onNote(note);
      setEditing(false);
    } catch (err) {
      setError(a.actionFailed(message(err)));
    }
  };
  const id = `u-${user.id}`;
  return (
    <li className="card users-card" data-username={user.username}>
      <p className="users-head">
        <strong>
          {user.displayName} <span className="muted">{user.username}</span>
        </strong>
        <span>
          {user.disabled && <span className="pill pill-warn">{a.disabled}</span>} {user.mustChangePassword && <span className="pill">{a.mustChange}</span>}
        </span>
      </p>
      <p className="muted">
        {a.roles[user.role]} · {user.areaName ?? user.areaCode}
        {user.phone && ` · ${user.phone}`}
      </p>
      {editing ? (
        <form
          className="users-edit"
          onSubmit={(e) => {
            e.preventDefault();
            void act(() => updateUser(user.id, { displayName: d.displayName.trim(), role: d.role, areaCode: d.areaCode, phone: d.phone.trim() }));
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-name`}>{a.displayName}</label>
            <input id={`${id}-name`} value={d.displayName} onChange={(e) => setD({ ...d, displayName: e.target.value })} />
          </div>
          {!isMe && (
            <div className="field">
              <label htmlFor={`${id}-role`}>{a.role}</label>
              <RoleSelect id={`${id}-role`} value={d.role} onChange={(role) => setD({ ...d, role })} />
            </div>
          )}
          <div className="field">
            <label htmlFor={`${id}-area`}>{a.area}</label>
            <AreaInput id={`${id}-area`} value={d.areaCode} onChange={(areaCode) => setD({ ...d, areaCode })} regions={regions} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-phone`}>{a.phone}</label>
            <input id={`${id}-phone`} inputMode="tel" value={d.phone} onChange={(e) => setD({ ...d, phone: e.target.value })} />
          </div>
          <div className="button-row">
            <button type="submit" className="btn btn-primary">
              {a.save2}
            </button>
            <button type="button" className="btn" onClick={() => setEditing(false)}>
              {a.cancel}
            </button>
          </div>
        </form>
      ) : (
        <div className="button-row">
          <button type="button" className="btn" onClick={() => setEditing(true)}>
            {a.edit}
          </button>
          {!isMe &&
            (user.disabled ? (
              <button type="button" className="btn" onClick={() => void act(() => setDisabled(user.id, false))}>
                {a.enable}
              </button>
            ) : (
              <button type="button" className="btn" onClick={() => window.confirm(a.confirmDisable(user.displayName)) && void act(() => setDisabled(user.id, true))}>
                {a.disable}
              </button>
            ))}
          <button
            type="button"
            className="btn"
            onClick={() => {
              const password = newPassword();
              void act(() => resetPassword(user.id, password), a.resetDone(user.displayName, password));
            }}
          >
            {a.reset}
          </button>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

export default function UsersPage({ me }: { me: Me }) {
  const [users, setUsers] = useState<User[] | null>(null);
  const [regions, setRegions] = useState<RegionName[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    listUsers().then(
      (u) => live && setUsers(u),
      (e: unknown) => live && setError(message(e)),
    );
    listRegions().then(
      (r) => live && setRegions(r),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  const sorted = useMemo(() => [...(users ?? [])].sort((x, y) => x.areaCode.localeCompare(y.areaCode) || x.username.localeCompare(y.username)), [users]);
  const replace = (u: User) => setUsers((prev) => (prev ?? []).map((x) => (x.id === u.id ? u : x)));

  return (
    <>
      <TopBar title={a.usersTitle} back={{ href: '/', label: a.back }} />
      <main className="page">
        <h1>{a.usersTitle}</h1>
        <p className="muted">{a.usersIntro}</p>
        <CreateForm
          me={me}
          regions={regions}
          onCreated={(u, password) => {
            setUsers((prev) => [...(prev ?? []), u]);
            setNote(a.created(u.displayName, password));
          }}
        />
        <UsersImport
          onCreated={() => {
            listUsers().then(setUsers, (e: unknown) => setError(message(e)));
          }}
        />
        {note && (
          <p className="notice state-ok users-note" role="status" data-testid="users-note">
            {note}
          </p>
        )}
        {error && (
          <p className="form-error" role="alert">
            {a.loadFailed(error)}
          </p>
        )}
        {users === null && !error && <p className="muted">{a.loading}</p>}
        {users && <p className="muted">{a.count(users.length)}</p>}
        <ul className="card-list" data-testid="users-list">
          {sorted.map((u) => (
            <UserCard key={u.id} user={u} isMe={u.id === me.id} regions={regions} onChanged={replace} onNote={setNote} />
          ))}
        </ul>
      </main>
    </>
  );
}
