import { createContext, type SubmitEvent, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { ApiError, currentSession, request } from '../../api/client';
import type { Agency, Area, Jurisdiction, Page } from '../../api/types';
import { errorsFromApi, ErrorSummary, type FormErrors, hasErrors, NO_ERRORS, TextField } from '../../components/forms';
import { Link, useLocation } from '../../lib/router';
import { useLoad, useSession } from '../../lib/session';

/** A PATCH with the session's token (the session API has GET and POST only). */
export function patch<T>(path: string, body: unknown): Promise<T> {
  return request<T>('PATCH', path, { auth: true, body });
}

type Guard = <T>(work: () => Promise<T>) => Promise<T>;
const ReauthContext = createContext<Guard | null>(null);

export const NOT_CONFIRMED = 'Not saved: a change like this needs your password confirmed first.';

/**
 * Admin changes need a sign-in from the last 15 minutes (the API answers 401
 * reauthentication_required). `guard(work)` runs the work; on that answer it asks for the password
 * (and the authenticator code), confirms it with the API, and runs the work once more.
 */
export function ReauthProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<{ resolve: () => void; reject: (e: unknown) => void } | null>(null);
  const guard = useCallback<Guard>(async (work) => {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ApiError && error.reason === 'reauthentication_required')) throw error;
      await new Promise<void>((resolve, reject) => setPending({ resolve, reject }));
      return work();
    }
  }, []);
  return (
    <ReauthContext.Provider value={guard}>
      {children}
      {pending ? (
        <ReauthDialog
          onConfirmed={() => {
            pending.resolve();
            setPending(null);
          }}
          onCancel={() => {
            pending.reject(new ApiError(401, { statusCode: 401, error: 'Unauthorized', code: 'unauthenticated', message: NOT_CONFIRMED }));
            setPending(null);
          }}
        />
      ) : null}
    </ReauthContext.Provider>
  );
}

export function useGuard(): Guard {
  const guard = useContext(ReauthContext);
  if (!guard) throw new Error('useGuard outside the admin console');
  return guard;
}

/** Confirms the password (and code) for the session: POST /auth/reauthenticate. */
export async function reauthenticate(password: string, totpCode: string): Promise<void> {
  // Make sure the token is fresh first (refreshed if it expired), then send it as it is: a wrong
  // password is a 401 that must not be taken for an ended session.
  await request('GET', '/api/v1/me', { auth: true });
  const token = currentSession()?.token;
  await request('POST', '/api/v1/auth/reauthenticate', { token, body: { password, ...(totpCode.trim() ? { totpCode: totpCode.trim() } : {}) } });
}

export function ReauthDialog({ onConfirmed, onCancel }: { onConfirmed: () => void; onCancel: () => void }) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLDivElement>(null);
  useEffect(() => first.current?.querySelector('input')?.focus(), []);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await reauthenticate(password, code);
      onConfirmed();
    } catch (error) {
      setErrors(error instanceof ApiError && error.status === 401 ? { fields: {}, general: ['The password or code is not right. Five wrong tries lock the account.'] } : errorsFromApi(error, () => false));
      setBusy(false);
    }
  };
  return (
    <div className="admin-dialog-backdrop">
      <div className="admin-dialog" role="dialog" aria-modal="true" aria-labelledby="reauth-title" ref={first} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
        <h2 id="reauth-title">Confirm it is you</h2>
        <p>Changes in the admin console need a sign-in from the last 15 minutes. Enter your password{' '}(and the code from your authenticator app, if you use one).</p>
        <ErrorSummary errors={errors} idOf={(f) => `reauth-${f}`} title="Not confirmed" />
        <form onSubmit={(e) => void submit(e)} noValidate>
          <TextField id="reauth-password" label="Your password" type="password" autoComplete="current-password" value={password} onChange={setPassword} required />
          <TextField id="reauth-code" label="Authenticator code (if you use one)" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={setCode} />
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy}>Confirm and continue</button>
            <button type="button" onClick={onCancel}>Cancel</button>
          </div>
        </form>
      </div>
    </div>
  );
}

/** A form's values, its errors (the API's `details` next to each field shown) and a busy flag; a failed save keeps the values. */
export function useForm<V extends Record<string, string>>(initial: V) {
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof V) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  const submit = async (work: () => Promise<void>, check?: () => FormErrors) => {
    const found = check?.() ?? NO_ERRORS;
    setErrors(found);
    if (hasErrors(found)) return false;
    setBusy(true);
    try {
      await work();
      return true;
    } catch (error) {
      setErrors(errorsFromApi(error, (f) => f in initial));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { values, setValues, set, errors, setErrors, busy, submit, reset: () => setValues(initial) };
}

/** Every page of a reference list (areas, jurisdictions, agencies): the selects and labels need them all. */
async function all<T>(get: <R>(path: string, opts?: { signal?: AbortSignal }) => Promise<R>, path: string, signal: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: Page<T> = await get<Page<T>>(`${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

export interface ReferenceData {
  areas: Area[];
  jurisdictions: Jurisdiction[];
  agencies: Agency[];
  areaName: (id: string | null | undefined) => string;
  agencyName: (id: string | null | undefined) => string;
  jurisdictionName: (id: string | null | undefined) => string;
}

export function useReferenceData(tick = 0) {
  const { get } = useSession();
  return useLoad<ReferenceData>(async (signal) => {
    const [areas, jurisdictions, agencies] = await Promise.all([
      all<Area>(get, '/api/v1/areas', signal),
      all<Jurisdiction>(get, '/api/v1/jurisdictions', signal),
      all<Agency>(get, '/api/v1/agencies', signal),
    ]);
    const byId = <T extends { id: string }>(list: T[], label: (t: T) => string) => {
      const map = new Map(list.map((t) => [t.id, label(t)]));
      return (id: string | null | undefined) => (id ? (map.get(id) ?? id) : '—');
    };
    return {
      areas, jurisdictions, agencies,
      areaName: byId(areas, (a) => `${a.name} (${a.code})`),
      agencyName: byId(agencies, (a) => `${a.name} (${a.ori})`),
      jurisdictionName: byId(jurisdictions, (j) => `${j.name}, ${j.state}`),
    };
  }, [tick]);
}

/** Text typed into a list's search box matches any of the row's words (case and accents ignored). */
export function matches(query: string, ...texts: (string | null | undefined)[]): boolean {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const q = fold(query.trim());
  if (!q) return true;
  const hay = fold(texts.filter(Boolean).join(' '));
  return q.split(/\s+/).every((w) => hay.includes(w));
}

/** A secret (API key, signing secret) the API shows this once: with a copy button and a plain warning. */
export function ShownOnce({ label, value, onDismiss }: { label: string; value: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="admin-secret" role="status">
      <p>
        <strong>{label}</strong>: copy it now. It is shown this once; only a hash is kept, so no one can show it again.
      </p>
      <code className="secret" aria-label={label}>{value}</code>
      <div className="form-actions">
        <button type="button" onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(true), () => undefined)}>{copied ? 'Copied' : 'Copy'}</button>
        <button type="button" onClick={onDismiss}>I have stored it</button>
      </div>
    </div>
  );
}

/** What the API would say of a password, while it is typed (POST /password-check, debounced). */
export function PasswordRules({ password, username, id }: { password: string; username: string; id: string }) {
  const { post } = useSession();
  const [verdict, setVerdict] = useState<{ acceptable: boolean; problem: string | null; minLength: number; maxLength: number } | null>(null);
  useEffect(() => {
    if (!password) {
      // eslint-disable-next-line react-hooks/set-state-in-effect -- an emptied password drops the verdict at once (the others wait for the debounce)
      setVerdict(null);
      return;
    }
    let live = true;
    const timer = window.setTimeout(() => {
      post<{ acceptable: boolean; problem: string | null; minLength: number; maxLength: number }>('/api/v1/password-check', { password, username: username || undefined })
        .then((v) => live && setVerdict(v), () => live && setVerdict(null));
    }, 250);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [password, username, post]);
  const length = [...password].length;
  return (
    <div className="password-rules" id={id} aria-live="polite">
      <ul>
        <li className={length >= (verdict?.minLength ?? 12) ? 'rule-ok' : 'rule-open'}>At least {verdict?.minLength ?? 12} characters ({length} so far), at most {verdict?.maxLength ?? 128}</li>
        <li>Not a common or breached password, not a run (aaaa, 1234, qwerty), not the username</li>
      </ul>
      {verdict ? <p className={verdict.acceptable ? 'rule-ok' : 'rule-bad'}>{verdict.acceptable ? 'This password meets the rules.' : verdict.problem}</p> : null}
    </div>
  );
}

const SECTIONS: { to: string; label: string }[] = [
  { to: '/console/people', label: 'People' },
  { to: '/console/areas', label: 'Areas' },
  { to: '/console/jurisdictions', label: 'Jurisdictions & policies' },
  { to: '/console/agencies', label: 'Agencies' },
  { to: '/console/facilities', label: 'Facilities' },
  { to: '/console/api-keys', label: 'API keys' },
  { to: '/console/webhooks', label: 'Webhooks' },
  { to: '/console/audit', label: 'Audit log' },
  { to: '/console/queues', label: 'Queue dashboard' },
];

/** The console's own navigation, above each admin page, and the re-authentication it shares. */
export function AdminLayout({ children }: { children: ReactNode }) {
  const { path } = useLocation();
  return (
    <ReauthProvider>
      <nav aria-label="Admin console" className="admin-nav">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.to}>
              <Link to={s.to} aria-current={path === s.to || path.startsWith(`${s.to}/`) ? 'page' : undefined}>{s.label}</Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="admin-page">{children}</div>
    </ReauthProvider>
  );
}

export { SECTIONS as ADMIN_SECTIONS };

/** An instant in this browser's zone, with the zone's abbreviation ("Dec 2, 2026, 9:30 AM EST"); "—" for none. */
export function formatInstant(iso: string | null | undefined, seconds = false): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('en-US', {
    year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}), timeZoneName: 'short',
  });
}
