/** The first screen after signing in with a password an admin set: choose one's own (POST /api/me/password). */
import { useState, type SyntheticEvent } from 'react';
import { checkPassword } from '#shared/domain/password-rules.ts';
import type { Me } from '#shared/schemas/auth.ts';
import { apiRequest, noContent } from '../../api/http.ts';
import { accountText as a } from '../../i18n/account.zh-CN.ts';
import { useSession } from './useSession.ts';

export default function ChangePasswordPage({ me }: { me: Me }) {
  const { refresh, signOut } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async (e: SyntheticEvent) => {
    e.preventDefault();
    const rule = checkPassword(next, me.username);
    if (!rule.ok) return setError(rule.message);
    if (next !== repeat) return setError(a.mismatch);
    setSaving(true);
    setError(null);
    try {
      await apiRequest('POST', '/me/password', noContent, { current, next });
      await refresh();
    } catch (err) {
      setError(a.failed(err instanceof Error ? err.message : String(err)));
    } finally {
      setSaving(false);
    }
  };

  return (
    <main className="page page-narrow">
      <h1>{a.changeTitle}</h1>
      <p className="muted">{a.changeIntro}</p>
      <form className="card form" onSubmit={(e) => void save(e)} noValidate>
        <div className="field">
          <label htmlFor="pw-current">{a.current}</label>
          <input id="pw-current" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="pw-next">{a.next}</label>
          <input id="pw-next" type="password" autoComplete="new-password" aria-describedby="pw-rules" value={next} onChange={(e) => setNext(e.target.value)} />
          <p className="muted" id="pw-rules">
            {a.rules}
          </p>
        </div>
        <div className="field">
          <label htmlFor="pw-repeat">{a.repeat}</label>
          <input id="pw-repeat" type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={saving}>
          {saving ? a.saving : a.save}
        </button>
        <button type="button" className="btn btn-block" onClick={() => void signOut()}>
          {a.signOut}
        </button>
      </form>
    </main>
  );
}
