import { type AnchorHTMLAttributes, type MouseEvent, useMemo, useSyncExternalStore } from 'react';

/** A small history-API router: the server answers every app path with index.html (SPA fallback). */
export interface Location {
  path: string;
  search: URLSearchParams;
}

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
window.addEventListener('popstate', notify);

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
  window.scrollTo(0, 0);
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};
const href = () => `${window.location.pathname}${window.location.search}`;

/**
 * The current location. useSyncExternalStore subscribes before any child effect can navigate (a
 * redirect rendered on the first pass), so no change is missed.
 */
export function useLocation(): Location {
  const current = useSyncExternalStore(subscribe, href);
  return useMemo(() => {
    const url = new URL(current, window.location.origin);
    return { path: url.pathname, search: url.searchParams };
  }, [current]);
}

/** `match('/detainers/:id', '/detainers/abc')` -> `{ id: 'abc' }`, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const re = new RegExp(`^${pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => (names.push(name), '([^/]+)'))}/?$`);
  const m = re.exec(path);
  if (!m) return null;
  return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
}

/** An ordinary link (keyboard, middle-click and "open in new tab" work) that navigates in-app on a plain click. */
export function Link({ to, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    rest.onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} {...rest} onClick={onClick} />;
}
