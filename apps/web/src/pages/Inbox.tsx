import { query } from '../api/client';
import type { Detainer, Page } from '../api/types';
import { Flags, LocalTime, subjectName } from '../components/detainer-bits';
import { ErrorMessage, Flash, Loading, PageTitle } from '../components/page';
import { Link } from '../lib/router';
import { useLoad, useSession } from '../lib/session';
import { elapsed } from '../lib/time';

/** Enough for any real inbox; beyond it the page says so rather than silently dropping the oldest. */
const MAX_ITEMS = 2000;

/** Jail staff: requests lodged with the agency that wait for acknowledgment, oldest first. */
export function Inbox() {
  const { session, get } = useSession();
  const inbox = useLoad(
    async (signal) => {
      // The list API pages newest first; the inbox reads every page, then shows the oldest first.
      const items: Detainer[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<Detainer> = await get<Page<Detainer>>(`/api/v1/detainers${query({ status: 'issued', limit: 500, cursor })}`, { signal });
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && items.length < MAX_ITEMS);
      items.sort((a, b) => a.issuedAt.localeCompare(b.issuedAt) || a.id.localeCompare(b.id));
      return { items, truncated: cursor !== null, loadedAt: Date.now() };
    },
    [session.me.id],
  );

  return (
    <>
      <PageTitle title="Inbox">Inbox: requests awaiting acknowledgment</PageTitle>
      <Flash />
      <p className="lead">
        Detainers lodged with {session.unitLabel ?? 'your agency'} that no one has acknowledged yet, oldest first. Times are local to each facility.
      </p>
      {inbox.loading && !inbox.data ? <Loading what="Loading the inbox" /> : null}
      {inbox.error ? <ErrorMessage error={inbox.error} retry={inbox.reload} /> : null}
      {inbox.data ? (
        <>
          <p role="status" className="count">
            {inbox.data.items.length === 0 ? 'Nothing is waiting for acknowledgment.' : `${inbox.data.items.length} waiting for acknowledgment.`}
            {inbox.data.truncated ? ` Showing the ${MAX_ITEMS} most recent; older ones exist: use the Detainers page with status "Issued".` : ''}
          </p>
          {inbox.data.items.length ? (
            <div className="table-wrap">
              <table className="list inbox">
                <caption className="visually-hidden">Requests awaiting acknowledgment, oldest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Lodged</th>
                    <th scope="col">Waiting</th>
                    <th scope="col">Subject</th>
                    <th scope="col">Form</th>
                    <th scope="col">Facility</th>
                    <th scope="col">Booking</th>
                    <th scope="col"><span className="visually-hidden">Action</span></th>
                  </tr>
                </thead>
                <tbody>
                  {inbox.data.items.map((d) => {
                    const hours = (inbox.data!.loadedAt - Date.parse(d.issuedAt)) / 3_600_000;
                    return (
                      <tr key={d.id} className={hours >= 24 ? 'overdue' : undefined}>
                        <td><LocalTime at={d.issuedAt} zone={d.timeZone} /></td>
                        <td>
                          {elapsed(Date.parse(d.issuedAt), inbox.data!.loadedAt)}
                          {hours >= 24 ? <span className="badge badge-warn">over 24 h</span> : null}
                        </td>
                        <td>
                          <Link to={`/detainers/${d.id}`}>{subjectName(d.subject)}</Link>
                          {d.subject?.aNumber ? <div className="muted">{d.subject.aNumber}</div> : null}
                          <Flags d={d} />
                        </td>
                        <td className="nowrap">{d.type}</td>
                        <td>{d.facility.name}</td>
                        <td>{d.bookingNumber ?? <span className="muted">—</span>}</td>
                        <td>
                          <Link className="button" to={`/detainers/${d.id}?action=acknowledge`} aria-label={`Acknowledge the detainer on ${subjectName(d.subject)}`}>
                            Acknowledge
                          </Link>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ) : null}
    </>
  );
}
