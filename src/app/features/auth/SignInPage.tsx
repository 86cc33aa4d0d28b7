import { useState } from 'react';
import { checkSignInFields } from '#shared/schemas/wire-guards.ts';
import { ApiRequestError, NetworkError } from '../../api/http.ts';
import { DeviceHandoverError } from '../../db/device-owner.ts';
import { useOnline } from '../../components/useOnline.ts';
import { t } from '../../i18n/index.ts';
import { useSession } from './useSession.ts';

type Field = 'username' | 'password';

/**
 * Two fields do not need react-hook-form (kept for the long check form, where
 * it pays for its ~11 KB). checkSignInFields applies SignInBodySchema's rules
 * without loading zod; the server validates with the schema itself.
 */
export function SignInPage({ expired, wiped = false }: { expired: boolean; wiped?: boolean }) {
  const { signIn } = useSession();
  const online = useOnline();
  const [values, setValues] = useState<Record<Field, string>>({ username: '', password: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function submit() {
    setServerError(null);
    const parsed = checkSignInFields(values);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      document.getElementById(parsed.errors.username ? 'username' : 'password')?.focus();
      return;
    }
    setErrors({});
    setSubmitting(true);
    try {
      await signIn(parsed.data);
    } catch (err) {
      if (err instanceof DeviceHandoverError) setServerError(t.signIn.deviceHeld(err.owner.displayName, err.owner.username, err.unfinished));
      else if (err instanceof ApiRequestError || err instanceof NetworkError) setServerError(err.message);
      else throw err;
    } finally {
      setSubmitting(false);
    }
  }

  const field = (name: Field, label: string, type: string, autoComplete: string) => (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input
        id={name}
        name={name}
        type={type}
        autoComplete={autoComplete}
        autoCapitalize="none"
        value={values[name]}
        onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `${name}-error` : undefined}
      />
      {errors[name] && (
        <p id={`${name}-error`} className="field-error">
          {errors[name]}
        </p>
      )}
    </div>
  );

  return (
    <main className="page page-narrow">
      <h1 className="brand">{t.appName}</h1>
      <p className="muted">{t.signIn.subtitle}</p>
      {expired && (
        <p className="notice" role="status">
          {t.signIn.sessionExpired}
        </p>
      )}
      {wiped && (
        <p className="notice" role="status" data-testid="wiped">
          {t.signIn.wiped}
        </p>
      )}
      {!online && (
        <p className="notice" role="status">
          {t.signIn.offline}
        </p>
      )}
      <form className="card form" onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }} noValidate aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">{t.signIn.title}</h2>
        {field('username', t.signIn.username, 'text', 'username')}
        {field('password', t.signIn.password, 'password', 'current-password')}
        {serverError && (
          <p className="form-error" role="alert">
            {serverError}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={submitting}>
          {submitting ? t.signIn.submitting : t.signIn.submit}
        </button>
      </form>
    </main>
  );
}
