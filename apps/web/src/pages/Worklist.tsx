import type { ReactNode } from 'react';
import type { Detainer, Worklist as WorklistBody, WorklistSection } from '../api/types';
import { Flags, LocalTime, subjectName } from '../components/detainer-bits';
import { ErrorMessage, Flash, Loading, PageTitle } from '../components/page';
import { Link } from '../lib/router';
import { useLoad, useSession } from '../lib/session';
import { elapsed } from '../lib/time';

const HOUR = 3_600_000;

interface SectionSpec {
  key: 'awaitingAcknowledgment' | 'awaitingReleaseDate' | 'releasesSoon' | 'holdsEnding';
  title: string;
  about: string;
  empty: string;
  /** The column that says what is due, and how urgent. */
  due: { heading: string; cell: (d: Detainer, asOf: number) => ReactNode; late: (d: Detainer, asOf: number) => boolean };
  action: { label: string; action?: string };
}

const ago = (iso: string | undefined, asOf: number) => (iso ? elapsed(Date.parse(iso), asOf) : '');
const until = (iso: string | undefined, asOf: number) => {
  if (!iso) return '';
  const ms = Date.parse(iso);
  return ms >= asOf ? `in ${elapsed(asOf, ms)}` : `${elapsed(ms, asOf)} ago`;
};

const SECTIONS: SectionSpec[] = [
  {
    key: 'awaitingAcknowledgment', title: 'Awaiting acknowledgment', about: 'Lodged with your agency, not acknowledged yet. Oldest first.',
    empty: 'Nothing is waiting for acknowledgment.',
    due: {
      heading: 'Lodged',
      cell: (d, asOf) => <><LocalTime at={d.issuedAt} zone={d.timeZone} withZone /><div className="muted">waiting {ago(d.issuedAt, asOf)}</div></>,
      late: (d, asOf) => asOf - Date.parse(d.issuedAt) >= 24 * HOUR,
    },
    action: { label: 'Acknowledge', action: 'acknowledge' },
  },
  {
    key: 'awaitingReleaseDate', title: 'Awaiting our release date', about: 'Acknowledged, but no release date given yet. Acknowledged longest ago first.',
    empty: 'Every acknowledged request has its release date.',
    due: {
      heading: 'Acknowledged',
      cell: (d, asOf) => <><LocalTime at={d.acknowledgedAt} zone={d.timeZone} withZone /><div className="muted">{ago(d.acknowledgedAt, asOf)} ago</div></>,
      late: () => false,
    },
    action: { label: 'Give release date', action: 'schedule_release' },
  },
  {
    key: 'releasesSoon', title: 'Releases in the next 48 hours', about: 'Release dates within 48 hours, and any past one not yet recorded. Earliest first.',
    empty: 'No release is due in the next 48 hours.',
    due: {
      heading: 'Release',
      cell: (d, asOf) => <><LocalTime at={d.releaseAt} zone={d.timeZone} withZone /><div className="muted">{until(d.releaseAt, asOf)}</div></>,
      late: (d, asOf) => !!d.releaseAt && Date.parse(d.releaseAt) < asOf,
    },
    action: { label: 'Record release', action: 'release' },
  },
  {
    key: 'holdsEnding', title: 'Holds ending', about: 'People held on a detainer (48 hours at most). The hold that ends first first.',
    empty: 'No one is held on a detainer.',
    due: {
      heading: 'Hold ends',
      cell: (d, asOf) => <><LocalTime at={d.holdExpiresAt} zone={d.timeZone} withZone /><div className="muted">{until(d.holdExpiresAt, asOf)}</div></>,
      late: (d, asOf) => !!d.holdExpiresAt && Date.parse(d.holdExpiresAt) - asOf < 12 * HOUR,
    },
    action: { label: 'Open' },
  },
];

/** Jail staff's start page: the four lists of what the agency has to do, each most due first. */
export function Worklist() {
  const { session, get } = useSession();
  const list = useLoad((signal) => get<WorklistBody>('/api/v1/worklist?limit=100', { signal }), [session.me.id]);
  return (
    <>
      <PageTitle title="Worklist">Worklist</PageTitle>
      <Flash />
      <p className="lead">What {session.unitLabel ?? 'your agency'} has to do next, most due first. Times are local to each facility.</p>
      {list.loading && !list.data ? <Loading what="Loading the worklist" /> : null}
      {list.error ? <ErrorMessage error={list.error} retry={list.reload} /> : null}
      {list.data ? (
        <>
          <nav aria-label="Worklist sections" className="worklist-summary">
            <ul>
              {SECTIONS.map((s) => (
                <li key={s.key}>
                  <a href={`#${s.key}`}><span className={`queue-count${list.data![s.key].total ? ' nonzero' : ''}`}>{list.data![s.key].total}</span> {s.title}</a>
                </li>
              ))}
            </ul>
          </nav>
          {SECTIONS.map((s) => <Section key={s.key} spec={s} section={list.data![s.key]} asOf={Date.parse(list.data!.asOf)} />)}
        </>
      ) : null}
    </>
  );
}

function Section({ spec, section, asOf }: { spec: SectionSpec; section: WorklistSection; asOf: number }) {
  const items = section.items as Detainer[];
  return (
    <section aria-labelledby={`${spec.key}-title`} className="worklist-section" id={spec.key}>
      <h2 id={`${spec.key}-title`}>{spec.title} <span className="muted">({section.total})</span></h2>
      <p className="hint">{spec.about}</p>
      {items.length === 0 ? (
        <p className="muted">{spec.empty}</p>
      ) : (
        <div className="table-wrap">
          <table className="list cards">
            <caption className="visually-hidden">{spec.title}, most due first</caption>
            <thead>
              <tr>
                <th scope="col">{spec.due.heading}</th>
                <th scope="col">Subject</th>
                <th scope="col">Booking</th>
                <th scope="col">Facility</th>
                <th scope="col"><span className="visually-hidden">Action</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => {
                const late = spec.due.late(d, asOf);
                return (
                  <tr key={d.id} className={late ? 'overdue' : undefined}>
                    <td data-label={spec.due.heading}>{spec.due.cell(d, asOf)}{late ? <span className="badge badge-warn">{spec.key === 'holdsEnding' ? 'under 12 h' : spec.key === 'releasesSoon' ? 'past due' : 'over 24 h'}</span> : null}</td>
                    <td data-label="Subject">
                      <Link to={`/detainers/${d.id}`}>{subjectName(d.subject)}</Link>
                      <div className="muted">{d.type}{d.subject?.aNumber ? `, ${d.subject.aNumber}` : ''}</div>
                      <Flags d={d} />
                    </td>
                    <td data-label="Booking">{d.bookingNumber ?? <span className="muted">—</span>}</td>
                    <td data-label="Facility">{d.facility.name}</td>
                    <td className="row-actions">
                      <Link className="button" to={`/detainers/${d.id}${spec.action.action ? `?action=${spec.action.action}` : ''}`}
                        aria-label={`${spec.action.label}: ${subjectName(d.subject)}`}>
                        {spec.action.label}
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {section.total > items.length ? <p className="muted">Showing the first {items.length} of {section.total}.</p> : null}
    </section>
  );
}
