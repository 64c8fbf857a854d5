import { useState } from 'react';
import { ApiError, query } from '../api/client';
import type { Page, QueueItem, QueueItemAction as QueueAction, QueueSummary } from '../api/types';
import { LocalTime, StatusBadge } from '../components/detainer-bits';
import { ErrorMessage, Flash, LoadMore, Loading, PageTitle } from '../components/page';
import { DECLINE_KIND_LABELS, humanize, label } from '../lib/labels';
import { Link } from '../lib/router';
import { useLoad, useMorePages, useSession } from '../lib/session';

/** GET /api/v1/queues, and the items of GET /api/v1/queues/:name */
export type { QueueItem, QueueSummary };

/** Supervisors (and officers): the compliance queues of the AOR with their counts. */
export function Queues() {
  const { get } = useSession();
  const queues = useLoad((signal) => get<QueueSummary[]>('/api/v1/queues', { signal }), []);
  return (
    <>
      <PageTitle title="Compliance queues">Compliance queues</PageTitle>
      <p className="lead">What needs someone now in your AOR, each queue ordered by what is due first. Times are local to each item's facility.</p>
      {queues.loading && !queues.data ? <Loading what="Loading the queues" /> : null}
      {queues.error ? <ErrorMessage error={queues.error} retry={queues.reload} /> : null}
      {queues.data ? (
        <div className="table-wrap">
          <table className="list queues">
            <caption className="visually-hidden">Compliance queues with their counts</caption>
            <thead>
              <tr>
                <th scope="col">Queue</th>
                <th scope="col" className="num">Items</th>
                <th scope="col">Oldest due</th>
              </tr>
            </thead>
            <tbody>
              {queues.data.map((q) => (
                <tr key={q.name} className={q.count > 0 ? 'has-items' : undefined}>
                  <td>
                    <Link to={`/queues/${q.name}`}>{q.title}</Link>
                    <div className="muted">{q.rule}</div>
                  </td>
                  <td className="num"><span className={`queue-count${q.count > 0 ? ' nonzero' : ''}`}>{q.count}</span></td>
                  <td>{q.oldestDueAt && q.timeZone ? <LocalTime at={q.oldestDueAt} zone={q.timeZone} /> : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

function facts(i: QueueItem) {
  const zone = i.timeZone;
  const parts: React.ReactNode[] = [];
  if (i.releaseAt) parts.push(<span key="r">Release <LocalTime at={i.releaseAt} zone={zone} />{i.noticeLeadHours !== undefined ? ` (${Math.round(i.noticeLeadHours)} h notice)` : ''}</span>);
  if (i.pickupPlannedAt) parts.push(<span key="p">Pickup <LocalTime at={i.pickupPlannedAt} zone={zone} /></span>);
  if (i.holdExpiresAt) parts.push(<span key="h">Hold ends <LocalTime at={i.holdExpiresAt} zone={zone} /></span>);
  if (i.releasedAt) parts.push(<span key="x">Released <LocalTime at={i.releasedAt} zone={zone} /></span>);
  if (i.declineKind) parts.push(<span key="d">Declined: {label(DECLINE_KIND_LABELS, i.declineKind)}</span>);
  if (i.identityClaim) parts.push(<span key="c">{i.identityClaim === 'citizenship' ? 'U.S. citizenship claimed' : 'Wrong person claimed'}</span>);
  for (const d of i.disputes ?? []) parts.push(<span key={d.id}>{d.agency.name} disputes the record: “{d.reason}”</span>);
  return parts.length ? parts.map((p, n) => <div key={n}>{p}</div>) : <span className="muted">—</span>;
}

/** One queue: its items, earliest due first; claim one to show others you are working it, then act on the detainer. */
export function QueuePage({ name }: { name: string }) {
  const { session, get, post } = useSession();
  const [message, setMessage] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const summary = useLoad((signal) => get<QueueSummary[]>('/api/v1/queues', { signal }).then((all) => all.find((q) => q.name === name) ?? null), [name]);
  const pageUrl = (cursor?: string) => `/api/v1/queues/${encodeURIComponent(name)}${query({ limit: 50, cursor })}`;
  const page = useLoad((signal) => get<Page<QueueItem>>(pageUrl(), { signal }), [name]);
  const pages = useMorePages(page.data, name, (cursor) => get<Page<QueueItem>>(pageUrl(cursor)));
  const items = pages.items;
  const title = summary.data?.title ?? name.replace(/_/g, ' ');

  const act = async (action: QueueAction, done: string) => {
    setProblem(null);
    setMessage(null);
    try {
      await post(action.path);
      pages.reset();
      await Promise.all([page.reload(), summary.reload()]);
      setMessage(done);
    } catch (error) {
      setProblem(error);
      if (error instanceof ApiError && error.status === 409) {
        pages.reset();
        await page.reload();
      }
    }
  };

  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <p className="lead">
        <Link to="/queues">All queues</Link>
        {summary.data ? <> · {summary.data.rule} · <strong>{summary.data.count}</strong> item{summary.data.count === 1 ? '' : 's'}</> : null}
      </p>
      <Flash />
      {message ? <p className="flash" role="status">{message}</p> : null}
      {problem ? <ErrorMessage error={problem} /> : null}
      {page.loading && !page.data ? <Loading what="Loading the queue" /> : null}
      {page.error ? <ErrorMessage error={page.error} retry={page.reload} /> : null}
      {page.data ? (
        items.length === 0 ? (
          <p role="status">Nothing in this queue now.</p>
        ) : (
          <div className="table-wrap">
            <table className="list queue-items cards">
              <caption className="visually-hidden">{title}: items, earliest due first</caption>
              <thead>
                <tr>
                  <th scope="col">Due</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Held at</th>
                  <th scope="col">Status and facts</th>
                  <th scope="col">Worked by</th>
                  <th scope="col"><span className="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => {
                  const who = `${i.subject.familyName.toUpperCase()}, ${i.subject.givenName}`;
                  const claim = i.actions.find((a) => a.name === 'claim');
                  const release = i.actions.find((a) => a.name === 'release_claim');
                  return (
                    <tr key={i.detainerId}>
                      <td data-label="Due"><LocalTime at={i.dueAt} zone={i.timeZone} /></td>
                      <td data-label="Subject">
                        <Link to={`/detainers/${i.detainerId}`}>{who}</Link>
                        {i.subject.aNumber ? <div className="muted">{i.subject.aNumber}</div> : null}
                        <div className="muted">{i.type}</div>
                      </td>
                      <td data-label="Held at">{i.facility.name}<div className="muted">{i.agency.name}</div></td>
                      <td data-label="Status and facts">
                        <StatusBadge status={i.status} />
                        {facts(i)}
                        {(i.deliveries ?? []).map((d) => {
                          const retry = i.actions.find((a) => a.name === 'retry_delivery' && a.deliveryId === d.id);
                          return (
                            <div key={d.id} className="delivery">
                              <span className="muted">
                                {humanize(d.reminderKind)} by {d.channel}{d.address ? ` to ${d.address}` : ''}: failed <LocalTime at={d.failedAt} zone={d.timeZone} /> after {d.attempts} attempt{d.attempts === 1 ? '' : 's'}
                                {d.lastError ? ` (${d.lastError})` : ''}
                              </span>{' '}
                              {retry ? (
                                <button type="button" onClick={() => void act(retry, `Delivery queued again.`)} aria-label={`Retry the ${d.channel} delivery for ${who}`}>
                                  Retry
                                </button>
                              ) : null}
                            </div>
                          );
                        })}
                      </td>
                      <td data-label="Worked by">
                        {i.claim ? (
                          <>
                            {i.claim.holder.id === session.me.id ? <strong>You</strong> : i.claim.holder.displayName ?? i.claim.holder.username}
                            <div className="muted">since <LocalTime at={i.claim.claimedAt} zone={i.timeZone} /></div>
                          </>
                        ) : (
                          <span className="muted">No one</span>
                        )}
                      </td>
                      <td className="row-actions">
                        {claim ? (
                          <button type="button" onClick={() => void act(claim, `You are now working the case of ${who}.`)} aria-label={`Claim the case of ${who}`}>
                            Claim
                          </button>
                        ) : null}
                        {release ? (
                          <button type="button" onClick={() => void act(release, `Released the case of ${who}.`)} aria-label={`Release the claim on the case of ${who}`}>
                            Release claim
                          </button>
                        ) : null}
                        <Link className="button" to={`/detainers/${i.detainerId}`} aria-label={`Act on the case of ${who}`}>
                          Act
                        </Link>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      {page.data ? <LoadMore pages={pages} what="items" /> : null}
    </>
  );
}
