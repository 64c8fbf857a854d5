import type { ErrorBody, FieldProblem, IssuedToken, Me } from './types';

export type { IssuedToken };

/** An error answer of the API, in its one shape; `fields` holds the per-field problems of a 400. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
    this.name = 'ApiError';
  }

  get fields(): FieldProblem[] {
    return this.body.details ?? [];
  }

  /** What the client must do differently: `reauthentication_required`, `totp_code_required` (401), `second_factor_required` (403). */
  get reason(): ErrorBody['reason'] {
    return this.body.reason;
  }
}

export interface Session {
  token: string;
  /** When the server ends the session whatever happens (12 hours after sign-in). */
  sessionEndsAt: number;
  me: Me;
  /** What the header shows: the agency's or the area's name. */
  unitLabel: string | null;
  /** The role must use a second factor and this account has none yet: only enrolment is open. */
  enrolmentRequired: boolean;
}

const KEY = 'dw.session';

/**
 * The session lives in sessionStorage: one tab, gone when it closes. The access token is short-lived;
 * it is refreshed while the server keeps the session (30 minutes idle, 12 hours in all).
 */
function stored(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return typeof s.token === 'string' && s.sessionEndsAt > Date.now() ? s : null;
  } catch {
    return null;
  }
}

let current: Session | null = typeof sessionStorage === 'undefined' ? null : stored();
let endedReason: string | null = null;
const listeners = new Set<() => void>();

export function currentSession(): Session | null {
  return current;
}

/** Why the last session ended, for the sign-in page. */
export function sessionEndedReason(): string | null {
  return endedReason;
}

export function setSession(s: Session | null, reason: string | null = null): void {
  current = s;
  endedReason = s ? null : reason;
  if (typeof sessionStorage !== 'undefined') {
    if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
    else sessionStorage.removeItem(KEY);
  }
  listeners.forEach((l) => l());
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

export interface RequestOptions {
  /** Send the session's token (and refresh it once if it has expired). */
  auth?: boolean;
  /** An explicit token (sign-in, before the session is stored). */
  token?: string;
  body?: unknown;
  /** A body that is not JSON (a CSV upload): sent as is, with its media type. */
  text?: { contentType: string; content: string };
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

async function send(method: string, path: string, opts: RequestOptions, token: string | undefined): Promise<{ res: Response; parsed: unknown }> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.text) headers['Content-Type'] = opts.text.contentType;
  const body = opts.text ? opts.text.content : opts.body === undefined ? undefined : JSON.stringify(opts.body);
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, signal: opts.signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, { statusCode: 0, error: 'Network error', code: 'unavailable', message: 'The server could not be reached. Check your connection and try again.' });
  }
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  return { res, parsed };
}

function errorOf(res: Response, parsed: unknown): ApiError {
  const body: ErrorBody =
    parsed && typeof parsed === 'object' && 'message' in parsed
      ? (parsed as ErrorBody)
      : { statusCode: res.status, error: res.statusText, code: res.status >= 500 ? 'internal_error' : 'invalid_input', message: `The server answered ${res.status} ${res.statusText}.` };
  return new ApiError(res.status, body);
}

let refreshing: Promise<boolean> | null = null;

/** One refresh at a time: every request that found the token expired waits for the same one. */
function refreshToken(): Promise<boolean> {
  refreshing ??= (async () => {
    const s = current;
    if (!s) return false;
    try {
      const { res, parsed } = await send('POST', '/api/v1/auth/refresh', { body: {} }, s.token);
      if (!res.ok) return false;
      const issued = parsed as IssuedToken;
      if (current?.token !== s.token) return current !== null;
      setSession({
        ...s,
        token: issued.accessToken,
        sessionEndsAt: Date.parse(issued.session.expiresAt),
        enrolmentRequired: issued.secondFactorEnrolmentRequired,
      });
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/**
 * Calls the API; answers other than 2xx become ApiError. With `auth`, an expired token is refreshed
 * once and the request retried; a session the server has ended signs the tab out.
 */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const token = opts.auth ? current?.token : opts.token;
  let { res, parsed } = await send(method, path, opts, token);
  if (res.status === 401 && opts.auth && current) {
    const error = errorOf(res, parsed);
    if (error.reason === 'reauthentication_required') throw error;
    if (await refreshToken()) ({ res, parsed } = await send(method, path, opts, current?.token));
    if (res.status === 401) {
      setSession(null, 'Your session has ended. Sign in again to continue.');
      throw errorOf(res, parsed);
    }
  }
  if (res.status === 403 && opts.auth && current && !current.enrolmentRequired) {
    const error = errorOf(res, parsed);
    if (error.reason === 'second_factor_required') setSession({ ...current, enrolmentRequired: true });
    throw error;
  }
  if (!res.ok) throw errorOf(res, parsed);
  return parsed as T;
}

/** Ends the session on the server (best effort) and in this tab. */
export async function signOut(reason: string): Promise<void> {
  const s = current;
  setSession(null, reason);
  if (s) await send('POST', '/api/v1/auth/logout', { body: {} }, s.token).catch(() => undefined);
}

/** Query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
