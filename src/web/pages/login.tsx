import { useEffect, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { useSessionActions } from '../api/session.ts';

/**
 * Sign in with an API token (printed by `tributary init` and `npm run demo`). A link of the form
 * `/#token=…` signs in at once and removes the token from the address bar.
 */
export function LoginPage({ next }: { next: string }) {
  const [, navigate] = useLocation();
  const { login } = useSessionActions();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (value: string) => {
    setBusy(true);
    setError(null);
    try {
      await login(value);
      navigate(next === '/login' ? '/' : next, { replace: true });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
    if (!match) return;
    history.replaceState(null, '', window.location.pathname + window.location.search);
    void submit(decodeURIComponent(match[1]));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(token);
  };

  return (
    <main className="login" id="main">
      <form onSubmit={onSubmit} aria-labelledby="login-title" className="card">
        <h1 id="login-title">Sign in to Tributary</h1>
        <p className="muted">
          Paste an API token. <code>tributary init</code> and <code>npm run demo</code> print one; <code>tributary serve</code> shows the admin token on first start.
        </p>
        <label htmlFor="token">API token</label>
        <input id="token" name="token" type="password" autoComplete="current-password" value={token} onChange={(e) => setToken(e.target.value)} required autoFocus />
        {error ? (
          <p role="alert" className="error-text">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy || token.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
