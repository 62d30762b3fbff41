import { useEffect, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { useSessionActions, type Credentials } from '../api/session.ts';

type Mode = 'password' | 'token';

/**
 * Sign in with e-mail and password (users: `tributary users add`), or with an API token
 * (printed by `tributary init` and `npm run demo`). A link of the form `/#token=…` signs in at
 * once and removes the token from the address bar.
 */
export function LoginPage({ next }: { next: string }) {
  const [, navigate] = useLocation();
  const { login } = useSessionActions();
  const [mode, setMode] = useState<Mode>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (credentials: Credentials) => {
    setBusy(true);
    setError(null);
    try {
      await login(credentials);
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
    setMode('token');
    void submit({ token: decodeURIComponent(match[1]) });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(mode === 'password' ? { email, password } : { token });
  };
  const incomplete = mode === 'password' ? email.trim() === '' || password === '' : token.trim() === '';

  return (
    <main className="login" id="main">
      <form onSubmit={onSubmit} aria-labelledby="login-title" className="card">
        <h1 id="login-title">Sign in to Tributary</h1>
        <div role="radiogroup" aria-label="Sign in with" className="segmented">
          {(['password', 'token'] as const).map((m) => (
            <label key={m}>
              <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
              {m === 'password' ? 'E-mail and password' : 'API token'}
            </label>
          ))}
        </div>
        {mode === 'password' ? (
          <>
            <label htmlFor="email">E-mail</label>
            <input id="email" name="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus />
            <label htmlFor="password">Password</label>
            <input id="password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
            <p className="muted">
              An administrator adds users with <code>tributary users add --email you@example.com --role analyst</code>.
            </p>
          </>
        ) : (
          <>
            <label htmlFor="token">API token</label>
            <input id="token" name="token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required autoFocus />
            <p className="muted">
              <code>tributary init</code> and <code>npm run demo</code> print an admin token; <code>tributary tokens create</code> makes more.
            </p>
          </>
        )}
        {error ? (
          <p role="alert" className="error-text">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy || incomplete}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
