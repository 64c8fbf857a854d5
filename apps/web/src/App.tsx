import { type ReactNode, useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import { currentSession, sessionEndedReason, setSession, signOut as endSession, subscribeSession } from './api/client';
import type { Role } from './api/types';
import { ROLE_LABELS } from './lib/labels';
import { Link, match, navigate, useLocation } from './lib/router';
import { makeSessionApi, SessionContext } from './lib/session';
import { DetainerList } from './pages/DetainerList';
import { CustodyUpload } from './pages/CustodyUpload';
import { DetainerPage } from './pages/DetainerPage';
import { PrintDetainer } from './pages/PrintDetainer';
import { Worklist } from './pages/Worklist';
import { Disputes } from './pages/Disputes';
import { LodgeDetainer } from './pages/LodgeDetainer';
import { Notifications, useUnreadCount } from './pages/Notifications';
import { QueuePage, Queues } from './pages/Queues';
import { EnrolSecondFactor } from './pages/EnrolSecondFactor';
import { ReportPage, Reports } from './pages/Reports';
import { JurisdictionProfile } from './pages/JurisdictionProfile';
import { SignIn } from './pages/SignIn';
import { PageTitle } from './components/page';
import { ADMIN_ROUTES } from './pages/admin/routes';

interface NavItem {
  to: string;
  label: string;
  roles: Role[];
}

const NAV: NavItem[] = [
  { to: '/worklist', label: 'Worklist', roles: ['jail_staff'] },
  { to: '/queues', label: 'Queues', roles: ['supervisor', 'officer', 'admin'] },
  { to: '/detainers', label: 'Detainers', roles: ['officer', 'jail_staff', 'supervisor', 'admin'] },
  { to: '/detainers/new', label: 'Lodge a detainer', roles: ['officer'] },
  { to: '/disputes', label: 'Disputes', roles: ['supervisor', 'jail_staff'] },
  { to: '/custody-events', label: 'Upload custody events', roles: ['jail_staff'] },
  { to: '/reports', label: 'Weekly reports', roles: ['officer', 'jail_staff', 'supervisor', 'admin', 'analyst'] },
  { to: '/console', label: 'Admin', roles: ['admin'] },
];

export function homeOf(role: Role): string {
  switch (role) {
    case 'jail_staff':
      return '/worklist';
    case 'supervisor':
      return '/queues';
    case 'officer':
    case 'admin':
      return '/detainers';
    case 'analyst':
      return '/reports';
  }
}

interface Route {
  pattern: string;
  roles: Role[];
  render: (params: Record<string, string>) => ReactNode;
  /** A page to print or file: no header, navigation or buttons around it. */
  bare?: boolean;
}

const ROUTES: Route[] = [
  { pattern: '/worklist', roles: ['jail_staff'], render: () => <Worklist /> },
  // The worklist took over the acknowledgment inbox (its first list); old links land there.
  { pattern: '/inbox', roles: ['jail_staff'], render: () => <Redirect to="/worklist#awaitingAcknowledgment" /> },
  { pattern: '/detainers', roles: ['officer', 'jail_staff', 'supervisor', 'admin'], render: () => <DetainerList /> },
  { pattern: '/detainers/new', roles: ['officer'], render: () => <LodgeDetainer /> },
  { pattern: '/detainers/:id/print', roles: ['officer', 'jail_staff', 'supervisor', 'admin'], render: (p) => <PrintDetainer key={p.id} id={p.id} />, bare: true },
  { pattern: '/detainers/:id', roles: ['officer', 'jail_staff', 'supervisor', 'admin'], render: (p) => <DetainerPage key={p.id} id={p.id} /> },
  { pattern: '/queues', roles: ['officer', 'supervisor', 'admin'], render: () => <Queues /> },
  { pattern: '/queues/:name', roles: ['officer', 'supervisor', 'admin'], render: (p) => <QueuePage key={p.name} name={p.name} /> },
  { pattern: '/notifications', roles: ['officer', 'jail_staff', 'supervisor', 'admin', 'analyst'], render: () => <Notifications /> },
  { pattern: '/custody-events', roles: ['jail_staff'], render: () => <CustodyUpload /> },
  { pattern: '/disputes', roles: ['officer', 'jail_staff', 'supervisor', 'admin'], render: () => <Disputes /> },
  { pattern: '/reports', roles: ['officer', 'jail_staff', 'supervisor', 'admin', 'analyst'], render: () => <Reports /> },
  { pattern: '/reports/:weekStart', roles: ['officer', 'jail_staff', 'supervisor', 'admin', 'analyst'], render: (p) => <ReportPage key={p.weekStart} weekStart={p.weekStart} /> },
  { pattern: '/jurisdictions/:id', roles: ['officer', 'jail_staff', 'supervisor', 'admin', 'analyst'], render: (p) => <JurisdictionProfile key={p.id} id={p.id} /> },
  ...ADMIN_ROUTES,
];

/** Without a key press, click or touch for this long, the tab signs out (CJIS session lock: 30 minutes). */
const IDLE_SIGN_OUT_MS = 30 * 60_000;

export function App() {
  const location = useLocation();
  const session = useSyncExternalStore(subscribeSession, currentSession);
  const ended = session ? null : sessionEndedReason();

  const signOut = useCallback((reason: string) => {
    void endSession(reason);
    navigate('/signin', { replace: true });
  }, []);

  // Idle lock: no one at the keyboard for 30 minutes ends the session here and on the server.
  useEffect(() => {
    if (!session) return;
    let last = Date.now();
    const active = () => {
      last = Date.now();
    };
    const events = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;
    events.forEach((e) => window.addEventListener(e, active, { passive: true }));
    const timer = window.setInterval(() => {
      if (Date.now() - last >= IDLE_SIGN_OUT_MS) signOut('You were signed out after 30 minutes without activity.');
    }, 15_000);
    return () => {
      events.forEach((e) => window.removeEventListener(e, active));
      window.clearInterval(timer);
    };
  }, [session?.me.id, signOut]); // eslint-disable-line react-hooks/exhaustive-deps

  const api = useMemo(() => (session ? makeSessionApi(session, () => signOut('You have signed out.')) : null), [session, signOut]);
  const unread = useUnreadCount(session && !session.enrolmentRequired ? api : null, location.path);

  if (session?.enrolmentRequired) {
    return <EnrolSecondFactor session={session} onEnrolled={(s) => setSession(s)} onSignOut={() => signOut('You have signed out.')} />;
  }

  if (!session || !api || location.path === '/signin') {
    if (session && location.path === '/signin') return <Redirect to={safeNext(location.search.get('next')) ?? homeOf(session.me.role)} />;
    // Not signed in, or the server ended the session: sign in, then come back here.
    if (!session && location.path !== '/signin') {
      const back = `${location.path}${location.search.size ? `?${location.search}` : ''}`;
      return <Redirect to={location.path === '/' ? '/signin' : `/signin?next=${encodeURIComponent(back)}`} />;
    }
    return (
      <SignIn
        notice={ended}
        onSignedIn={(s) => setSession(s)}
      />
    );
  }

  const role = session.me.role;
  let content: ReactNode = null;
  let bare = false;
  if (location.path === '/') return <Redirect to={homeOf(role)} />;
  for (const route of ROUTES) {
    const params = match(route.pattern, location.path);
    if (!params) continue;
    content = route.roles.includes(role) ? route.render(params) : <NotForRole />;
    bare = !!route.bare && route.roles.includes(role);
    break;
  }
  content ??= <NotFound />;
  if (bare) {
    return (
      <SessionContext.Provider value={api}>
        <main id="main" className="bare">{content}</main>
      </SessionContext.Provider>
    );
  }

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
                <Link to={n.to} aria-current={location.path === n.to || (n.to !== '/detainers' && location.path.startsWith(`${n.to}/`)) ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
            <li>
              <Link to="/notifications" aria-current={location.path === '/notifications' ? 'page' : undefined}>
                Notifications
                {unread ? (
                  <span className="nav-count">
                    {unread}
                    <span className="visually-hidden"> unread</span>
                  </span>
                ) : null}
              </Link>
            </li>
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
