import { type ReactNode, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import type { MorePages } from '../lib/session';

/** The page's heading: sets the document title and takes focus, so a screen reader announces the new page. */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Detainer workflow`;
    ref.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return <p className="loading" role="status">{what}…</p>;
}

export function ErrorMessage({ error, retry }: { error: unknown; retry?: () => Promise<void> | void }) {
  const message = error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);
  return (
    <div className="error-summary" role="alert">
      <p>{error instanceof ApiError && error.status === 404 ? 'Not found: it does not exist, or it is outside what you may see.' : message}</p>
      {retry ? <button type="button" onClick={() => void retry()}>Try again</button> : null}
    </div>
  );
}

let pendingFlash: string | null = null;
/** A message for the next page (after an action that navigates). */
export function flashNext(message: string): void {
  pendingFlash = message;
}

/** Shows the pending flash message once, politely announced. */
export function Flash() {
  const [message] = useState(() => {
    const m = pendingFlash;
    pendingFlash = null;
    return m;
  });
  return message ? <p className="flash" role="status">{message}</p> : null;
}

export function Badge({ children, tone = 'neutral' }: { children: ReactNode; tone?: 'neutral' | 'warn' | 'bad' | 'good' | 'info' }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** The "Load more" button under a paged list: busy while loading, and says so when loading fails. */
export function LoadMore({ pages, what }: { pages: MorePages<unknown>; what: string }) {
  if (pages.error) return <div className="load-more"><ErrorMessage error={pages.error} retry={() => void pages.loadMore()} /></div>;
  if (!pages.nextCursor) return null;
  return (
    <div className="load-more">
      <button type="button" disabled={pages.loading} aria-label={`Load more ${what}`} onClick={() => void pages.loadMore()}>
        {pages.loading ? 'Loading more…' : 'Load more'}
      </button>
    </div>
  );
}
