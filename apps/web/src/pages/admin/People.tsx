import { type SubmitEvent, useState } from 'react';
import { query } from '../../api/client';
import type { Account, CreatedUser, Page, Role } from '../../api/types';
import { addFieldError, errorsFromApi, ErrorSummary, type FormErrors, NO_ERRORS, SelectField, TextField } from '../../components/forms';
import { Badge, ErrorMessage, LoadMore, Loading, PageTitle } from '../../components/page';
import { ROLE_LABELS } from '../../lib/labels';
import { Link, navigate, useLocation } from '../../lib/router';
import { useLoad, useMorePages, useSession } from '../../lib/session';
import { PasswordRules, type ReferenceData, useForm, useGuard, useReferenceData, formatInstant } from './shared';

const ROLES: Role[] = ['officer', 'jail_staff', 'supervisor', 'admin', 'analyst'];
const STATUS_TONE = { active: 'good', locked: 'warn', disabled: 'bad' } as const;
const when = (iso: string | null | undefined) => formatInstant(iso);

export function unitOf(a: { role: Role; agencyId: string | null; areaId: string | null }, refs: ReferenceData | undefined): string {
  if (!refs) return '';
  if (a.agencyId) return refs.agencyName(a.agencyId);
  if (a.areaId) return refs.areaName(a.areaId);
  return a.role === 'admin' || a.role === 'analyst' ? 'Nationwide' : '—';
}

/** Users by role, agency, area and status; creating one. */
export function People() {
  const { get } = useSession();
  const { search } = useLocation();
  const refs = useReferenceData();
  const filters = { role: search.get('role') ?? '', agencyId: search.get('agencyId') ?? '', areaId: search.get('areaId') ?? '', status: search.get('status') ?? '' };
  const [draft, setDraft] = useState(filters);
  const key = query(filters);
  const [tick, setTick] = useState(0);
  const list = useLoad((signal) => get<Page<Account>>(`/api/v1/users${query({ ...filters, limit: 100 })}`, { signal }), [key, tick]);
  const pages = useMorePages(list.data, `${key}${tick}`, (cursor) => get<Page<Account>>(`/api/v1/users${query({ ...filters, limit: 100, cursor })}`));

  const apply = (e: SubmitEvent) => {
    e.preventDefault();
    navigate(`/console/people${query(draft)}`);
  };

  return (
    <>
      <PageTitle title="People">People</PageTitle>
      <p className="lead">Accounts by role, agency and area. Open one to unlock, disable, enable, set a password or reset the second factor.</p>
      <form className="filters" onSubmit={apply} aria-label="Filter people">
        <SelectField id="f-role" label="Role" value={draft.role} onChange={(v) => setDraft({ ...draft, role: v })} placeholder="Any role" options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
        <SelectField id="f-agency" label="Agency" value={draft.agencyId} onChange={(v) => setDraft({ ...draft, agencyId: v })} placeholder="Any agency"
          options={(refs.data?.agencies ?? []).map((a) => ({ value: a.id, label: `${a.name} (${a.ori})` }))} />
        <SelectField id="f-area" label="Area (AOR)" value={draft.areaId} onChange={(v) => setDraft({ ...draft, areaId: v })} placeholder="Any area"
          options={(refs.data?.areas ?? []).map((a) => ({ value: a.id, label: `${a.name} (${a.code})` }))} />
        <SelectField id="f-status" label="Status" value={draft.status} onChange={(v) => setDraft({ ...draft, status: v })} placeholder="Any status"
          options={[{ value: 'active', label: 'Active' }, { value: 'locked', label: 'Locked' }, { value: 'disabled', label: 'Disabled' }]} />
        <div className="filter-buttons"><button type="submit" className="primary">Apply filters</button></div>
      </form>
      {list.loading && !list.data ? <Loading what="Loading people" /> : null}
      {list.error ? <ErrorMessage error={list.error} retry={list.reload} /> : null}
      {list.data ? (
        <div className="table-wrap">
          <table className="list">
            <caption className="visually-hidden">People</caption>
            <thead>
              <tr><th scope="col">Username</th><th scope="col">Role</th><th scope="col">Agency or area</th><th scope="col">Status</th><th scope="col">Second factor</th><th scope="col">Last sign-in</th></tr>
            </thead>
            <tbody>
              {pages.items.map((a) => (
                <tr key={a.id}>
                  <td><Link to={`/console/people/${a.id}`}>{a.username}</Link>{a.displayName ? <div className="muted">{a.displayName}</div> : null}</td>
                  <td>{ROLE_LABELS[a.role]}</td>
                  <td>{unitOf(a, refs.data)}</td>
                  <td><Badge tone={STATUS_TONE[a.status]}>{a.status}</Badge></td>
                  <td>{a.secondFactor ? 'Authenticator app' : <span className="muted">none</span>}</td>
                  <td>{when(a.lastLogonAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {pages.items.length === 0 ? <p className="admin-empty">No one matches these filters.</p> : null}
        </div>
      ) : null}
      <LoadMore pages={pages} what="people" />
      <CreateUser refs={refs.data} onCreated={() => { pages.reset(); setTick((t) => t + 1); }} />
    </>
  );
}

const NEW_USER = { username: '', password: '', role: '', agencyId: '', areaId: '', displayName: '', email: '' };

function CreateUser({ refs, onCreated }: { refs: ReferenceData | undefined; onCreated: () => void }) {
  const { post } = useSession();
  const guard = useGuard();
  const form = useForm(NEW_USER);
  const [created, setCreated] = useState<CreatedUser | null>(null);
  const v = form.values;
  const needsAgency = v.role === 'jail_staff';
  const needsArea = v.role === 'officer' || v.role === 'supervisor';
  const check = (): FormErrors => {
    let e = NO_ERRORS;
    if (!v.username.trim()) e = addFieldError(e, 'username', 'Enter a username.');
    if (!v.role) e = addFieldError(e, 'role', 'Choose a role.');
    if (needsAgency && !v.agencyId) e = addFieldError(e, 'agencyId', 'Jail staff belong to an agency: choose one.');
    if (needsArea && !v.areaId) e = addFieldError(e, 'areaId', 'Officers and supervisors work in an area: choose one.');
    return e;
  };
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void form.submit(async () => {
      const body = {
        username: v.username.trim(), password: v.password, role: v.role,
        ...(needsAgency ? { agencyId: v.agencyId } : {}), ...(needsArea ? { areaId: v.areaId } : {}),
        ...(v.displayName.trim() ? { displayName: v.displayName.trim() } : {}), ...(v.email.trim() ? { email: v.email.trim() } : {}),
      };
      setCreated(await guard(() => post<CreatedUser>('/api/v1/users', body)));
      form.reset();
      onCreated();
    }, check);
  };
  return (
    <section aria-labelledby="new-user" className="admin-form">
      <h2 id="new-user">Create a user</h2>
      {created ? <p className="flash" role="status">Created {created.username} ({ROLE_LABELS[created.role]}). They can sign in now.</p> : null}
      <ErrorSummary errors={form.errors} idOf={(f) => `nu-${f}`} title="The user was not created" />
      <form onSubmit={submit} noValidate aria-label="Create a user">
        <div className="row">
          <TextField id="nu-username" label="Username" value={v.username} onChange={form.set('username')} autoComplete="off" required errors={form.errors.fields.username}
            hint="3 to 64 letters, digits, . _ @ -" />
          <SelectField id="nu-role" label="Role" value={v.role} onChange={form.set('role')} placeholder="Choose…" required errors={form.errors.fields.role}
            options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
        </div>
        <div className="row">
          {needsAgency ? (
            <SelectField id="nu-agencyId" label="Agency" value={v.agencyId} onChange={form.set('agencyId')} placeholder="Choose…" required errors={form.errors.fields.agencyId}
              options={(refs?.agencies ?? []).map((a) => ({ value: a.id, label: `${a.name} (${a.ori})` }))} />
          ) : null}
          {needsArea ? (
            <SelectField id="nu-areaId" label="Area (AOR)" value={v.areaId} onChange={form.set('areaId')} placeholder="Choose…" required errors={form.errors.fields.areaId}
              options={(refs?.areas ?? []).map((a) => ({ value: a.id, label: `${a.name} (${a.code})` }))} />
          ) : null}
        </div>
        <TextField id="nu-password" label="Password" type="password" autoComplete="new-password" value={v.password} onChange={form.set('password')} required
          errors={form.errors.fields.password} hint={<PasswordRules id="nu-password-rules" password={v.password} username={v.username} />} />
        <div className="row">
          <TextField id="nu-displayName" label="Display name" value={v.displayName} onChange={form.set('displayName')} errors={form.errors.fields.displayName} />
          <TextField id="nu-email" label="E-mail for reminders" type="email" value={v.email} onChange={form.set('email')} errors={form.errors.fields.email} />
        </div>
        <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Create user</button></div>
      </form>
    </section>
  );
}

/** One account: its status, and the changes an admin makes to it (each after re-authentication when due). */
export function Person({ id }: { id: string }) {
  const { get, post } = useSession();
  const guard = useGuard();
  const refs = useReferenceData();
  const account = useLoad((signal) => get<Account>(`/api/v1/users/${id}`, { signal }), [id]);
  const [done, setDone] = useState<string | null>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const password = useForm({ password: '' });

  const act = async (path: string, message: string, confirmText?: string) => {
    if (confirmText && !window.confirm(confirmText)) return;
    setBusy(true);
    setErrors(NO_ERRORS);
    setDone(null);
    try {
      await guard(() => post<Account>(`/api/v1/users/${id}/${path}`));
      setDone(message);
      await account.reload();
    } catch (error) {
      setErrors(errorsFromApi(error, () => false));
    }
    setBusy(false);
  };

  const a = account.data;
  return (
    <>
      <PageTitle title={a ? `User ${a.username}` : 'User'}>{a ? a.username : 'User'}</PageTitle>
      <p><Link to="/console/people">All people</Link></p>
      {account.loading && !a ? <Loading what="Loading the account" /> : null}
      {account.error ? <ErrorMessage error={account.error} retry={account.reload} /> : null}
      {a ? (
        <>
          {done ? <p className="flash" role="status">{done}</p> : null}
          <ErrorSummary errors={errors} idOf={(f) => `pw-${f}`} title="Not changed" />
          <dl className="admin-facts">
            <dt>Role</dt><dd>{ROLE_LABELS[a.role]}</dd>
            <dt>Agency or area</dt><dd>{unitOf(a, refs.data)}</dd>
            <dt>Status</dt><dd><Badge tone={STATUS_TONE[a.status]}>{a.status}</Badge>{a.lockedAt ? ` since ${when(a.lockedAt)} (5 failed sign-ins)` : ''}{a.disabledAt ? ` since ${when(a.disabledAt)}` : ''}</dd>
            <dt>Second factor</dt><dd>{a.secondFactor ? `Authenticator app, since ${when(a.secondFactor.enabledAt)}` : 'None'}</dd>
            <dt>Open sessions</dt><dd>{a.openSessions ?? 0}</dd>
            <dt>Last sign-in</dt><dd>{when(a.lastLogonAt)}</dd>
            <dt>Password set</dt><dd>{when(a.passwordChangedAt)}</dd>
          </dl>
          <div className="form-actions" aria-label="Account actions">
            {a.status === 'locked' ? <button type="button" className="primary" disabled={busy} onClick={() => void act('unlock', `${a.username} is unlocked and can sign in again.`)}>Unlock</button> : null}
            {a.status !== 'disabled' ? (
              <button type="button" disabled={busy} onClick={() => void act('disable', `${a.username} is disabled; their sessions have ended.`, `Disable ${a.username}? Their sessions end at once and they cannot sign in until enabled.`)}>Disable</button>
            ) : (
              <button type="button" disabled={busy} onClick={() => void act('enable', `${a.username} is enabled again.`)}>Enable</button>
            )}
            {a.secondFactor ? (
              <button type="button" disabled={busy} onClick={() => void act('mfa/reset', `${a.username}'s second factor is removed; they set up a new one at their next sign-in.`, `Remove ${a.username}'s authenticator app? Their sessions end.`)}>Reset second factor</button>
            ) : null}
          </div>
          <section aria-labelledby="set-password" className="admin-form">
            <h2 id="set-password">Set a new password</h2>
            <p className="hint">For a forgotten password: their sessions end, and they sign in with this one.</p>
            <form noValidate aria-label="Set a new password" onSubmit={(e) => {
              e.preventDefault();
              void password.submit(async () => {
                await guard(() => post<Account>(`/api/v1/users/${id}/password`, { password: password.values.password }));
                password.reset();
                setDone(`A new password is set for ${a.username}; their sessions have ended.`);
                await account.reload();
              });
            }}>
              <ErrorSummary errors={password.errors} idOf={(f) => `pw-${f}`} title="The password was not set" />
              <TextField id="pw-password" label="New password" type="password" autoComplete="new-password" value={password.values.password} onChange={password.set('password')}
                required errors={password.errors.fields.password} hint={<PasswordRules id="pw-rules" password={password.values.password} username={a.username} />} />
              <div className="form-actions"><button type="submit" disabled={password.busy}>Set password</button></div>
            </form>
          </section>
        </>
      ) : null}
    </>
  );
}

