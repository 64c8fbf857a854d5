import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { loadSession, saveSession, type Session, setUnauthorizedHandler } from './api/client';
import type { Role } from './api/types';
import { ROLE_LABELS } from './lib/labels';
import { Link, match, navigate, useLocation } from './lib/router';
import { makeSessionApi, SessionContext } from './lib/session';
import { DetainerList } from './pages/DetainerList';
import { DetainerPage } from './pages/DetainerPage';
import { Inbox } from './pages/Inbox';
import { LodgeDetainer } from './pages/LodgeDetainer';
import { SignIn } from './pages/SignIn';
import { PageTitle } from './components/page';

interface NavItem {
  to: string;
  label: string;
  roles: Role[];
}

const NAV: NavItem[] = [
  { to: '/inbox', label: 'Inbox', roles: ['jail_staff'] },
  { to: '/detainers', label: 'Detainers', roles: ['officer', 'jail_staff', 'supervisor', 'admin'] },
  { to: '/detainers/new', label: 'Lodge a detainer', roles: ['officer'] },
];

export function homeOf(role: Role): string {
  switch (role) {
    case 'jail_staff':
      return '/inbox';
    case 'officer':
    case 'supervisor':
    case 'admin':
      return '/detainers';
    case 'analyst':
      return '/nothing-yet';
  }
}

interface Route {
  pattern: string;
  roles: Role[];
  render: (params: Record<string, string>) => ReactNode;
}

const ROUTES: Route[] = [
  { pattern: '/inbox', roles: ['jail_staff'], render: () => <Inbox /> },
  { pattern: '/detainers', roles: ['officer', 'jail_staff', 'supervisor', 'admin'], render: () => <DetainerList /> },
  { pattern: '/detainers/new', roles: ['officer'], render: () => <LodgeDetainer /> },
  { pattern: '/detainers/:id', roles: ['officer', 'jail_staff', 'supervisor', 'admin'], render: (p) => <DetainerPage key={p.id} id={p.id!} /> },
];

export function App() {
  const location = useLocation();
  const [session, setSession] = useState<Session | null>(loadSession);
  const [ended, setEnded] = useState<string | null>(null);

  const signOut = useCallback((reason?: string) => {
    saveSession(null);
    setSession(null);
    setEnded(reason ?? null);
    navigate('/signin', { replace: true });
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      const back = `${window.location.pathname}${window.location.search}`;
      saveSession(null);
      setSession(null);
      setEnded('Your session has ended. Sign in again to continue.');
      navigate(`/signin?next=${encodeURIComponent(back)}`, { replace: true });
    });
  }, []);

  // A session ends when its token expires, even while the page stays open.
  useEffect(() => {
    if (!session) return;
    const timer = window.setTimeout(() => signOut('Your session has ended. Sign in again to continue.'), Math.max(0, session.expiresAt - Date.now()));
    return () => window.clearTimeout(timer);
  }, [session, signOut]);

  const api = useMemo(() => (session ? makeSessionApi(session, () => signOut('You have signed out.')) : null), [session, signOut]);

  if (!session || !api || location.path === '/signin') {
    if (session && location.path === '/signin') return <Redirect to={safeNext(location.search.get('next')) ?? homeOf(session.me.role)} />;
    if (!session && location.path !== '/signin') {
      const back = `${location.path}${location.search.size ? `?${location.search}` : ''}`;
      return <Redirect to={location.path === '/' ? '/signin' : `/signin?next=${encodeURIComponent(back)}`} />;
    }
    return (
      <SignIn
        notice={ended}
        onSignedIn={(s) => {
          saveSession(s);
          setSession(s);
          setEnded(null);
          navigate(safeNext(location.search.get('next')) ?? homeOf(s.me.role), { replace: true });
        }}
      />
    );
  }

  const role = session.me.role;
  let content: ReactNode = null;
  if (location.path === '/') return <Redirect to={homeOf(role)} />;
  for (const route of ROUTES) {
    const params = match(route.pattern, location.path);
    if (!params) continue;
    content = route.roles.includes(role) ? route.render(params) : <NotForRole />;
    break;
  }
  content ??= <NotFound />;

  return (
    <SessionContext.Provider value={api}>
      <a className="skip-link" href="#main">Skip to main content</a>
      <header className="app-header">
        <div className="brand">
          <Link to={homeOf(role)}>Detainer workflow</Link>
        </div>
        <nav aria-label="Main">
          <ul>
            {NAV.filter((n) => n.roles.includes(role)).map((n) => (
              <li key={n.to}>
                <Link to={n.to} aria-current={location.path === n.to ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who" aria-label="Signed in">
          <span className="who-name">{session.me.username}</span>
          <span className="who-role">{ROLE_LABELS[role]}</span>
          {session.unitLabel ? <span className="who-unit">{session.unitLabel}</span> : null}
          <button type="button" className="link-button" onClick={api.signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main">{content}</main>
    </SessionContext.Provider>
  );
}

/** Only a path of this app: never another origin (`//evil.example`). */
function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : null;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function NotFound() {
  return (
    <>
      <PageTitle title="Page not found">Page not found</PageTitle>
      <p>
        There is no page here. <Link to="/">Go to your start page</Link>.
      </p>
    </>
  );
}

function NotForRole() {
  return (
    <>
      <PageTitle title="Not available">Not available for your role</PageTitle>
      <p>
        This page is not part of your work. <Link to="/">Go to your start page</Link>.
      </p>
    </>
  );
}
