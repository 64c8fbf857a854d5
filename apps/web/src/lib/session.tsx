import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { request, type RequestOptions, type Session } from '../api/client';
import type { Page } from '../api/types';

export interface SessionApi {
  session: Session;
  // Properties, not methods: pages take them out of the session (`const { get } = useSession()`).
  get: <T>(path: string, opts?: Omit<RequestOptions, 'auth' | 'token'>) => Promise<T>;
  post: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'auth' | 'token' | 'body'>) => Promise<T>;
  /** POST a body that is not JSON (e.g. text/csv). */
  postText: <T>(path: string, contentType: string, content: string) => Promise<T>;
  signOut: () => void;
}

export const SessionContext = createContext<SessionApi | null>(null);

export function useSession(): SessionApi {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}

export function makeSessionApi(session: Session, signOut: () => void): SessionApi {
  return {
    session,
    get: (path, opts) => request('GET', path, { ...opts, auth: true }),
    post: (path, body, opts) => request('POST', path, { ...opts, body: body ?? {}, auth: true }),
    postText: (path, contentType, content) => request('POST', path, { text: { contentType, content }, auth: true }),
    signOut,
  };
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again; resolves once the new data (or error) is shown. */
  reload: () => Promise<void>;
}

/** Loads data for a page; stale answers (from an earlier set of deps) are dropped. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  // The latest `load`, for the effect below (layout effects run before it in the same commit).
  useLayoutEffect(() => {
    loadRef.current = load;
  });
  const waiting = useRef<(() => void)[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the page shows it is loading from the moment this effect starts the fetch
    setState((s) => ({ data: s.data, loading: true }));
    const settle = (next: { data?: T; error?: unknown; loading: boolean }) => {
      if (controller.signal.aborted) return;
      setState(next);
      const done = waiting.current.splice(0);
      // After React has shown the new state.
      setTimeout(() => done.forEach((resolve) => resolve()), 0);
    };
    loadRef.current(controller.signal).then(
      (data) => settle({ data, loading: false }),
      (error: unknown) => settle({ error, loading: false }),
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(
    () =>
      new Promise<void>((resolve) => {
        waiting.current.push(resolve);
        setTick((t) => t + 1);
      }),
    [],
  );
  return useMemo(() => ({ data: state.data, error: state.error, loading: state.loading, reload }), [state, reload]);
}

export interface MorePages<T> {
  /** The first page's items, then those of every page loaded since. */
  items: T[];
  nextCursor: string | null;
  loading: boolean;
  error: unknown;
  loadMore: () => Promise<void>;
  /** Drops the extra pages (after an action that reloads the first one). */
  reset: () => void;
}

/**
 * "Load more" on a cursor-paged list whose first page the caller loads. The extra pages belong to
 * `key` (what the first page was loaded for: a queue, a set of filters) and are dropped when it
 * changes; an answer that arrives after a reset or a change of key is ignored.
 */
export function useMorePages<T>(first: Page<T> | undefined, key: string, fetchPage: (cursor: string) => Promise<Page<T>>): MorePages<T> {
  const [more, setMore] = useState<{ key: string; items: T[]; nextCursor: string | null } | null>(null);
  const [pending, setPending] = useState<{ key: string; loading: boolean; error: unknown } | null>(null);
  const generation = useRef(0);
  const mine = more?.key === key ? more : null;
  const status = pending?.key === key ? pending : null;
  const nextCursor = mine ? mine.nextCursor : (first?.nextCursor ?? null);

  const loadMore = async () => {
    if (!nextCursor) return;
    const asked = generation.current;
    setPending({ key, loading: true, error: null });
    try {
      const page = await fetchPage(nextCursor);
      if (asked !== generation.current) return;
      setMore({ key, items: [...(mine?.items ?? []), ...page.items], nextCursor: page.nextCursor });
      setPending(null);
    } catch (error) {
      if (asked === generation.current) setPending({ key, loading: false, error });
    }
  };
  const reset = () => {
    generation.current += 1;
    setMore(null);
    setPending(null);
  };

  return {
    items: [...(first?.items ?? []), ...(mine?.items ?? [])],
    nextCursor,
    loading: status?.loading ?? false,
    error: status?.error ?? null,
    loadMore,
    reset,
  };
}
