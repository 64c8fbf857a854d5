import { type SubmitEvent, useState } from 'react';
import { ApiError, currentSession, query } from '../api/client';
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
  q: string;
  sort: string;
}

const FILTER_KEYS: (keyof Filters)[] = ['q', 'status', 'facilityId', 'declined', 'from', 'to', 'aNumber', 'sort'];
const EMPTY: Filters = { q: '', status: '', facilityId: '', declined: '', from: '', to: '', aNumber: '', sort: '' };

/** Columns the list sorts by (the API's `sort`): a click sorts by it, a second click the other way where both ways exist. */
const SORTABLE: Record<string, { asc: string; desc?: string; label: string }> = {
  issued: { asc: 'issuedAt', desc: '-issuedAt', label: 'Issued' },
  subject: { asc: 'familyName', label: 'Subject' },
  status: { asc: 'status', label: 'Status' },
  release: { asc: 'releaseAt', desc: '-releaseAt', label: 'Release' },
};
const SORT_WORDS: Record<string, string> = {
  '-issuedAt': 'newest issued first', issuedAt: 'oldest issued first', familyName: 'by family name', status: 'by status',
  releaseAt: 'soonest release first', '-releaseAt': 'latest release first',
};

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
  return zones.size === 1 ? [...zones][0] : 'UTC';
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
  // Back and forward change the applied filters: show them in the form too (set while rendering, as React advises for state that follows a prop).
  const [draftKey, setDraftKey] = useState(key);
  if (draftKey !== key) {
    setDraftKey(key);
    setDraft(applied);
  }

  const filterParams = (subjectId: string | undefined) => ({
      q: applied.q || undefined,
      sort: applied.sort || undefined,
      status: applied.status,
      facilityId: applied.facilityId,
      declined: applied.declined,
      subjectId,
      issuedFrom: applied.from ? startOfLocalDay(applied.from, zone) : undefined,
      issuedTo: applied.to ? startOfLocalDay(nextDate(applied.to), zone) : undefined,
    });
  const pageUrl = (subjectId: string | undefined, cursor?: string) => `/api/v1/detainers${query({ limit: 50, cursor, ...filterParams(subjectId) })}`;
  const list = useLoad(
    async (signal) => {
      let subjectId: string | undefined;
      if (applied.aNumber) {
        const found = await get<Page<SubjectMatch>>(`/api/v1/subjects${query({ aNumber: applied.aNumber })}`, { signal });
        if (found.items.length === 0) return { items: [] as Detainer[], nextCursor: null, subjectId: undefined, note: `No subject with A-number ${applied.aNumber} in your records.` };
        subjectId = found.items[0].id;
      }
      const page = await get<Page<Detainer>>(pageUrl(subjectId), { signal });
      return { ...page, note: null as string | null, subjectId };
    },
    [key, zone],
  );
  const pages = useMorePages(list.data ?? undefined, `${key} ${zone}`, (cursor) => get<Page<Detainer>>(pageUrl(list.data?.subjectId, cursor)));

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const q = query(Object.fromEntries(FILTER_KEYS.map((k) => [k, draft[k].trim()])));
    navigate(`/detainers${q}`);
  };
  const clear = () => {
    setDraft(EMPTY);
    navigate('/detainers');
  };
  const sortBy = (sort: string) => navigate(`/detainers${query(Object.fromEntries(FILTER_KEYS.map((k) => [k, k === 'sort' ? sort : applied[k]])))}`);
  const currentSort = applied.sort || '-issuedAt';
  const header = (key: keyof typeof SORTABLE) => {
    const col = SORTABLE[key];
    const active = currentSort === col.asc ? 'ascending' : currentSort === col.desc ? 'descending' : 'none';
    const next = active === 'ascending' && col.desc ? col.desc : active === 'descending' ? col.asc : key === 'issued' ? col.desc! : col.asc;
    return (
      <th scope="col" aria-sort={active}>
        {/* the header's name stays the column's (aria-sort says the order): a filter labelled "Status" keeps one match */}
        <button type="button" className="sort" onClick={() => sortBy(next)} title={`Sort ${SORT_WORDS[next]}`}>
          {col.label}<span aria-hidden="true">{active === 'ascending' ? ' ▲' : active === 'descending' ? ' ▼' : ''}</span>
        </button>
      </th>
    );
  };
  const [exporting, setExporting] = useState<string | null>(null);
  const exportCsv = async () => {
    setExporting('Preparing the export…');
    try {
      const token = currentSession()?.token;
      const res = await fetch(`/api/v1/detainers.csv${query(filterParams(list.data?.subjectId))}`, { headers: token ? { Authorization: `Bearer ${token}`, Accept: 'text/csv' } : {} });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { message?: string } | null;
        setExporting(`Export failed: ${body?.message ?? res.statusText}`);
        return;
      }
      const blob = await res.blob();
      const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? 'detainers.csv';
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      URL.revokeObjectURL(a.href);
      setExporting(`Exported ${name}.`);
    } catch {
      setExporting('Export failed: the server could not be reached.');
    }
  };

  const rows = pages.items;
  const filterError = list.error instanceof ApiError && list.error.status === 400 ? list.error : null;

  return (
    <>
      <PageTitle title="Detainers">{session.me.role === 'jail_staff' ? 'Detainers lodged with your agency' : 'Detainers'}</PageTitle>
      <Flash />
      <form className="filters" onSubmit={submit} aria-label="Filter detainers">
        <TextField id="f-q" type="search" label="Search" className="search" value={draft.q} onChange={(v) => setDraft({ ...draft, q: v })}
          hint="Name (any order, accents and typos forgiven), A-number, FBI number, state ID or booking number"
          errors={filterError?.fields.filter((f) => f.field === 'q').map((f) => f.message)} />
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
          <button type="button" onClick={() => void exportCsv()}>Export CSV</button>
        </div>
      </form>
      {exporting ? <p role="status" className="export-status">{exporting}</p> : null}

      <section className="results" aria-label="Results" aria-busy={list.loading}>
      {list.loading && !list.data ? <Loading what="Loading detainers" /> : null}
      {list.error ? <ErrorMessage error={list.error} retry={list.reload} /> : null}
      {list.data?.note ? <p role="status">{list.data.note}</p> : null}
      {list.data && !list.data.note ? (
        rows.length === 0 ? (
          <p role="status">No detainers match these filters.</p>
        ) : (
          <>
          {/* On phones the list is cards and the column headers are hidden: sorting is this select */}
          <div className="sort-select">
            <SelectField id="f-sort" label="Sort" value={currentSort} onChange={(v) => sortBy(v)}
              options={Object.entries(SORT_WORDS).map(([value, words]) => ({ value, label: words.charAt(0).toUpperCase() + words.slice(1) }))} />
          </div>
          <div className="table-wrap">
            <table className="list cards detainer-list">
              <caption className="visually-hidden">Detainers, {SORT_WORDS[currentSort]}. Times are local to each facility.</caption>
              <thead>
                <tr>
                  {header('issued')}
                  {header('subject')}
                  <th scope="col">Form</th>
                  <th scope="col">Held at</th>
                  {header('status')}
                  {header('release')}
                </tr>
              </thead>
              <tbody>
                {rows.map((d) => (
                  <tr key={d.id}>
                    <td data-label="Issued"><LocalTime at={d.issuedAt} zone={d.timeZone} /></td>
                    <td data-label="Subject">
                      <Link to={`/detainers/${d.id}`}>{subjectName(d.subject)}</Link>
                      {d.subject?.aNumber ? <div className="muted">{d.subject.aNumber}</div> : null}
                    </td>
                    <td className="nowrap" data-label="Form">{d.type}</td>
                    <td data-label="Held at">{d.facility.name}<div className="muted">{d.agency.name}</div></td>
                    <td data-label="Status"><StatusBadge status={d.status} /> <Flags d={d} /></td>
                    <td data-label="Release"><LocalTime at={d.releaseAt} zone={d.timeZone} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          </>
        )
      ) : null}
      </section>
      {list.data && !list.data.note ? <LoadMore pages={pages} what="detainers" /> : null}
    </>
  );
}
