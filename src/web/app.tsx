import { lazy, Suspense, useEffect, type ComponentType } from 'react';
import { Link, Redirect, Route, Switch, useLocation, useSearch } from 'wouter';
import { useQueryClient } from '@tanstack/react-query';
import { onUnauthorized } from './api/client.ts';
import { useSession, useSessionActions } from './api/session.ts';
import { DateRangePicker } from './components/date-range-picker.tsx';
import { Loading } from './components/states.tsx';
import { LoginPage } from './pages/login.tsx';
import { RANGE_KEYS } from './lib/date-range.ts';
import { useRangeUnused } from './lib/range-unused.ts';

interface PageDef {
  readonly path: string;
  readonly title: string;
  readonly component: ComponentType;
  /** Pages without the shared date range hide the picker. */
  readonly ranged: boolean;
}

/** Every page is its own chunk, loaded when first visited. */
export const PAGES: readonly PageDef[] = [
  { path: '/', title: 'Overview', component: lazy(() => import('./pages/overview.tsx')), ranged: true },
  { path: '/channels', title: 'Channels', component: lazy(() => import('./pages/channels.tsx')), ranged: true },
  { path: '/attribution', title: 'Attribution', component: lazy(() => import('./pages/attribution.tsx')), ranged: true },
  { path: '/journeys', title: 'Journeys', component: lazy(() => import('./pages/journeys.tsx')), ranged: true },
  { path: '/funnels', title: 'Funnels', component: lazy(() => import('./pages/funnels.tsx')), ranged: true },
  { path: '/retention', title: 'Retention', component: lazy(() => import('./pages/retention.tsx')), ranged: true },
  { path: '/people', title: 'People', component: lazy(() => import('./pages/people.tsx')), ranged: false },
  { path: '/data', title: 'Data', component: lazy(() => import('./pages/data.tsx')), ranged: false },
];

/** The current search string restricted to the shared range, to carry across page links. */
function useRangeQuery(): string {
  const params = new URLSearchParams(useSearch());
  const kept = new URLSearchParams();
  for (const key of RANGE_KEYS) {
    const v = params.get(key);
    if (v !== null) kept.set(key, v);
  }
  const qs = kept.toString();
  return qs ? `?${qs}` : '';
}

function Nav({ onNavigate }: { onNavigate?: () => void }) {
  const [location] = useLocation();
  const query = useRangeQuery();
  return (
    <nav aria-label="Pages" className="nav">
      <ul>
        {PAGES.map((p) => {
          const current = p.path === '/' ? location === '/' : location === p.path || location.startsWith(`${p.path}/`);
          return (
            <li key={p.path}>
              <Link href={p.path + (p.ranged ? query : '')} aria-current={current ? 'page' : undefined} onClick={onNavigate}>
                {p.title}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function Shell() {
  const [location, navigate] = useLocation();
  const session = useSession();
  const { logout } = useSessionActions();
  const client = useQueryClient();
  const rangeUnused = useRangeUnused();
  useEffect(() => onUnauthorized(() => client.setQueryData(['session'], { authenticated: false })), [client]);

  if (session.isPending) return <Loading label="Connecting…" />;
  if (!session.data?.authenticated) {
    const next = location === '/login' ? '/' : location + window.location.search;
    return <LoginPage next={next} />;
  }
  const page = PAGES.find((p) => (p.path === '/' ? location === '/' : location === p.path || location.startsWith(`${p.path}/`)));
  if (page) document.title = `${page.title} · Tributary`;

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand" aria-label="Tributary home">
          <svg viewBox="0 0 16 16" width="20" height="20" aria-hidden="true">
            <path d="M2 14C6 10 6 6 14 2" stroke="currentColor" strokeWidth="3" fill="none" />
          </svg>
          Tributary
        </Link>
        {page?.ranged ? <DateRangePicker unused={rangeUnused} /> : <span />}
        <div className="account">
          <span className="who" title={`role: ${session.data.role ?? ''}`}>
            {session.data.name}
          </span>
          <a className="api-docs" href="/api/docs" target="_blank" rel="noopener" title="The HTTP API, every route and parameter (OpenAPI)">
            API
          </a>
          <button
            type="button"
            onClick={() => {
              void logout().then(() => navigate('/login'));
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <Nav />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading label="Loading page…" />}>
          <Switch>
            <Route path="/login">
              <Redirect to="/" />
            </Route>
            {PAGES.map((p) => (
              <Route key={p.path} path={p.path} component={p.component} nest={p.path !== '/'} />
            ))}
            <Route>
              <div className="state state-empty">
                <strong>No such page</strong>
                <Link href="/">Go to the overview</Link>
              </div>
            </Route>
          </Switch>
        </Suspense>
      </main>
    </div>
  );
}

export function App() {
  return <Shell />;
}
