import { type SubmitEvent, useState } from 'react';
import type { Agency, Area, Certification, Facility, Jurisdiction, Page, Policy, PolicyChange } from '../../api/types';
import { addFieldError, ErrorSummary, type FormErrors, NO_ERRORS, SelectField, TextAreaField, TextField } from '../../components/forms';
import { Badge, ErrorMessage, Loading, PageTitle } from '../../components/page';
import { Link } from '../../lib/router';
import { useLoad, useSession } from '../../lib/session';
import { matches, patch, useForm, useGuard, useReferenceData } from './shared';

const KINDS = ['county', 'city', 'state', 'tribal'] as const;
const PROGRAMS: Record<Agency['program287g'], string> = {
  none: 'None', jail_enforcement: 'Jail enforcement model', task_force: 'Task force model', warrant_service: 'Warrant service officer',
};
const POLICY_KINDS: Record<Policy['kind'], string> = {
  ordinance: 'Ordinance', statute: 'Statute', sheriff_policy: "Sheriff's policy", court_order: 'Court order', executive_order: 'Executive order',
  psp_certification: 'Public Safety Partnership certification', other: 'Other',
};
const required = (e: FormErrors, field: string, value: string, message: string) => (value.trim() ? e : addFieldError(e, field, message));

function SearchBox({ id, value, onChange, label }: { id: string; value: string; onChange: (v: string) => void; label: string }) {
  return <TextField id={id} label={label} type="search" value={value} onChange={onChange} className="admin-search" />;
}

function Created({ text }: { text: string | null }) {
  return text ? <p className="flash" role="status">{text}</p> : null;
}

// ------------------------------------------------------------------ areas

export function Areas() {
  const [tick, setTick] = useState(0);
  const { get, post } = useSession();
  const guard = useGuard();
  const areas = useLoad((signal) => get<Page<Area>>('/api/v1/areas?limit=500', { signal }), [tick]);
  const [q, setQ] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const form = useForm({ code: '', name: '' });
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void form.submit(async () => {
      const area = await guard(() => post<Area>('/api/v1/areas', { code: form.values.code.trim(), name: form.values.name.trim() }));
      setCreated(`Created the area ${area.name} (${area.code}).`);
      form.reset();
      setTick((t) => t + 1);
    }, () => required(required(NO_ERRORS, 'code', form.values.code, 'Enter the three-letter code.'), 'name', form.values.name, 'Enter a name.'));
  };
  const items = (areas.data?.items ?? []).filter((a) => matches(q, a.code, a.name));
  const editingArea = editing ? areas.data?.items.find((a) => a.id === editing) : undefined;
  return (
    <>
      <PageTitle title="Areas">Areas of Responsibility</PageTitle>
      <p className="lead">The field office regions officers and supervisors work in.</p>
      <SearchBox id="area-search" label="Search areas" value={q} onChange={setQ} />
      {areas.error ? <ErrorMessage error={areas.error} retry={areas.reload} /> : null}
      {areas.loading && !areas.data ? <Loading what="Loading areas" /> : null}
      <div className="table-wrap">
        <table className="list cards">
          <caption className="visually-hidden">Areas</caption>
          <thead><tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col"><span className="visually-hidden">Action</span></th></tr></thead>
          <tbody>{items.map((a) => <tr key={a.id}><td className="nowrap" data-label="Code">{a.code}</td><td data-label="Name">{a.name}</td><td className="row-actions"><EditButton id={a.id} label={`Edit ${a.name} (${a.code})`} editing={editing} setEditing={setEditing} /></td></tr>)}</tbody>
        </table>
      </div>
      {editingArea ? (
        <EditArea key={editingArea.id} area={editingArea} onClose={() => setEditing(null)} onSaved={(a) => {
          setEditing(null);
          setCreated(`Saved the area ${a.name} (${a.code}).`);
          setTick((t) => t + 1);
        }} />
      ) : null}
      <section className="admin-form" aria-labelledby="new-area">
        <h2 id="new-area">Create an area</h2>
        <Created text={created} />
        <ErrorSummary errors={form.errors} idOf={(f) => `na-${f}`} title="The area was not created" />
        <form onSubmit={submit} noValidate aria-label="Create an area">
          <div className="row">
            <TextField id="na-code" label="Code" hint="Three letters, e.g. SEA" maxLength={3} value={form.values.code} onChange={form.set('code')} required errors={form.errors.fields.code} />
            <TextField id="na-name" label="Name" className="grow" value={form.values.name} onChange={form.set('name')} required errors={form.errors.fields.name} />
          </div>
          <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Create area</button></div>
        </form>
      </section>
    </>
  );
}

function EditButton({ id, label, editing, setEditing }: { id: string; label: string; editing: string | null; setEditing: (id: string | null) => void }) {
  return <button type="button" onClick={() => setEditing(editing === id ? null : id)} aria-expanded={editing === id} aria-label={label}>Edit</button>;
}

function FormActions({ busy, save, onClose }: { busy: boolean; save: string; onClose: () => void }) {
  return (
    <div className="form-actions">
      <button type="submit" className="primary" disabled={busy}>{save}</button>
      <button type="button" onClick={onClose}>Cancel</button>
    </div>
  );
}

/** The code stays: users, facilities and records are attributed by it. */
function EditArea({ area, onSaved, onClose }: { area: Area; onSaved: (a: Area) => void; onClose: () => void }) {
  const guard = useGuard();
  const form = useForm({ name: area.name });
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void form.submit(async () => onSaved(await guard(() => patch<Area>(`/api/v1/areas/${area.id}`, { name: form.values.name.trim() }))),
      () => required(NO_ERRORS, 'name', form.values.name, 'Enter a name.'));
  };
  return (
    <section className="admin-form" aria-labelledby="edit-area">
      <h2 id="edit-area">Edit the area {area.code}</h2>
      <p className="hint">The code never changes.</p>
      <ErrorSummary errors={form.errors} idOf={(f) => `ea-${f}`} title="The area was not saved" />
      <form onSubmit={submit} noValidate aria-label="Edit the area">
        <TextField id="ea-name" label="Name" value={form.values.name} onChange={form.set('name')} required errors={form.errors.fields.name} />
        <FormActions busy={form.busy} save="Save area" onClose={onClose} />
      </form>
    </section>
  );
}

// ------------------------------------------------------------------ jurisdictions

export function Jurisdictions() {
  const { post } = useSession();
  const guard = useGuard();
  const [tick, setTick] = useState(0);
  const refs = useReferenceData(tick);
  const [q, setQ] = useState('');
  const [state, setState] = useState('');
  const [kind, setKind] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const form = useForm({ name: '', kind: 'county', state: '', fips: '', placeCode: '', ori: '' });
  const v = form.values;
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void form.submit(async () => {
      const body = {
        name: v.name.trim(), kind: v.kind, state: v.state.trim(),
        ...(v.fips.trim() ? { fips: v.fips.trim() } : {}), ...(v.placeCode.trim() ? { placeCode: v.placeCode.trim() } : {}), ...(v.ori.trim() ? { ori: v.ori.trim() } : {}),
      };
      const j = await guard(() => post<Jurisdiction>('/api/v1/jurisdictions', body));
      setCreated(`Created ${j.name} (${j.code}).`);
      form.reset();
      setTick((t) => t + 1);
    }, () => required(required(NO_ERRORS, 'name', v.name, 'Enter a name.'), 'state', v.state, 'Enter the two-letter state code.'));
  };
  const states = [...new Set((refs.data?.jurisdictions ?? []).map((j) => j.state))].sort();
  const items = (refs.data?.jurisdictions ?? []).filter((j) => (!state || j.state === state) && (!kind || j.kind === kind) && matches(q, j.name, j.code, j.fips, j.ori));
  return (
    <>
      <PageTitle title="Jurisdictions">Jurisdictions and policies</PageTitle>
      <p className="lead">Counties, cities, states and tribal nations, by canonical code (state + FIPS, place code or ORI). Open one for its cooperation policies.</p>
      <div className="filters" role="search" aria-label="Filter jurisdictions">
        <SearchBox id="j-search" label="Search by name, code, FIPS" value={q} onChange={setQ} />
        <SelectField id="j-state" label="State" value={state} onChange={setState} placeholder="Any state" options={states.map((s) => ({ value: s, label: s }))} />
        <SelectField id="j-kind" label="Kind" value={kind} onChange={setKind} placeholder="Any kind" options={KINDS.map((k) => ({ value: k, label: k }))} />
      </div>
      {refs.error ? <ErrorMessage error={refs.error} retry={refs.reload} /> : null}
      {refs.loading && !refs.data ? <Loading what="Loading jurisdictions" /> : null}
      <p className="count" role="status">{items.length} jurisdictions</p>
      <div className="table-wrap">
        <table className="list">
          <caption className="visually-hidden">Jurisdictions</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Code</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col">FIPS</th><th scope="col">ORI</th></tr></thead>
          <tbody>
            {items.slice(0, 500).map((j) => (
              <tr key={j.id}>
                <td><Link to={`/console/jurisdictions/${j.id}`}>{j.name}</Link></td>
                <td className="nowrap">{j.code}</td><td>{j.kind}</td><td>{j.state}</td><td>{j.fips ?? j.placeCode ?? '—'}</td><td>{j.ori ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="admin-form" aria-labelledby="new-j">
        <h2 id="new-j">Create a jurisdiction</h2>
        <Created text={created} />
        <ErrorSummary errors={form.errors} idOf={(f) => `nj-${f}`} title="The jurisdiction was not created" />
        <form onSubmit={submit} noValidate aria-label="Create a jurisdiction">
          <div className="row">
            <TextField id="nj-name" label="Name" className="grow" value={v.name} onChange={form.set('name')} required errors={form.errors.fields.name} />
            <SelectField id="nj-kind" label="Kind" value={v.kind} onChange={form.set('kind')} options={KINDS.map((k) => ({ value: k, label: k }))} errors={form.errors.fields.kind} />
            <TextField id="nj-state" label="State" hint="USPS code, e.g. NV" maxLength={2} value={v.state} onChange={form.set('state')} required errors={form.errors.fields.state} />
          </div>
          <div className="row">
            <TextField id="nj-fips" label="County FIPS" hint="5 digits, counties: e.g. 32003" inputMode="numeric" maxLength={5} value={v.fips} onChange={form.set('fips')} errors={form.errors.fields.fips} />
            <TextField id="nj-placeCode" label="Census place code" hint="7 digits, cities" inputMode="numeric" maxLength={7} value={v.placeCode} onChange={form.set('placeCode')} errors={form.errors.fields.placeCode} />
            <TextField id="nj-ori" label="ORI" hint="9 characters, tribal nations" maxLength={9} value={v.ori} onChange={form.set('ori')} errors={form.errors.fields.ori} />
          </div>
          <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Create jurisdiction</button></div>
        </form>
      </section>
    </>
  );
}

const NEW_POLICY = { kind: 'ordinance', citation: '', summary: '', effectiveFrom: '', effectiveTo: '', limitsHold: '', limitsNotification: '', limitsAccess: '' };

export function JurisdictionPage({ id }: { id: string }) {
  const { get, post } = useSession();
  const guard = useGuard();
  const [tick, setTick] = useState(0);
  const j = useLoad((signal) => get<Jurisdiction>(`/api/v1/jurisdictions/${id}`, { signal }), [id, tick]);
  const policies = useLoad((signal) => get<Policy[]>(`/api/v1/jurisdictions/${id}/policies`, { signal }), [id, tick]);
  const [message, setMessage] = useState<{ text: string; weeks?: string[] } | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const rename = useForm({ name: '' });
  const form = useForm(NEW_POLICY);
  const v = form.values;
  const flag = (key: 'limitsHold' | 'limitsNotification' | 'limitsAccess', label: string) => (
    <label className="choice"><input type="checkbox" checked={v[key] === 'yes'} onChange={(e) => form.set(key)(e.target.checked ? 'yes' : '')} /> {label}</label>
  );
  const create = (e: SubmitEvent) => {
    e.preventDefault();
    void form.submit(async () => {
      const body = {
        kind: v.kind, citation: v.citation.trim(), summary: v.summary.trim(), effectiveFrom: v.effectiveFrom,
        limitsHold: v.limitsHold === 'yes', limitsNotification: v.limitsNotification === 'yes', limitsAccess: v.limitsAccess === 'yes',
        ...(v.effectiveTo ? { effectiveTo: v.effectiveTo } : {}),
      };
      const p = await guard(() => post<Policy>(`/api/v1/jurisdictions/${id}/policies`, body));
      setMessage({ text: `Recorded the policy ${p.citation}. Published weeks it was in force get a new version at their next roll-up.` });
      form.reset();
      setTick((t) => t + 1);
    }, () => required(required(required(NO_ERRORS, 'citation', v.citation, 'Enter the citation.'), 'summary', v.summary, 'Say what the policy does.'), 'effectiveFrom', v.effectiveFrom, 'Enter the first day in force.'));
  };
  const editingPolicy = editing ? policies.data?.find((p) => p.id === editing) : undefined;
  return (
    <>
      <PageTitle title={j.data ? j.data.name : 'Jurisdiction'}>{j.data ? `${j.data.name}, ${j.data.state}` : 'Jurisdiction'}</PageTitle>
      <p><Link to="/console/jurisdictions">All jurisdictions</Link></p>
      {j.error ? <ErrorMessage error={j.error} retry={j.reload} /> : null}
      {j.data ? (
        <>
          <dl className="admin-facts">
            <dt>Code</dt><dd>{j.data.code}</dd><dt>Kind</dt><dd>{j.data.kind}</dd><dt>State</dt><dd>{j.data.state}</dd>
            <dt>FIPS</dt><dd>{j.data.fips ?? '—'}</dd><dt>Place code</dt><dd>{j.data.placeCode ?? '—'}</dd><dt>ORI</dt><dd>{j.data.ori ?? '—'}</dd>
          </dl>
          <form className="row" noValidate aria-label="Rename the jurisdiction" onSubmit={(e) => {
            e.preventDefault();
            void rename.submit(async () => {
              await guard(() => patch<Jurisdiction>(`/api/v1/jurisdictions/${id}`, { name: rename.values.name.trim() }));
              setMessage({ text: 'Renamed. The canonical code stays the same.' });
              rename.reset();
              setTick((t) => t + 1);
            }, () => required(NO_ERRORS, 'name', rename.values.name, 'Enter the new name.'));
          }}>
            <TextField id="rj-name" label="New name" hint="The code never changes" value={rename.values.name} onChange={rename.set('name')} errors={rename.errors.fields.name} />
            <div className="field field-button"><button type="submit" disabled={rename.busy}>Rename</button></div>
          </form>
        </>
      ) : null}
      {message ? (
        <div className="flash" role="status">
          {message.text}
          {message.weeks ? (
            message.weeks.length ? (
              <> Published weeks re-rolled (each gets a new version): {message.weeks.map((w, i) => <span key={w}>{i ? ', ' : ''}<Link to={`/reports/${w}`}>week of {w}</Link></span>)}.</>
            ) : <> No published week was touched.</>
          ) : null}
        </div>
      ) : null}
      <h2>Policies</h2>
      {policies.error ? <ErrorMessage error={policies.error} retry={policies.reload} /> : null}
      {policies.data && policies.data.length === 0 ? <p className="admin-empty">No policies recorded.</p> : null}
      {policies.data?.length ? (
        <div className="table-wrap">
          <table className="list cards">
            <caption className="visually-hidden">Policies</caption>
            <thead><tr><th scope="col">Citation</th><th scope="col">Kind</th><th scope="col">In force</th><th scope="col">Limits</th><th scope="col"><span className="visually-hidden">Action</span></th></tr></thead>
            <tbody>
              {policies.data.map((p) => (
                <tr key={p.id}>
                  <td data-label="Citation">{p.citation}<div className="muted">{p.summary}</div></td>
                  <td data-label="Kind">{POLICY_KINDS[p.kind]}</td>
                  <td className="nowrap" data-label="In force">{p.effectiveFrom} to {p.effectiveTo ?? <Badge tone="info">no end</Badge>}</td>
                  <td data-label="Limits">{[p.limitsHold && 'holds', p.limitsNotification && 'notification', p.limitsAccess && 'access'].filter(Boolean).join(', ') || '—'}</td>
                  <td className="row-actions"><button type="button" onClick={() => setEditing(editing === p.id ? null : p.id)} aria-expanded={editing === p.id} aria-label={`Correct or end ${p.citation}`}>Correct or end</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {editingPolicy ? (
        <EditPolicy key={editingPolicy.id} policy={editingPolicy} onSaved={(change) => {
          setEditing(null);
          setMessage({ text: `Saved ${change.citation}${change.effectiveTo ? `, in force until ${change.effectiveTo}` : ''}.`, weeks: change.weeksReRolled });
          setTick((t) => t + 1);
        }} />
      ) : null}
      <Certifications jurisdictionId={id} />
      <section className="admin-form" aria-labelledby="new-policy">
        <h2 id="new-policy">Record a policy</h2>
        <ErrorSummary errors={form.errors} idOf={(f) => `np-${f}`} title="The policy was not recorded" />
        <form onSubmit={create} noValidate aria-label="Record a policy">
          <div className="row">
            <SelectField id="np-kind" label="Kind" value={v.kind} onChange={form.set('kind')} options={Object.entries(POLICY_KINDS).map(([value, label]) => ({ value, label }))} errors={form.errors.fields.kind} />
            <TextField id="np-citation" label="Citation" className="grow" value={v.citation} onChange={form.set('citation')} required errors={form.errors.fields.citation} />
          </div>
          <TextAreaField id="np-summary" label="Summary" value={v.summary} onChange={form.set('summary')} required errors={form.errors.fields.summary} />
          <fieldset className="checkbox-group"><legend>It limits</legend>{flag('limitsHold', 'honoring holds')}{flag('limitsNotification', 'notice of release')}{flag('limitsAccess', 'federal access to the facility')}</fieldset>
          <div className="row">
            <TextField id="np-effectiveFrom" label="In force from" type="date" value={v.effectiveFrom} onChange={form.set('effectiveFrom')} required errors={form.errors.fields.effectiveFrom} />
            <TextField id="np-effectiveTo" label="Until (last day, optional)" type="date" value={v.effectiveTo} onChange={form.set('effectiveTo')} errors={form.errors.fields.effectiveTo} />
          </div>
          <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Record policy</button></div>
        </form>
      </section>
    </>
  );
}

function EditPolicy({ policy, onSaved }: { policy: Policy; onSaved: (change: PolicyChange) => void }) {
  const guard = useGuard();
  const form = useForm({ effectiveTo: policy.effectiveTo ?? '', citation: policy.citation, summary: policy.summary });
  const v = form.values;
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void form.submit(async () => {
      const body: { effectiveTo?: string | null; citation?: string; summary?: string } = {};
      if ((v.effectiveTo || null) !== policy.effectiveTo) body.effectiveTo = v.effectiveTo || null;
      if (v.citation.trim() !== policy.citation) body.citation = v.citation.trim();
      if (v.summary.trim() !== policy.summary) body.summary = v.summary.trim();
      onSaved(await guard(() => patch<PolicyChange>(`/api/v1/policies/${policy.id}`, body)));
    }, () => (v.effectiveTo === (policy.effectiveTo ?? '') && v.citation.trim() === policy.citation && v.summary.trim() === policy.summary
      ? addFieldError(NO_ERRORS, 'effectiveTo', 'Nothing changed: give an end date or correct the wording.') : NO_ERRORS));
  };
  return (
    <section className="admin-form" aria-labelledby="edit-policy">
      <h2 id="edit-policy">Correct or end: {policy.citation}</h2>
      <p className="hint">In force from {policy.effectiveFrom}. Ending it or correcting it re-rolls the published report weeks it touches; each gets a new version.</p>
      <ErrorSummary errors={form.errors} idOf={(f) => `ep-${f}`} title="Not saved" />
      <form onSubmit={submit} noValidate aria-label="Correct or end the policy">
        <TextField id="ep-effectiveTo" label="Last day in force" hint="Empty: no end" type="date" value={v.effectiveTo} onChange={form.set('effectiveTo')} errors={form.errors.fields.effectiveTo} />
        <TextField id="ep-citation" label="Citation" value={v.citation} onChange={form.set('citation')} errors={form.errors.fields.citation} />
        <TextAreaField id="ep-summary" label="Summary" value={v.summary} onChange={form.set('summary')} errors={form.errors.fields.summary} />
        <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Save policy</button></div>
      </form>
    </section>
  );
}

const CERTIFICATION_KINDS: Record<Certification['kind'], string> = {
  facility_access: 'Federal access to its facilities',
  release_notice_48h: '48 hours\' notice of release',
  hold_48h: 'Holds up to 48 hours',
};

/** The jurisdiction's Public Safety Partnership certifications, and recording one. */
function Certifications({ jurisdictionId }: { jurisdictionId: string }) {
  const { get, post } = useSession();
  const guard = useGuard();
  const [tick, setTick] = useState(0);
  const list = useLoad((signal) => get<Certification[]>(`/api/v1/jurisdictions/${jurisdictionId}/certifications`, { signal }), [jurisdictionId, tick]);
  const form = useForm({ kind: 'facility_access', certifiedOn: '', expiresOn: '', source: '' });
  const [created, setCreated] = useState<string | null>(null);
  const v = form.values;
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void form.submit(async () => {
      const c = await guard(() => post<Certification>(`/api/v1/jurisdictions/${jurisdictionId}/certifications`, {
        kind: v.kind, certifiedOn: v.certifiedOn, source: v.source.trim(), ...(v.expiresOn ? { expiresOn: v.expiresOn } : {}),
      }));
      setCreated(`Recorded: ${CERTIFICATION_KINDS[c.kind]}, certified on ${c.certifiedOn}.`);
      form.reset();
      setTick((t) => t + 1);
    }, () => required(required(NO_ERRORS, 'certifiedOn', v.certifiedOn, 'Enter the day it was certified.'), 'source', v.source, 'Say where it was read (a letter, a notice).'));
  };
  return (
    <>
      <h2>Public Safety Partnership certifications</h2>
      {list.error ? <ErrorMessage error={list.error} retry={list.reload} /> : null}
      {list.data && list.data.length === 0 ? <p className="admin-empty">None recorded.</p> : null}
      {list.data?.length ? (
        <div className="table-wrap">
          <table className="list">
            <caption className="visually-hidden">Certifications</caption>
            <thead><tr><th scope="col">Certifies</th><th scope="col">Certified on</th><th scope="col">Expires</th><th scope="col">Source</th></tr></thead>
            <tbody>{list.data.map((c) => <tr key={c.id}><td>{CERTIFICATION_KINDS[c.kind]}</td><td className="nowrap">{c.certifiedOn}</td><td className="nowrap">{c.expiresOn ?? '—'}</td><td>{c.source}</td></tr>)}</tbody>
          </table>
        </div>
      ) : null}
      <section className="admin-form" aria-labelledby="new-certification">
        <h2 id="new-certification">Record a certification</h2>
        <Created text={created} />
        <ErrorSummary errors={form.errors} idOf={(f) => `nc-${f}`} title="The certification was not recorded" />
        <form onSubmit={submit} noValidate aria-label="Record a certification">
          <div className="row">
            <SelectField id="nc-kind" label="Certifies" value={v.kind} onChange={form.set('kind')} options={Object.entries(CERTIFICATION_KINDS).map(([value, label]) => ({ value, label }))} errors={form.errors.fields.kind} />
            <TextField id="nc-certifiedOn" label="Certified on" type="date" value={v.certifiedOn} onChange={form.set('certifiedOn')} required errors={form.errors.fields.certifiedOn} />
            <TextField id="nc-expiresOn" label="Expires (optional)" type="date" value={v.expiresOn} onChange={form.set('expiresOn')} errors={form.errors.fields.expiresOn} />
          </div>
          <TextField id="nc-source" label="Source" hint="Where it was read: a letter, a published notice" value={v.source} onChange={form.set('source')} required errors={form.errors.fields.source} />
          <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Record certification</button></div>
        </form>
      </section>
    </>
  );
}

// ------------------------------------------------------------------ agencies

export function Agencies() {
  const { post } = useSession();
  const guard = useGuard();
  const [tick, setTick] = useState(0);
  const refs = useReferenceData(tick);
  const [q, setQ] = useState('');
  const [jurisdictionId, setJurisdictionId] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const form = useForm({ ori: '', name: '', jurisdictionId: '', program287g: 'none', program287gSince: '', program287gUntil: '' });
  const v = form.values;
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void form.submit(async () => {
      const a = await guard(() => post<Agency>('/api/v1/agencies', {
        ori: v.ori.trim(), name: v.name.trim(), jurisdictionId: v.jurisdictionId, program287g: v.program287g,
        ...(v.program287gSince ? { program287gSince: v.program287gSince } : {}), ...(v.program287gUntil ? { program287gUntil: v.program287gUntil } : {}),
      }));
      setCreated(`Created ${a.name} (${a.ori}).`);
      form.reset();
      setTick((t) => t + 1);
    }, () => required(required(required(NO_ERRORS, 'ori', v.ori, 'Enter the ORI.'), 'name', v.name, 'Enter a name.'), 'jurisdictionId', v.jurisdictionId, 'Choose the jurisdiction.'));
  };
  const jurisdictions = refs.data?.jurisdictions ?? [];
  const items = (refs.data?.agencies ?? []).filter((a) => (!jurisdictionId || a.jurisdictionId === jurisdictionId) && matches(q, a.name, a.ori));
  const editingAgency = editing ? refs.data?.agencies.find((a) => a.id === editing) : undefined;
  return (
    <>
      <PageTitle title="Agencies">Agencies</PageTitle>
      <p className="lead">Law-enforcement agencies by ORI, with their 287(g) programme.</p>
      <div className="filters" role="search" aria-label="Filter agencies">
        <SearchBox id="a-search" label="Search by name or ORI" value={q} onChange={setQ} />
        <SelectField id="a-jurisdiction" label="Jurisdiction" value={jurisdictionId} onChange={setJurisdictionId} placeholder="Any jurisdiction"
          options={jurisdictions.map((j) => ({ value: j.id, label: `${j.name}, ${j.state} (${j.code})` }))} />
      </div>
      {refs.error ? <ErrorMessage error={refs.error} retry={refs.reload} /> : null}
      {refs.loading && !refs.data ? <Loading what="Loading agencies" /> : null}
      <div className="table-wrap">
        <table className="list cards">
          <caption className="visually-hidden">Agencies</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">ORI</th><th scope="col">Jurisdiction</th><th scope="col">287(g)</th><th scope="col"><span className="visually-hidden">Action</span></th></tr></thead>
          <tbody>{items.map((a) => <tr key={a.id}><td data-label="Name">{a.name}</td><td className="nowrap" data-label="ORI">{a.ori}</td><td data-label="Jurisdiction">{refs.data?.jurisdictionName(a.jurisdictionId)}</td><td data-label="287(g)">{PROGRAMS[a.program287g]}{a.program287gSince ? <div className="muted">from {a.program287gSince}{a.program287gUntil ? ` to ${a.program287gUntil}` : ''}</div> : null}</td><td className="row-actions"><EditButton id={a.id} label={`Edit ${a.name} (${a.ori})`} editing={editing} setEditing={setEditing} /></td></tr>)}</tbody>
        </table>
      </div>
      {editingAgency ? (
        <EditAgency key={editingAgency.id} agency={editingAgency} jurisdiction={refs.data?.jurisdictionName(editingAgency.jurisdictionId)}
          onClose={() => setEditing(null)} onSaved={(a) => {
            setEditing(null);
            const weeks = a.weeksReRolled.length ? ` Published weeks re-rolled (each gets a new version): ${a.weeksReRolled.join(', ')}.` : '';
            setCreated(`Saved ${a.name} (${a.ori}).${weeks}`);
            setTick((t) => t + 1);
          }} />
      ) : null}
      <section className="admin-form" aria-labelledby="new-agency">
        <h2 id="new-agency">Create an agency</h2>
        <Created text={created} />
        <ErrorSummary errors={form.errors} idOf={(f) => `ng-${f}`} title="The agency was not created" />
        <form onSubmit={submit} noValidate aria-label="Create an agency">
          <div className="row">
            <TextField id="ng-ori" label="ORI" hint="9 characters, starting with the state: NV0020000" maxLength={9} value={v.ori} onChange={form.set('ori')} required errors={form.errors.fields.ori} />
            <TextField id="ng-name" label="Name" className="grow" value={v.name} onChange={form.set('name')} required errors={form.errors.fields.name} />
          </div>
          <div className="row">
            <SelectField id="ng-jurisdictionId" label="Jurisdiction" value={v.jurisdictionId} onChange={form.set('jurisdictionId')} placeholder="Choose…" required errors={form.errors.fields.jurisdictionId}
              options={jurisdictions.map((j) => ({ value: j.id, label: `${j.name}, ${j.state} (${j.code})` }))} />
            <SelectField id="ng-program287g" label="287(g) programme" value={v.program287g} onChange={form.set('program287g')} errors={form.errors.fields.program287g}
              options={Object.entries(PROGRAMS).map(([value, label]) => ({ value, label }))} />
          </div>
          {v.program287g !== 'none' ? (
            <div className="row">
              <TextField id="ng-program287gSince" label="287(g) agreement in force from" type="date" value={v.program287gSince} onChange={form.set('program287gSince')} errors={form.errors.fields.program287gSince} />
              <TextField id="ng-program287gUntil" label="Until (last day, once it ended)" type="date" value={v.program287gUntil} onChange={form.set('program287gUntil')} errors={form.errors.fields.program287gUntil} />
            </div>
          ) : null}
          <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Create agency</button></div>
        </form>
      </section>
    </>
  );
}

/** Name, ORI and 287(g) programme; the jurisdiction stays (the report counts by it). */
function EditAgency({ agency, jurisdiction, onSaved, onClose }: { agency: Agency; jurisdiction: string | undefined; onSaved: (a: Agency & { weeksReRolled: string[] }) => void; onClose: () => void }) {
  const guard = useGuard();
  const form = useForm({ ori: agency.ori, name: agency.name, program287g: agency.program287g, program287gSince: agency.program287gSince ?? '', program287gUntil: agency.program287gUntil ?? '' });
  const v = form.values;
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const none = v.program287g === 'none';
    void form.submit(async () => onSaved(await guard(() => patch<Agency & { weeksReRolled: string[] }>(`/api/v1/agencies/${agency.id}`, {
      ori: v.ori.trim(), name: v.name.trim(), program287g: v.program287g,
      program287gSince: none || !v.program287gSince ? null : v.program287gSince, program287gUntil: none || !v.program287gUntil ? null : v.program287gUntil,
    }))), () => required(required(NO_ERRORS, 'ori', v.ori, 'Enter the ORI.'), 'name', v.name, 'Enter a name.'));
  };
  return (
    <section className="admin-form" aria-labelledby="edit-agency">
      <h2 id="edit-agency">Edit {agency.name}</h2>
      <p className="hint">Of {jurisdiction ?? 'its jurisdiction'}: the jurisdiction never changes. A change of the 287(g) programme re-rolls the published report weeks it touches.</p>
      <ErrorSummary errors={form.errors} idOf={(f) => `eg-${f}`} title="The agency was not saved" />
      <form onSubmit={submit} noValidate aria-label="Edit the agency">
        <div className="row">
          <TextField id="eg-ori" label="ORI" hint="9 characters, starting with the state" maxLength={9} value={v.ori} onChange={form.set('ori')} required errors={form.errors.fields.ori} />
          <TextField id="eg-name" label="Name" className="grow" value={v.name} onChange={form.set('name')} required errors={form.errors.fields.name} />
        </div>
        <div className="row">
          <SelectField id="eg-program287g" label="287(g) programme" value={v.program287g} onChange={form.set('program287g')} errors={form.errors.fields.program287g}
            options={Object.entries(PROGRAMS).map(([value, label]) => ({ value, label }))} />
          {v.program287g !== 'none' ? (
            <>
              <TextField id="eg-program287gSince" label="In force from" type="date" value={v.program287gSince} onChange={form.set('program287gSince')} errors={form.errors.fields.program287gSince} />
              <TextField id="eg-program287gUntil" label="Until (last day, once it ended)" type="date" value={v.program287gUntil} onChange={form.set('program287gUntil')} errors={form.errors.fields.program287gUntil} />
            </>
          ) : null}
        </div>
        <FormActions busy={form.busy} save="Save agency" onClose={onClose} />
      </form>
    </section>
  );
}

// ------------------------------------------------------------------ facilities

const ZONES = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone').filter((z) => /^(America|Pacific|US)\//.test(z)) : ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'];

export function Facilities() {
  const { get, post } = useSession();
  const guard = useGuard();
  const refs = useReferenceData(0);
  const [tick, setTick] = useState(0);
  const facilities = useLoad(async (signal) => {
    const items: Facility[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Facility> = await get<Page<Facility>>(`/api/v1/facilities?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }, [tick]);
  const [q, setQ] = useState('');
  const [agencyId, setAgencyId] = useState('');
  const [areaId, setAreaId] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const form = useForm({ name: '', agencyId: '', areaId: '', timeZone: '' });
  const v = form.values;
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void form.submit(async () => {
      const f = await guard(() => post<Facility>('/api/v1/facilities', { name: v.name.trim(), agencyId: v.agencyId, areaId: v.areaId, timeZone: v.timeZone }));
      setCreated(`Created ${f.name}.`);
      form.reset();
      setTick((t) => t + 1);
    }, () => required(required(required(required(NO_ERRORS, 'name', v.name, 'Enter a name.'), 'agencyId', v.agencyId, 'Choose the agency.'), 'areaId', v.areaId, 'Choose the area.'), 'timeZone', v.timeZone, 'Choose the time zone.'));
  };
  const items = (facilities.data ?? []).filter((f) => (!agencyId || f.agencyId === agencyId) && (!areaId || f.areaId === areaId) && matches(q, f.name, f.timeZone));
  const agencies = refs.data?.agencies ?? [];
  const areas = refs.data?.areas ?? [];
  const editingFacility = editing ? facilities.data?.find((f) => f.id === editing) : undefined;
  return (
    <>
      <PageTitle title="Facilities">Facilities</PageTitle>
      <p className="lead">Jails and prisons: the agency that runs each, its time zone (all its times are shown in it) and the AOR it lies in.</p>
      <div className="filters" role="search" aria-label="Filter facilities">
        <SearchBox id="fa-search" label="Search by name" value={q} onChange={setQ} />
        <SelectField id="fa-agency" label="Agency" value={agencyId} onChange={setAgencyId} placeholder="Any agency" options={agencies.map((a) => ({ value: a.id, label: `${a.name} (${a.ori})` }))} />
        <SelectField id="fa-area" label="Area" value={areaId} onChange={setAreaId} placeholder="Any area" options={areas.map((a) => ({ value: a.id, label: `${a.name} (${a.code})` }))} />
      </div>
      {facilities.error ? <ErrorMessage error={facilities.error} retry={facilities.reload} /> : null}
      {facilities.loading && !facilities.data ? <Loading what="Loading facilities" /> : null}
      <div className="table-wrap">
        <table className="list cards">
          <caption className="visually-hidden">Facilities</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Agency</th><th scope="col">Time zone</th><th scope="col">Area</th><th scope="col"><span className="visually-hidden">Action</span></th></tr></thead>
          <tbody>{items.map((f) => <tr key={f.id}><td data-label="Name">{f.name}</td><td data-label="Agency">{refs.data?.agencyName(f.agencyId)}</td><td data-label="Time zone">{f.timeZone}</td><td data-label="Area">{refs.data?.areaName(f.areaId)}</td><td className="row-actions"><EditButton id={f.id} label={`Edit ${f.name}${f.state ? `, ${f.state}` : ''}`} editing={editing} setEditing={setEditing} /></td></tr>)}</tbody>
        </table>
      </div>
      {editingFacility ? (
        <EditFacility key={editingFacility.id} facility={editingFacility} agency={refs.data?.agencyName(editingFacility.agencyId)}
          areas={areas} onClose={() => setEditing(null)} onSaved={(f) => {
            setEditing(null);
            setCreated(`Saved ${f.name}.`);
            setTick((t) => t + 1);
          }} />
      ) : null}
      <section className="admin-form" aria-labelledby="new-facility">
        <h2 id="new-facility">Create a facility</h2>
        <Created text={created} />
        <ErrorSummary errors={form.errors} idOf={(f) => `nf-${f}`} title="The facility was not created" />
        <form onSubmit={submit} noValidate aria-label="Create a facility">
          <TextField id="nf-name" label="Name" value={v.name} onChange={form.set('name')} required errors={form.errors.fields.name} />
          <div className="row">
            <SelectField id="nf-agencyId" label="Agency" value={v.agencyId} onChange={form.set('agencyId')} placeholder="Choose…" required errors={form.errors.fields.agencyId}
              options={agencies.map((a) => ({ value: a.id, label: `${a.name} (${a.ori})` }))} />
            <SelectField id="nf-areaId" label="Area (AOR)" value={v.areaId} onChange={form.set('areaId')} placeholder="Choose…" required errors={form.errors.fields.areaId}
              options={areas.map((a) => ({ value: a.id, label: `${a.name} (${a.code})` }))} />
            <SelectField id="nf-timeZone" label="Time zone" value={v.timeZone} onChange={form.set('timeZone')} placeholder="Choose…" required errors={form.errors.fields.timeZone}
              options={ZONES.map((z) => ({ value: z, label: z.replace(/_/g, ' ') }))} />
          </div>
          <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Create facility</button></div>
        </form>
      </section>
    </>
  );
}

/** Name; zone and AOR only while nothing was lodged there (the API answers 409 after); the agency stays. */
function EditFacility({ facility, agency, areas, onSaved, onClose }: { facility: Facility; agency: string | undefined; areas: Area[]; onSaved: (f: Facility) => void; onClose: () => void }) {
  const guard = useGuard();
  const form = useForm({ name: facility.name, timeZone: facility.timeZone, areaId: facility.areaId });
  const v = form.values;
  const zones = ZONES.includes(facility.timeZone) ? ZONES : [facility.timeZone, ...ZONES];
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void form.submit(async () => onSaved(await guard(() => patch<Facility>(`/api/v1/facilities/${facility.id}`, { name: v.name.trim(), timeZone: v.timeZone, areaId: v.areaId }))),
      () => required(NO_ERRORS, 'name', v.name, 'Enter a name.'));
  };
  return (
    <section className="admin-form" aria-labelledby="edit-facility">
      <h2 id="edit-facility">Edit {facility.name}</h2>
      <p className="hint">Run by {agency ?? 'its agency'} (that never changes). The time zone and area can change only until a detainer is lodged here: past records keep their dates and AOR.</p>
      <ErrorSummary errors={form.errors} idOf={(f) => `ef-${f}`} title="The facility was not saved" />
      <form onSubmit={submit} noValidate aria-label="Edit the facility">
        <TextField id="ef-name" label="Name" value={v.name} onChange={form.set('name')} required errors={form.errors.fields.name} />
        <div className="row">
          <SelectField id="ef-areaId" label="Area (AOR)" value={v.areaId} onChange={form.set('areaId')} errors={form.errors.fields.areaId}
            options={areas.map((a) => ({ value: a.id, label: `${a.name} (${a.code})` }))} />
          <SelectField id="ef-timeZone" label="Time zone" value={v.timeZone} onChange={form.set('timeZone')} errors={form.errors.fields.timeZone}
            options={zones.map((z) => ({ value: z, label: z.replace(/_/g, ' ') }))} />
        </div>
        <FormActions busy={form.busy} save="Save facility" onClose={onClose} />
      </form>
    </section>
  );
}
