import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, query } from '../api/client';
import type { Detainer, Facility, Page, SubjectMatch } from '../api/types';
import { Flags, LocalTime, StatusBadge, subjectName, facilityOptions } from '../components/detainer-bits';
import { SelectField, TextField } from '../components/forms';
import { ErrorMessage, Flash, LoadMore, Loading, PageTitle } from '../components/page';
import { DETAINER_STATUSES, STATUS_LABELS } from '../lib/labels';
import { Link, navigate, useLocation } from '../lib/router';
import { useLoad, useMorePages, useSession } from '../lib/session';
import { nextDate, startOfLocalDay } from '../lib/time';

interface Filters {
  status: string;
  facilityId: string;
  declined: string;
  from: string;
  to: string;
  aNumber: string;
}

const FILTER_KEYS: (keyof Filters)[] = ['status', 'facilityId', 'declined', 'from', 'to', 'aNumber'];

/** Facilities the caller works with: the area's for federal users, the agency's for jail staff. */
export function useFacilities() {
  const { session, get } = useSession();
  const { me } = session;
  return useLoad(
    (signal) =>
      get<Page<Facility>>(
        `/api/v1/facilities${query({ limit: 500, areaId: me.role === 'jail_staff' ? undefined : me.areaId, agencyId: me.role === 'jail_staff' ? me.agencyId : undefined })}`,
        { signal },
      ).then((p) => p.items),
    [me.id],
  );
}

/** The zone date filters are read in: the chosen facility's, else the one zone all the facilities share, else UTC. */
function filterZone(facilities: Facility[], facilityId: string): string {
  const chosen = facilities.find((f) => f.id === facilityId);
  if (chosen) return chosen.timeZone;
  const zones = new Set(facilities.map((f) => f.timeZone));
  return zones.size === 1 ? [...zones][0]! : 'UTC';
}

export function DetainerList() {
  const { session, get } = useSession();
  const location = useLocation();
  const applied: Filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, location.search.get(k) ?? ''])) as unknown as Filters;
  const [draft, setDraft] = useState<Filters>(applied);
  const facilities = useFacilities();
  const canLookUpSubjects = session.me.role !== 'jail_staff';
  const zone = filterZone(facilities.data ?? [], applied.facilityId);
  const key = location.search.toString();
  // Back and forward change the applied filters: show them in the form too.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => setDraft(applied), [key]);

  const pageUrl = (subjectId: string | undefined, cursor?: string) =>
    `/api/v1/detainers${query({
      limit: 50,
      cursor,
      status: applied.status,
      facilityId: applied.facilityId,
      declined: applied.declined,
      subjectId,
      issuedFrom: applied.from ? startOfLocalDay(applied.from, zone) : undefined,
      issuedTo: applied.to ? startOfLocalDay(nextDate(applied.to), zone) : undefined,
    })}`;
  const list = useLoad(
    async (signal) => {
      let subjectId: string | undefined;
      if (applied.aNumber) {
        const found = await get<Page<SubjectMatch>>(`/api/v1/subjects${query({ aNumber: applied.aNumber })}`, { signal });
        if (found.items.length === 0) return { items: [] as Detainer[], nextCursor: null, subjectId: undefined, note: `No subject with A-number ${applied.aNumber} in your records.` };
        subjectId = found.items[0]!.id;
      }
      const page = await get<Page<Detainer>>(pageUrl(subjectId), { signal });
      return { ...page, note: null as string | null, subjectId };
    },
    [key, zone],
  );
  const pages = useMorePages(list.data ?? undefined, `${key} ${zone}`, (cursor) => get<Page<Detainer>>(pageUrl(list.data?.subjectId, cursor)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q = query(Object.fromEntries(FILTER_KEYS.map((k) => [k, draft[k].trim()])));
    navigate(`/detainers${q}`);
  };
  const clear = () => {
    setDraft({ status: '', facilityId: '', declined: '', from: '', to: '', aNumber: '' });
    navigate('/detainers');
  };

  const rows = pages.items;
  const filterError = list.error instanceof ApiError && list.error.status === 400 ? list.error : null;

  return (
    <>
      <PageTitle title="Detainers">{session.me.role === 'jail_staff' ? 'Detainers lodged with your agency' : 'Detainers'}</PageTitle>
      <Flash />
      <form className="filters" onSubmit={submit} aria-label="Filter detainers">
        <SelectField id="f-status" label="Status" value={draft.status} onChange={(v) => setDraft({ ...draft, status: v })} placeholder="Any status"
          options={DETAINER_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))} />
        <SelectField id="f-facility" label="Facility" value={draft.facilityId} onChange={(v) => setDraft({ ...draft, facilityId: v })} placeholder="Any facility"
          options={facilityOptions(facilities.data ?? [])} />
        <SelectField id="f-declined" label="Declined" value={draft.declined} onChange={(v) => setDraft({ ...draft, declined: v })} placeholder="Either"
          options={[{ value: 'true', label: 'Declined only' }, { value: 'false', label: 'Not declined' }]} />
        <TextField id="f-from" type="date" label="Issued from" hint={zone} value={draft.from} onChange={(v) => setDraft({ ...draft, from: v })} />
        <TextField id="f-to" type="date" label="Issued to (inclusive)" hint={zone} value={draft.to} onChange={(v) => setDraft({ ...draft, to: v })} />
        {canLookUpSubjects ? (
          <TextField id="f-anumber" label="Subject A-number" placeholder="A012345678" value={draft.aNumber} onChange={(v) => setDraft({ ...draft, aNumber: v })}
            errors={filterError?.fields.filter((f) => f.field === 'aNumber').map((f) => f.message)} />
        ) : null}
        <div className="filter-buttons">
          <button type="submit" className="primary">Apply filters</button>
          <button type="button" onClick={clear}>Clear</button>
        </div>
      </form>

      <section className="results" aria-label="Results" aria-busy={list.loading}>
      {list.loading && !list.data ? <Loading what="Loading detainers" /> : null}
      {list.error ? <ErrorMessage error={list.error} retry={list.reload} /> : null}
      {list.data?.note ? <p role="status">{list.data.note}</p> : null}
      {list.data && !list.data.note ? (
        rows.length === 0 ? (
          <p role="status">No detainers match these filters.</p>
        ) : (
          <div className="table-wrap">
            <table className="list">
              <caption className="visually-hidden">Detainers, newest issued first. Times are local to each facility.</caption>
              <thead>
                <tr>
                  <th scope="col">Issued</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Form</th>
                  <th scope="col">Held at</th>
                  <th scope="col">Status</th>
                  <th scope="col">Release</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((d) => (
                  <tr key={d.id}>
                    <td><LocalTime at={d.issuedAt} zone={d.timeZone} /></td>
                    <td>
                      <Link to={`/detainers/${d.id}`}>{subjectName(d.subject)}</Link>
                      {d.subject?.aNumber ? <div className="muted">{d.subject.aNumber}</div> : null}
                    </td>
                    <td className="nowrap">{d.type}</td>
                    <td>{d.facility.name}<div className="muted">{d.agency.name}</div></td>
                    <td><StatusBadge status={d.status} /> <Flags d={d} /></td>
                    <td><LocalTime at={d.releaseAt} zone={d.timeZone} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      </section>
      {list.data && !list.data.note ? <LoadMore pages={pages} what="detainers" /> : null}
    </>
  );
}
