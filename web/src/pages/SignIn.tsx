// Sign-in: the API's own French message for wrong credentials (401) and for a locked account (429).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { Field } from '../components/ui.tsx';
import { usePageTitle } from '../router.tsx';
import type { Session } from '../types.ts';

export function SignInPage({ notice, onSignedIn }: { notice?: string; onSignedIn(s: Session): void }) {
  usePageTitle('Connexion');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  const errorRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setPending(true);
    setError(null);
    try {
      const s = await api<Session>('POST', '/api/v1/auth/sign-in', { email: email.trim(), password }, { quiet401: true });
      onSignedIn(s);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'error', 'Connexion impossible. Réessayez.'));
      setPending(false);
    }
  };

  const fieldError = (name: string) => error?.fields[name];

  return (
    <main id="contenu" className="signin">
      <div className="signin-card">
        <p className="brand brand-large" aria-hidden="true">
          Guichet
        </p>
        <h1>Connexion au back office</h1>
        <p className="muted">Espace réservé aux agents du Département.</p>
        {notice && !error && (
          <div className="alert alert-info" role="status">
            {notice}
          </div>
        )}
        {error && (
          <div className="alert alert-error" role="alert" tabIndex={-1} ref={errorRef}>
            {error.message}
          </div>
        )}
        <form onSubmit={submit} noValidate>
          <Field label="Adresse électronique" error={fieldError('email')}>
            {(p) => <input {...p} type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />}
          </Field>
          <Field label="Mot de passe" error={fieldError('password')}>
            {(p) => <input {...p} type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
          </Field>
          <button type="submit" className="button button-primary" disabled={pending}>
            {pending ? 'Connexion…' : 'Se connecter'}
          </button>
        </form>
      </div>
    </main>
  );
}
