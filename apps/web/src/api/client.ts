import type { ErrorBody, FieldProblem, Me } from './types';

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
    return Array.isArray(this.body.details) ? this.body.details : [];
  }
}

export interface Session {
  token: string;
  expiresAt: number;
  me: Me;
  /** What the header shows: the agency's or the area's name. */
  unitLabel: string | null;
}

const KEY = 'dw.session';

/** The session lives in sessionStorage: one tab, gone when it closes; the token itself is short-lived. */
export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return s.expiresAt > Date.now() ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null): void {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}

type Unauthorized = () => void;
let onUnauthorized: Unauthorized = () => undefined;
export function setUnauthorizedHandler(handler: Unauthorized): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Calls the API; answers other than 2xx become ApiError (a 401 also ends the session). */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), signal: opts.signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, { statusCode: 0, error: 'Network error', message: 'The server could not be reached. Check your connection and try again.' });
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
  if (!res.ok) {
    const body: ErrorBody =
      parsed && typeof parsed === 'object' && 'message' in parsed
        ? (parsed as ErrorBody)
        : { statusCode: res.status, error: res.statusText, message: `The server answered ${res.status} ${res.statusText}.` };
    if (res.status === 401 && opts.token) onUnauthorized();
    throw new ApiError(res.status, body);
  }
  return parsed as T;
}

/** Query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
