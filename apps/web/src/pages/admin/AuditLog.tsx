import { type SubmitEvent, useState } from 'react';
import { currentSession, query, request } from '../../api/client';
import type { Account, AuditEntry, Page, Role } from '../../api/types';
import { errorsFromApi, ErrorSummary, type FormErrors, NO_ERRORS, SelectField, TextField } from '../../components/forms';
import { Badge, ErrorMessage, LoadMore, Loading, PageTitle } from '../../components/page';
import { ROLE_LABELS } from '../../lib/labels';
import { navigate, useLocation } from '../../lib/router';
import { useLoad, useMorePages, useSession } from '../../lib/session';
import { formatInstant, useReferenceData } from './shared';

const FILTERS = ['actorId', 'actorRole', 'agencyId', 'category', 'action', 'targetType', 'targetId', 'outcome', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;
const CATEGORIES = ['authentication', 'read', 'identity_read', 'change', 'admin', 'audit_read'];
const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** `2026-12-02T09:30` typed in this browser's zone, as an instant for the API. */
const instant = (local: string) => (local ? new Date(local).toISOString() : '');

function apiQuery(f: Filters): Record<string, string> {
  const q: Record<string, string> = {};
  for (const k of FILTERS) if (f[k]) q[k] = k === 'from' || k === 'to' ? instant(f[k]) : f[k];
  return q;
}

/** The audit log: filters, keyset paging newest first, CSV of the same selection. Each view is itself audited. */
export function AuditLog() {
  const { get } = useSession();
  const { search } = useLocation();
  const refs = useReferenceData();
  const users = useLoad((signal) => get<Page<Account>>('/api/v1/users?limit=500', { signal }), []);
  const filters = Object.fromEntries(FILTERS.map((k) => [k, search.get(k) ?? ''])) as Filters;
  const [draft, setDraft] = useState<Filters>(filters);
  const [problems, setProblems] = useState<FormErrors>(NO_ERRORS);
  const [exporting, setExporting] = useState(false);
  const key = query(filters);
  const list = useLoad((signal) => get<Page<AuditEntry>>(`/api/v1/audit${query({ ...apiQuery(filters), limit: 100 })}`, { signal }), [key]);
  const pages = useMorePages(list.data, key, (cursor) => get<Page<AuditEntry>>(`/api/v1/audit${query({ ...apiQuery(filters), limit: 100, cursor })}`));
  const set = (k: keyof Filters) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));

  const apply = (e: SubmitEvent) => {
    e.preventDefault();
    navigate(`/console/audit${query(draft)}`);
  };
  const exportCsv = async () => {
    setExporting(true);
    setProblems(NO_ERRORS);
    try {
      await request('GET', '/api/v1/me', { auth: true }); // a fresh token for the download
      const res = await fetch(`/api/v1/audit/export.csv${query(apiQuery(filters))}`, { headers: { Authorization: `Bearer ${currentSession()?.token ?? ''}`, Accept: 'text/csv' } });
      if (!res.ok) throw new Error(`The export failed: the server answered ${res.status}.`);
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? 'audit-log.csv';
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      if (res.headers.get('X-Export-Truncated') === 'true') setProblems({ fields: {}, general: ['The export holds the newest 50,000 entries only: narrow the filters (time, person, action) for the rest.'] });
    } catch (error) {
      setProblems(errorsFromApi(error, () => false));
    }
    setExporting(false);
  };

  const fieldErrors = list.error ? errorsFromApi(list.error, (f) => (FILTERS as readonly string[]).includes(f)) : NO_ERRORS;
  return (
    <>
      <PageTitle title="Audit log">Audit log</PageTitle>
      <p className="lead">Every request to the API, sign-in and admin action, newest first. Looking here is itself recorded. Times in your zone, {ZONE}.</p>
      <form className="filters admin-audit-filters" onSubmit={apply} aria-label="Filter the audit log">
        <SelectField id="au-actorId" label="Person" value={draft.actorId} onChange={set('actorId')} placeholder="Anyone" errors={fieldErrors.fields.actorId}
          options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.username} (${ROLE_LABELS[u.role]})` }))} />
        <SelectField id="au-actorRole" label="Role" value={draft.actorRole} onChange={set('actorRole')} placeholder="Any role"
          options={(Object.keys(ROLE_LABELS) as Role[]).map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
        <SelectField id="au-agencyId" label="Agency" value={draft.agencyId} onChange={set('agencyId')} placeholder="Any agency"
          options={(refs.data?.agencies ?? []).map((a) => ({ value: a.id, label: `${a.name} (${a.ori})` }))} />
        <SelectField id="au-category" label="Kind" value={draft.category} onChange={set('category')} placeholder="Any kind" options={CATEGORIES.map((c) => ({ value: c, label: c.replace('_', ' ') }))} />
        <TextField id="au-action" label="Action" hint="e.g. auth.login, queues.pause, POST /api/v1/users" value={draft.action} onChange={set('action')} errors={fieldErrors.fields.action} />
        <TextField id="au-targetType" label="Target type" hint="e.g. users, detainers, queues" value={draft.targetType} onChange={set('targetType')} errors={fieldErrors.fields.targetType} />
        <TextField id="au-targetId" label="Target id" value={draft.targetId} onChange={set('targetId')} errors={fieldErrors.fields.targetId} />
        <SelectField id="au-outcome" label="Outcome" value={draft.outcome} onChange={set('outcome')} placeholder="Any outcome" options={[{ value: 'success', label: 'Success' }, { value: 'failure', label: 'Failure' }]} />
        <TextField id="au-from" label="From" type="datetime-local" value={draft.from} onChange={set('from')} errors={fieldErrors.fields.from} />
        <TextField id="au-to" label="Before" type="datetime-local" value={draft.to} onChange={set('to')} errors={fieldErrors.fields.to} />
        <div className="filter-buttons">
          <button type="submit" className="primary">Apply filters</button>
          <button type="button" onClick={() => void exportCsv()} disabled={exporting}>{exporting ? 'Exporting…' : 'Export CSV'}</button>
        </div>
      </form>
      <ErrorSummary errors={problems} idOf={(f) => `au-${f}`} title="Export" />
      {list.loading && !list.data ? <Loading what="Loading the audit log" /> : null}
      {list.error ? <ErrorMessage error={list.error} retry={list.reload} /> : null}
      {list.data ? (
        <div className="table-wrap">
          <table className="list admin-audit">
            <caption className="visually-hidden">Audit entries, newest first</caption>
            <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Outcome</th><th scope="col">From</th></tr></thead>
            <tbody>
              {pages.items.map((e) => (
                <tr key={e.id}>
                  <td className="nowrap" title={e.at}>{formatInstant(e.at, true)}</td>
                  <td>{e.actor.name ?? <span className="muted">{e.actor.kind}</span>}{e.actor.role ? <div className="muted">{ROLE_LABELS[e.actor.role as Role] ?? e.actor.role}</div> : null}</td>
                  <td className="admin-wrap">{e.action}<div className="muted">{e.category.replace('_', ' ')}</div></td>
                  <td className="admin-wrap">{e.target?.type ? `${e.target.type}${e.target.id ? ` ${e.target.id}` : ''}` : '—'}</td>
                  <td>{e.outcome === 'success' ? <Badge tone="good">success</Badge> : <Badge tone="bad">failure</Badge>} {e.status ?? ''}{e.reason ? <div className="muted">{e.reason}</div> : null}</td>
                  <td className="nowrap">{e.clientAddress ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {pages.items.length === 0 ? <p className="admin-empty">No entries match these filters.</p> : null}
        </div>
      ) : null}
      <LoadMore pages={pages} what="entries" />
    </>
  );
}
