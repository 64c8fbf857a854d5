import { type SubmitEvent, useState } from 'react';
import { query } from '../../api/client';
import type { ApiKey, CreatedApiKey, CreatedWebhook, Page, Webhook, WebhookDelivery } from '../../api/types';
import { addFieldError, errorsFromApi, ErrorSummary, type FormErrors, NO_ERRORS, SelectField, TextField } from '../../components/forms';
import { Badge, ErrorMessage, LoadMore, Loading, PageTitle } from '../../components/page';
import { useLoad, useMorePages, useSession } from '../../lib/session';
import { ShownOnce, useForm, useGuard, useReferenceData, formatInstant } from './shared';

const when = (iso: string | null | undefined) => formatInstant(iso);

/** Agency systems' API keys: the key is shown once when made; revoking stops it at the next request. */
export function ApiKeys() {
  const { get, post } = useSession();
  const guard = useGuard();
  const refs = useReferenceData();
  const [agencyId, setAgencyId] = useState('');
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const [tick, setTick] = useState(0);
  const key = `${agencyId}|${includeRevoked}|${tick}`;
  const list = useLoad((signal) => get<Page<ApiKey>>(`/api/v1/api-keys${query({ agencyId, includeRevoked, limit: 100 })}`, { signal }), [key]);
  const pages = useMorePages(list.data, key, (cursor) => get<Page<ApiKey>>(`/api/v1/api-keys${query({ agencyId, includeRevoked, limit: 100, cursor })}`));
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [problems, setProblems] = useState<FormErrors>(NO_ERRORS);
  const [notice, setNotice] = useState<string | null>(null);
  const form = useForm({ agencyId: '', label: '' });
  const agencies = refs.data?.agencies ?? [];
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void form.submit(async () => {
      setCreated(await guard(() => post<CreatedApiKey>('/api/v1/api-keys', { agencyId: form.values.agencyId, label: form.values.label.trim() })));
      form.reset();
      pages.reset();
      setTick((t) => t + 1);
    }, () => {
      let e = NO_ERRORS;
      if (!form.values.agencyId) e = addFieldError(e, 'agencyId', 'Choose the agency whose system this is.');
      if (!form.values.label.trim()) e = addFieldError(e, 'label', 'Name the system, e.g. "Clark County JMS".');
      return e;
    });
  };
  const revoke = async (k: ApiKey) => {
    if (!window.confirm(`Revoke the key "${k.label}" (${k.keyPrefix}…)? The system using it is refused from its next request. This cannot be undone.`)) return;
    setProblems(NO_ERRORS);
    try {
      await guard(() => post<ApiKey>(`/api/v1/api-keys/${k.id}/revoke`));
      setNotice(`Revoked "${k.label}".`);
      pages.reset();
      setTick((t) => t + 1);
    } catch (error) {
      setProblems(errorsFromApi(error, () => false));
    }
  };
  return (
    <>
      <PageTitle title="API keys">API keys</PageTitle>
      <p className="lead">Each key lets one agency's system (a jail management system) act as that agency's jail staff, with the X-Api-Key header.</p>
      {created ? <ShownOnce label={`Key for ${created.label}`} value={created.key} onDismiss={() => setCreated(null)} /> : null}
      {notice ? <p className="flash" role="status">{notice}</p> : null}
      <ErrorSummary errors={problems} idOf={(f) => f} title="Not revoked" />
      <div className="filters" role="search" aria-label="Filter API keys">
        <SelectField id="k-agency" label="Agency" value={agencyId} onChange={setAgencyId} placeholder="Any agency" options={agencies.map((a) => ({ value: a.id, label: `${a.name} (${a.ori})` }))} />
        <div className="field"><label className="choice"><input type="checkbox" checked={includeRevoked} onChange={(e) => setIncludeRevoked(e.target.checked)} /> Show revoked keys</label></div>
      </div>
      {list.error ? <ErrorMessage error={list.error} retry={list.reload} /> : null}
      {list.loading && !list.data ? <Loading what="Loading keys" /> : null}
      <div className="table-wrap">
        <table className="list cards">
          <caption className="visually-hidden">API keys</caption>
          <thead><tr><th scope="col">Label</th><th scope="col">Key starts</th><th scope="col">Agency</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Status</th><th scope="col"><span className="visually-hidden">Action</span></th></tr></thead>
          <tbody>
            {pages.items.map((k) => (
              <tr key={k.id}>
                <td data-label="Label">{k.label}</td><td className="nowrap" data-label="Key starts"><code>{k.keyPrefix}…</code></td><td data-label="Agency">{refs.data?.agencyName(k.agencyId)}</td>
                <td data-label="Created">{when(k.createdAt)}</td><td data-label="Last used">{when(k.lastUsedAt)}</td>
                <td data-label="Status">{k.revokedAt ? <Badge tone="bad">revoked {when(k.revokedAt)}</Badge> : <Badge tone="good">active</Badge>}</td>
                <td className="row-actions">{k.revokedAt ? null : <button type="button" onClick={() => void revoke(k)} aria-label={`Revoke ${k.label}`}>Revoke</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.data && pages.items.length === 0 ? <p className="admin-empty">No keys.</p> : null}
      </div>
      <LoadMore pages={pages} what="keys" />
      <section className="admin-form" aria-labelledby="new-key">
        <h2 id="new-key">Create a key</h2>
        <ErrorSummary errors={form.errors} idOf={(f) => `nk-${f}`} title="The key was not created" />
        <form onSubmit={submit} noValidate aria-label="Create an API key">
          <div className="row">
            <SelectField id="nk-agencyId" label="Agency" value={form.values.agencyId} onChange={form.set('agencyId')} placeholder="Choose…" required errors={form.errors.fields.agencyId}
              options={agencies.map((a) => ({ value: a.id, label: `${a.name} (${a.ori})` }))} />
            <TextField id="nk-label" label="Label" className="grow" hint='The system, e.g. "Clark County JMS"' value={form.values.label} onChange={form.set('label')} required errors={form.errors.fields.label} />
          </div>
          <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Create key</button></div>
        </form>
      </section>
    </>
  );
}

const WEBHOOK_EVENTS = ['reminder.release_48h', 'reminder.hold_expired', 'reminder.unacknowledged_24h'];

/** Agency systems' webhooks: the signing secret is shown once, when registered. */
export function Webhooks() {
  const { get, post } = useSession();
  const guard = useGuard();
  const refs = useReferenceData();
  const [tick, setTick] = useState(0);
  const list = useLoad((signal) => get<{ items: Webhook[] }>('/api/v1/webhooks', { signal }), [tick]);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [events, setEvents] = useState<string[]>(WEBHOOK_EVENTS);
  const [showing, setShowing] = useState<string | null>(null);
  const form = useForm({ agencyId: '', url: '', events: '' });
  const agencies = refs.data?.agencies ?? [];
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void form.submit(async () => {
      setCreated(await guard(() => post<CreatedWebhook>('/api/v1/webhooks', { agencyId: form.values.agencyId, url: form.values.url.trim(), events })));
      form.reset();
      setTick((t) => t + 1);
    }, () => {
      let e = NO_ERRORS;
      if (!form.values.agencyId) e = addFieldError(e, 'agencyId', 'Choose the agency whose system receives it.');
      if (!form.values.url.trim()) e = addFieldError(e, 'url', 'Enter the https address of the receiver.');
      if (events.length === 0) e = addFieldError(e, 'events', 'Choose at least one event.');
      return e;
    });
  };
  return (
    <>
      <PageTitle title="Webhooks">Webhooks</PageTitle>
      <p className="lead">Reminders sent to agency systems, signed with HMAC-SHA256. Failed deliveries are retried from the supervisors' "failed deliveries" queue.</p>
      {created ? <ShownOnce label={`Signing secret for ${created.url}`} value={created.secret} onDismiss={() => setCreated(null)} /> : null}
      {list.error ? <ErrorMessage error={list.error} retry={list.reload} /> : null}
      {list.loading && !list.data ? <Loading what="Loading webhooks" /> : null}
      <div className="table-wrap">
        <table className="list cards">
          <caption className="visually-hidden">Webhooks</caption>
          <thead><tr><th scope="col">Address</th><th scope="col">Agency</th><th scope="col">Events</th><th scope="col">Registered</th><th scope="col">Status</th><th scope="col"><span className="visually-hidden">Deliveries</span></th></tr></thead>
          <tbody>
            {(list.data?.items ?? []).map((w) => (
              <tr key={w.id}><td className="admin-wrap" data-label="Address">{w.url}</td><td data-label="Agency">{refs.data?.agencyName(w.agencyId)}</td><td data-label="Events">{w.events.join(', ')}</td><td data-label="Registered">{when(w.createdAt)}</td>
                <td data-label="Status">{w.active ? <Badge tone="good">active</Badge> : <Badge tone="neutral">inactive</Badge>}</td>
                <td className="row-actions"><button type="button" aria-expanded={showing === w.id} aria-label={`Recent deliveries to ${w.url}`} onClick={() => setShowing(showing === w.id ? null : w.id)}>Deliveries</button></td></tr>
            ))}
          </tbody>
        </table>
        {list.data && list.data.items.length === 0 ? <p className="admin-empty">No webhooks registered.</p> : null}
      </div>
      {showing ? <Deliveries key={showing} webhook={list.data?.items.find((w) => w.id === showing)} /> : null}
      <section className="admin-form" aria-labelledby="new-hook">
        <h2 id="new-hook">Register a webhook</h2>
        <ErrorSummary errors={form.errors} idOf={(f) => `nw-${f}`} title="The webhook was not registered" />
        <form onSubmit={submit} noValidate aria-label="Register a webhook">
          <div className="row">
            <SelectField id="nw-agencyId" label="Agency" value={form.values.agencyId} onChange={form.set('agencyId')} placeholder="Choose…" required errors={form.errors.fields.agencyId}
              options={agencies.map((a) => ({ value: a.id, label: `${a.name} (${a.ori})` }))} />
            <TextField id="nw-url" label="Receiver address" className="grow" type="url" hint="https://…; private and internal addresses are refused" value={form.values.url} onChange={form.set('url')} required errors={form.errors.fields.url} />
          </div>
          <fieldset className="checkbox-group" id="nw-events" tabIndex={-1}>
            <legend>Events</legend>
            {WEBHOOK_EVENTS.map((ev) => (
              <label key={ev} className="choice"><input type="checkbox" checked={events.includes(ev)} onChange={(e) => setEvents(e.target.checked ? [...events, ev] : events.filter((x) => x !== ev))} /> {ev}</label>
            ))}
            {form.errors.fields.events ? <div className="field-error">{form.errors.fields.events.join(' ')}</div> : null}
          </fieldset>
          <div className="form-actions"><button type="submit" className="primary" disabled={form.busy}>Register webhook</button></div>
        </form>
      </section>
    </>
  );
}

const DELIVERY_TONE = { pending: 'info', sending: 'info', sent: 'good', failed: 'bad' } as const;

/** A webhook's recent deliveries, newest first, with a retry for each that failed for good. */
function Deliveries({ webhook }: { webhook: Webhook | undefined }) {
  const { get, post } = useSession();
  const [tick, setTick] = useState(0);
  const id = webhook?.id ?? '';
  const list = useLoad((signal) => get<Page<WebhookDelivery>>(`/api/v1/webhooks/${id}/deliveries?limit=50`, { signal }), [id, tick]);
  const pages = useMorePages(list.data, `${id}${tick}`, (cursor) => get<Page<WebhookDelivery>>(`/api/v1/webhooks/${id}/deliveries${query({ limit: 50, cursor })}`));
  const [notice, setNotice] = useState<string | null>(null);
  const [problems, setProblems] = useState<FormErrors>(NO_ERRORS);
  if (!webhook) return null;
  const retry = async (d: WebhookDelivery) => {
    setProblems(NO_ERRORS);
    try {
      await post(`/api/v1/deliveries/${d.id}/retry`);
      setNotice('Queued again: it is sent with a fresh set of attempts.');
      pages.reset();
      setTick((t) => t + 1);
    } catch (error) {
      setProblems(errorsFromApi(error, () => false));
    }
  };
  return (
    <section className="admin-form" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Recent deliveries to {webhook.url}</h2>
      {notice ? <p className="flash" role="status">{notice}</p> : null}
      <ErrorSummary errors={problems} idOf={(f) => f} title="Not retried" />
      {list.error ? <ErrorMessage error={list.error} retry={list.reload} /> : null}
      {list.loading && !list.data ? <Loading what="Loading deliveries" /> : null}
      {list.data && pages.items.length === 0 ? <p className="admin-empty">Nothing was sent to it yet.</p> : null}
      {pages.items.length ? (
        <div className="table-wrap">
          <table className="list cards">
            <caption className="visually-hidden">Deliveries, newest first</caption>
            <thead><tr><th scope="col">Created</th><th scope="col">Reminder</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last error</th><th scope="col"><span className="visually-hidden">Action</span></th></tr></thead>
            <tbody>
              {pages.items.map((d) => (
                <tr key={d.id}>
                  <td className="nowrap" data-label="Created">{when(d.createdAt)}</td>
                  <td data-label="Reminder">{d.kind.replace(/_/g, ' ')}</td>
                  <td data-label="Status"><Badge tone={DELIVERY_TONE[d.status] ?? 'neutral'}>{d.status}</Badge>{d.sentAt ? <div className="muted">{when(d.sentAt)}</div> : null}{d.failedAt ? <div className="muted">{when(d.failedAt)}</div> : null}</td>
                  <td className="num" data-label="Attempts">{d.attempts}</td>
                  <td className="admin-wrap" data-label="Last error">{d.lastError ?? '—'}</td>
                  <td className="row-actions">{d.status === 'failed' ? <button type="button" onClick={() => void retry(d)} aria-label={`Retry the delivery of ${when(d.createdAt)}`}>Retry</button> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore pages={pages} what="deliveries" />
    </section>
  );
}
