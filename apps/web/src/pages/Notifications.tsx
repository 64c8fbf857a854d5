import { useCallback, useEffect, useState } from 'react';
import { query } from '../api/client';
import type { MarkAllRead, Notification, NotificationPage } from '../api/types';
import { LocalTime } from '../components/detainer-bits';
import { NOTIFICATION_KIND_LABELS } from '../lib/labels';
import { ErrorMessage, LoadMore, Loading, PageTitle } from '../components/page';
import { Link } from '../lib/router';
import { type SessionApi, useLoad, useMorePages, useSession } from '../lib/session';

/** GET /api/v1/notifications */
export type { Notification };

const listeners = new Set<() => void>();
/** Tells the header's unread count to look again (after marking read). */
export function notificationsChanged(): void {
  listeners.forEach((l) => l());
}

/** The unread count for the header: on load, on each page change, every minute, and when this tab marks one read. */
export function useUnreadCount(api: SessionApi | null, path: string): number | null {
  const [count, setCount] = useState<number | null>(null);
  const refresh = useCallback(() => {
    if (!api) return;
    api.get<NotificationPage>(`/api/v1/notifications${query({ unread: 'true', limit: 1 })}`).then(
      (p) => setCount(p.unreadCount),
      () => undefined,
    );
  }, [api]);
  useEffect(() => {
    if (api) refresh();
  }, [path]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    refresh();
    listeners.add(refresh);
    const timer = window.setInterval(refresh, 60_000);
    return () => {
      listeners.delete(refresh);
      window.clearInterval(timer);
    };
  }, [refresh]);
  return count;
}

/** The caller's reminders and alerts, newest first; unread ones stand out until marked read. */
export function Notifications() {
  const { get, post } = useSession();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const pageUrl = (cursor?: string) => `/api/v1/notifications${query({ limit: 50, cursor, unread: unreadOnly ? 'true' : undefined })}`;
  const page = useLoad((signal) => get<NotificationPage>(pageUrl(), { signal }), [unreadOnly]);
  const pages = useMorePages(page.data, String(unreadOnly), (cursor) => get<NotificationPage>(pageUrl(cursor)));
  const items = pages.items;
  const groups = groupByKind(items);
  const unread = items.filter((n) => !n.readAt);
  const [done, setDone] = useState<string | null>(null);

  /** Marks read what this page shows as unread (of one kind, when given): never one that arrived after it loaded. */
  const markAll = async (kind?: string) => {
    setProblem(null);
    const shown = kind ? unread.filter((n) => n.kind === kind) : unread;
    const newest = shown.reduce((max, n) => (n.createdAt > max ? n.createdAt : max), '');
    try {
      const r = await post<MarkAllRead>('/api/v1/notifications/read-all', { kind, upTo: newest || undefined });
      setDone(`${r.marked} marked read.`);
    } catch (error) {
      setProblem(error);
      return;
    }
    pages.reset();
    await page.reload();
    notificationsChanged();
  };

  const markRead = async (n: Notification) => {
    setProblem(null);
    try {
      await post(`/api/v1/notifications/${n.id}/read`);
    } catch (error) {
      setProblem(error);
      return;
    }
    pages.reset();
    await page.reload();
    notificationsChanged();
  };

  return (
    <>
      <PageTitle title="Notifications">Notifications</PageTitle>
      <p className="lead">
        Reminders and alerts about your detainers, newest first. Times are local to the facility.
        {page.data ? <> <strong>{page.data.unreadCount}</strong> unread.</> : null}
      </p>
      <div className="report-bar">
        <label className="choice">
          <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} /> Unread only
        </label>
        {unread.length ? <button type="button" className="primary" onClick={() => void markAll()}>Mark all read</button> : null}
      </div>
      {done ? <p className="flash" role="status">{done}</p> : null}
      {page.loading && !page.data ? <Loading what="Loading notifications" /> : null}
      {page.error ? <ErrorMessage error={page.error} retry={page.reload} /> : null}
      {problem ? <ErrorMessage error={problem} /> : null}
      {page.data ? (
        items.length === 0 ? (
          <p role="status">{unreadOnly ? 'No unread notifications.' : 'No notifications yet.'}</p>
        ) : (
          <>
          {groups.map(([kind, list]) => {
            const unreadHere = list.filter((n) => !n.readAt).length;
            const title = NOTIFICATION_KIND_LABELS[kind] ?? kind;
            return (
              <section key={kind} aria-labelledby={`kind-${kind}`} className="notification-group">
                <div className="group-head">
                  <h2 id={`kind-${kind}`}>{title} <span className="muted">({list.length}{unreadHere ? `, ${unreadHere} unread` : ''})</span></h2>
                  {unreadHere > 1 ? (
                    <button type="button" onClick={() => void markAll(kind)} aria-label={`Mark all read: ${title}`}>Mark these read</button>
                  ) : null}
                </div>
                <ul className="notifications">
                  {list.map((n) => <NotificationItem key={n.id} n={n} onMarkRead={() => void markRead(n)} />)}
                </ul>
              </section>
            );
          })}
          </>
        )
      ) : null}
      {page.data ? <LoadMore pages={pages} what="notifications" /> : null}
    </>
  );
}

/** Groups in the order the newest of each arrived; newest first within each. */
function groupByKind(items: Notification[]): [string, Notification[]][] {
  const groups = new Map<string, Notification[]>();
  for (const n of items) groups.set(n.kind, [...(groups.get(n.kind) ?? []), n]);
  return [...groups.entries()];
}

/** The case by person and booking number when the caller may see them; the facility's local time with its zone. */
function NotificationItem({ n, onMarkRead }: { n: Notification; onMarkRead: () => void }) {
  const { post } = useSession();
  const c = n.case;
  return (
    <li className={n.readAt ? 'read' : 'unread'}>
      <div className="n-head">
        <strong>{n.title}</strong> {n.readAt ? null : <span className="badge badge-warn">Unread</span>}
      </div>
      {c ? (
        <div className="n-case">
          {c.subject ? <strong>{`${c.subject.familyName.toUpperCase()}, ${c.subject.givenName}`}</strong> : null}
          {c.bookingNumber ? <span>{c.subject ? ', ' : ''}booking {c.bookingNumber}</span> : null}
          <span className="muted">{c.subject || c.bookingNumber ? ' · ' : ''}{c.facilityName}</span>
        </div>
      ) : null}
      <div className="muted">
        <LocalTime at={n.at} zone={n.timeZone} withZone />
      </div>
      <p>{n.body}</p>
      <div className="form-actions">
        {n.detainerId ? (
          <Link className="button" to={`/detainers/${n.detainerId}`}
            onClick={() => { if (!n.readAt) void post(`/api/v1/notifications/${n.id}/read`).then(notificationsChanged, () => undefined); }}>
            Open the detainer
          </Link>
        ) : null}
        {n.readAt ? null : (
          <button type="button" onClick={onMarkRead} aria-label={`Mark read: ${n.title}`}>
            Mark read
          </button>
        )}
      </div>
    </li>
  );
}
