import { useEffect, useRef, useState } from 'react';
import { query } from '../api/client';
import type { ActionName, Detainer, DetainerEvent, Page } from '../api/types';
import { ActionForm } from '../components/ActionForms';
import { AmendSection, OtherRequests } from '../components/AmendForm';
import { Flags, LocalTime, StatusBadge, subjectName } from '../components/detainer-bits';
import { ErrorMessage, Flash, Loading, PageTitle } from '../components/page';
import {
  ACTION_LABELS, CANCEL_REASON_LABELS, CHANNEL_LABELS, DECLINE_KIND_LABELS, EVENT_LABELS, humanize, label, OUTCOME_LABELS, PROBABLE_CAUSE_LABELS,
  RESPONSE_LABELS, ROLE_LABELS, SOURCE_LABELS,
} from '../lib/labels';
import { Link, useLocation } from '../lib/router';
import { DisputeItem, OpenDisputeForm, type RecordDispute } from './Disputes';
import { useLoad, useSession } from '../lib/session';
import { formatInZone } from '../lib/time';

/** One detainer: what it is, where the person is, what can be done now, and its full timeline. */
export function DetainerPage({ id }: { id: string }) {
  const { session, get } = useSession();
  const location = useLocation();
  const [open, setOpen] = useState<ActionName | 'dispute' | null>(() => (location.search.get('action') as ActionName | 'dispute' | null) ?? null);
  const [message, setMessage] = useState<string | null>(null);
  const detainer = useLoad((signal) => get<Detainer>(`/api/v1/detainers/${id}`, { signal }), [id]);
  const disputes = useLoad((signal) => get<Page<RecordDispute>>(`/api/v1/disputes${query({ detainerId: id, limit: 100 })}`, { signal }), [id]);

  if (detainer.loading && !detainer.data) return <Loading what="Loading the detainer" />;
  if (detainer.error && !detainer.data) {
    return (
      <>
        <PageTitle title="Detainer">Detainer</PageTitle>
        <ErrorMessage error={detainer.error} retry={detainer.reload} />
      </>
    );
  }
  const d = detainer.data!;
  const actions = d.allowedActions ?? [];
  // The expected next steps first (the API says which, from the domain's rules); every other allowed action behind "More".
  const first = actions.filter((a) => d.nextSteps?.includes(a));
  const rest = actions.filter((a) => !first.includes(a));
  const openAction = open && open !== 'dispute' && actions.includes(open) ? open : null;
  // Jail staff contest a record about their agency, while no dispute of theirs is open on it.
  const mayDispute =
    session.me.role === 'jail_staff' &&
    d.lodgings.some((l) => l.agency.id === session.me.agencyId) &&
    !(disputes.data?.items ?? []).some((x) => x.status === 'open' && x.agency.id === session.me.agencyId);
  const disputeOpen = open === 'dispute' && mayDispute;
  const refresh = async (m: string) => {
    await Promise.all([detainer.reload(), disputes.reload()]);
    setOpen(null);
    setMessage(m);
  };

  return (
    <>
      <PageTitle title={`${subjectName(d.subject)} · ${d.type}`}>
        {subjectName(d.subject)} <span className="subtitle">{d.type} detainer</span>
      </PageTitle>
      <p className="status-line">
        <StatusBadge status={d.status} /> <Flags d={d} />{' '}
        <span className="muted">Version {d.version}. Times are local to {d.facility.name}: {d.timeZone}.</span>{' '}
        <Link to={`/detainers/${d.id}/print`} className="print-link">Print layout</Link>
      </p>
      <Flash />
      {message ? <Done message={message} /> : null}

      <section className="actions" aria-labelledby="actions-title">
        <h2 id="actions-title">What you can do now</h2>
        {actions.length === 0 && !mayDispute ? (
          <p className="muted">No action is open to you on this detainer in its current state.</p>
        ) : (
          <div className="action-buttons">
            {first.map((a) => (
              <button key={a} type="button" aria-expanded={openAction === a} aria-controls="action-panel" className={openAction === a ? 'active primary-step' : 'primary-step'}
                onClick={() => { setOpen(openAction === a ? null : a); setMessage(null); }}>
                {ACTION_LABELS[a]}
              </button>
            ))}
            {first.length === 0 ? <p className="muted no-next-step">Nothing is expected of you next on this detainer.</p> : null}
            {rest.length || mayDispute ? (
              <MoreActions count={rest.length + (mayDispute ? 1 : 0)} forceOpen={(openAction !== null && rest.includes(openAction)) || disputeOpen}>
                {rest.map((a) => (
                  <button key={a} type="button" aria-expanded={openAction === a} aria-controls="action-panel" className={openAction === a ? 'active' : undefined}
                    onClick={() => { setOpen(openAction === a ? null : a); setMessage(null); }}>
                    {ACTION_LABELS[a]}
                  </button>
                ))}
                {mayDispute ? (
                  <button type="button" aria-expanded={disputeOpen} aria-controls="action-panel" className={disputeOpen ? 'active' : undefined}
                    onClick={() => { setOpen(disputeOpen ? null : 'dispute'); setMessage(null); }}>
                    Dispute this record
                  </button>
                ) : null}
              </MoreActions>
            ) : null}
          </div>
        )}
        <div id="action-panel">
          {openAction ? (
            <ActionForm key={`${openAction}-${d.version}`} action={openAction} detainer={d} onCancel={() => setOpen(null)} onDone={refresh} />
          ) : null}
          {disputeOpen ? <OpenDisputeForm detainer={d} onCancel={() => setOpen(null)} onDone={refresh} /> : null}
        </div>
      </section>

      <AmendSection detainer={d} onDone={refresh} />

      <div className="columns">
        <section aria-labelledby="summary-title">
          <h2 id="summary-title">Summary</h2>
          <Summary d={d} />
        </section>
        <section aria-labelledby="timeline-title">
          <h2 id="timeline-title">Timeline</h2>
          <Timeline d={d} viewerId={session.me.id} />
          {disputes.data?.items.length ? (
            <>
              <h2>Disputes</h2>
              <ul className="disputes">
                {disputes.data.items.map((x) => (
                  <DisputeItem key={x.id} dispute={x} detainer={d} onDecided={() => void refresh('Dispute decided.')} />
                ))}
              </ul>
            </>
          ) : null}
        </section>
      </div>
      <OtherRequests detainer={d} />
    </>
  );
}

/** The actions that are exceptions to the normal course, folded away; open while one of them is being filled in. */
function MoreActions({ count, forceOpen, children }: { count: number; forceOpen: boolean; children: React.ReactNode }) {
  const [expanded, setExpanded] = useState(forceOpen);
  const [wasForced, setWasForced] = useState(forceOpen);
  if (forceOpen !== wasForced) {
    setWasForced(forceOpen);
    if (forceOpen) setExpanded(true);
  }
  return (
    <div className="more-actions">
      <button type="button" className="more-toggle" aria-expanded={expanded} aria-controls="more-actions-list" onClick={() => setExpanded((x) => !x)}>
        More actions ({count}) <span aria-hidden="true">{expanded ? '▴' : '▾'}</span>
      </button>
      <div id="more-actions-list" className="more-list" hidden={!expanded}>{children}</div>
    </div>
  );
}

/** What an action did; focused, since the form that had focus is gone. */
function Done({ message }: { message: string }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => ref.current?.focus(), [message]);
  return (
    <p className="flash" role="status" tabIndex={-1} ref={ref}>
      {message}
    </p>
  );
}

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Summary({ d }: { d: Detainer }) {
  const zone = d.timeZone;
  const s = d.subject;
  return (
    <>
      <dl className="summary">
        {s ? (
          <Row term="Subject">
            {subjectName(s)}
            {s.aNumber ? `, ${s.aNumber}` : ''}, born {s.dateOfBirth}, citizen of {s.citizenship}
            {s.sex ? `, sex ${s.sex}` : ''}
            {s.fbiNumber ? `, FBI ${s.fbiNumber}` : ''}
            {s.stateId ? `, state ID ${s.stateId}` : ''}
          </Row>
        ) : null}
        <Row term="Held at">
          {d.facility.name}, {d.agency.name}
          {d.agency.ori ? ` (${d.agency.ori})` : ''}; {d.jurisdiction.name}
          {d.jurisdiction.code ? ` [${d.jurisdiction.code}]` : ''}
        </Row>
        <Row term="Time zone">{zone}</Row>
        <Row term="Issuing office">{d.area.name} AOR ({d.area.code})</Row>
        <Row term="Form">
          {d.type}, sent {label(CHANNEL_LABELS, d.channel).toLowerCase()}
          {d.warrant ? `; warrant ${d.warrant.form} ${d.warrant.number}` : '; no warrant'}
        </Row>
        <Row term="Probable cause">{d.probableCause.map((p) => label(PROBABLE_CAUSE_LABELS, p)).join('; ')}</Row>
        <Row term="Issued"><LocalTime at={d.issuedAt} zone={zone} withZone /></Row>
        {d.bookingNumber ? <Row term="Booking number">{d.bookingNumber}</Row> : null}
        <Row term="Acknowledged">
          {d.acknowledgedAt ? (
            <>
              <LocalTime at={d.acknowledgedAt} zone={zone} />: {label(RESPONSE_LABELS, d.response)}
            </>
          ) : (
            'Not yet'
          )}
        </Row>
        <Row term="Release">
          {d.releaseAt ? (
            <>
              <LocalTime at={d.releaseAt} zone={zone} withZone />
              {d.noticeLeadHours !== undefined ? `, notified ${Math.round(d.noticeLeadHours * 10) / 10} h ahead` : ''}
              {d.shortNotice ? ' (short notice)' : ''}
            </>
          ) : (
            'No date given'
          )}
        </Row>
        {d.pickupPlannedAt ? <Row term="Pickup planned"><LocalTime at={d.pickupPlannedAt} zone={zone} withZone /></Row> : null}
        {d.holdSince ? (
          <Row term="Hold">
            from <LocalTime at={d.holdSince} zone={zone} /> until at the latest <LocalTime at={d.holdExpiresAt} zone={zone} />
          </Row>
        ) : null}
        {d.releasedAt ? (
          <Row term="Released">
            <LocalTime at={d.releasedAt} zone={zone} />, to {d.destination === 'other_agency' ? 'another agency' : 'the community'}
          </Row>
        ) : null}
        {d.declined ? (
          <Row term="Declined">
            {label(DECLINE_KIND_LABELS, d.declineKind)}, recorded <LocalTime at={d.declineRecordedAt} zone={zone} />
          </Row>
        ) : null}
        {d.cancelReason ? (
          <Row term="Cancelled">
            {label(CANCEL_REASON_LABELS, d.cancelReason)}
            {d.cancelledAt ? <>, <LocalTime at={d.cancelledAt} zone={zone} /></> : null}
            {d.cancelNote ? `: ${d.cancelNote}` : ''}
          </Row>
        ) : null}
        {d.outcome ? (
          <Row term="Outcome">
            {label(OUTCOME_LABELS, d.outcome.kind)}, <LocalTime at={d.outcome.at} zone={zone} />
          </Row>
        ) : null}
      </dl>

      <h3>Charges</h3>
      {d.charges.length === 0 ? (
        <p className="muted">None recorded.</p>
      ) : (
        <ul className="charges">
          {d.charges.map((c, i) => (
            <li key={i}>
              {c.description}
              {c.ncicCode ? ` (NCIC ${c.ncicCode})` : ''}: {c.level}, {c.status}
            </li>
          ))}
        </ul>
      )}

      {d.lodgings.length > 1 ? (
        <>
          <h3>Lodgings</h3>
          <div className="table-wrap">
            <table className="list">
              <caption className="visually-hidden">Agencies that held the person while the detainer was in force</caption>
              <thead>
                <tr><th scope="col">#</th><th scope="col">Facility</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Status</th></tr>
              </thead>
              <tbody>
                {d.lodgings.map((l) => (
                  <tr key={l.seq}>
                    <td>{l.seq}</td>
                    <td>{l.facility.name}<div className="muted">{l.agency.name}</div></td>
                    <td><LocalTime at={l.from} zone={l.timeZone} /></td>
                    <td><LocalTime at={l.to} zone={l.timeZone} /></td>
                    <td><StatusBadge status={l.status} /> <Flags d={l} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}

/** What an event says, in words; instants in the zone of the facility it happened at. */
function describe(e: DetainerEvent, d: Detainer, zone: string, viewerId: string): string {
  const data = e.data;
  const at = (v: unknown) => (typeof v === 'string' ? formatInZone(v, zone) : '');
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  switch (e.kind) {
    case 'detainer_issued':
      return `${str(data.form)} lodged with ${d.lodgings[0]?.facility.name ?? 'the facility'}${data.bookingNumber ? `, booking ${str(data.bookingNumber)}` : ''}.`;
    case 'acknowledged':
      return [label(RESPONSE_LABELS, str(data.response)), str(data.reason), data.bookingNumber ? `booking ${str(data.bookingNumber)}` : '', data.servedAt ? `served ${at(data.servedAt)}` : '']
        .filter(Boolean).join('; ');
    case 'release_scheduled':
      return `Release on ${at(data.releaseAt)}, ${Math.round(Number(data.noticeLeadHours) * 10) / 10} h notice${data.shortNotice ? ' (short notice)' : ''}.`;
    case 'pickup_planned':
      return `Pickup on ${at(data.at)}.`;
    case 'hold_started':
      return `Held from ${at(data.since)} until at the latest ${at(data.expiresAt)}.`;
    case 'transferred_to_ice':
      return `Custody passed to ICE on ${at(data.at)}.`;
    case 'released': {
      const next = d.lodgings.find((l) => l.seq === e.lodging + 1);
      return data.destination === 'other_agency'
        ? `Released on ${at(data.at)} to ${next ? `${next.facility.name} (${next.agency.name})` : 'another agency'}.`
        : `Released to the community on ${at(data.at)}.`;
    }
    case 'lodged': {
      const l = d.lodgings.find((x) => x.seq === e.lodging);
      return `The detainer follows the person to ${l ? `${l.facility.name} (${l.agency.name})` : 'the receiving facility'}.`;
    }
    case 'refused':
      return `Refused on ${at(data.at)}: ${str(data.reason)}`;
    case 'decline_recorded':
      return `Released against the request on ${at(data.at)} (${label(SOURCE_LABELS, str(data.source))}): ${str(data.reason)}`;
    case 'cancelled':
      return `${label(CANCEL_REASON_LABELS, str(data.reason))}${data.note ? `: ${str(data.note)}` : ''}`;
    case 'outcome_recorded':
      return `${label(OUTCOME_LABELS, str(data.kind))} on ${at(data.at)}.`;
    case 'record_disputed':
      return str(data.reason);
    case 'record_dispute_resolved':
      return `${humanize(str(data.decision))}${data.correction ? ` (${humanize(str(data.correction))})` : ''}: ${str(data.note)}`;
    case 'queue_item_claimed':
    case 'queue_claim_released':
      return `Queue: ${humanize(str(data.queue))}${data.holderId === viewerId ? ' (you)' : ''}.`;
    case 'decline_retracted':
      return `The decline recorded ${at(data.declineRecordedAt)} no longer counts.`;
    case 'record_amended':
      return `${describeAmendment(data.before, data.after)}. Reason: ${str(data.reason)}`;
    default:
      return str(data.note);
  }
}

/** "date of birth 1985-02-11 → 1985-02-12; booking number (none) → 2026-004411" */
function describeAmendment(before: unknown, after: unknown): string {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  // the event's data is JSON: a number or boolean prints as String would
  const show = (v: unknown) => (v === null || v === undefined || v === '' ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));
  const words = (k: string) => k.replace(/([A-Z])/g, ' $1').toLowerCase();
  const parts: string[] = [];
  const sb = (b.subject ?? {}) as Record<string, unknown>;
  const sa = (a.subject ?? {}) as Record<string, unknown>;
  // in the form's order (the stored event's keys come back in the database's order)
  for (const k of ['familyName', 'givenName', 'dateOfBirth', 'sex', 'citizenship', 'fbiNumber', 'stateId']) if (k in sa) parts.push(`${words(k)} ${show(sb[k])} → ${show(sa[k])}`);
  if (a.charges !== undefined) {
    const list = (v: unknown) => (Array.isArray(v)
      ? v.map((c: { description?: string; ncicCode?: string; level?: string; status?: string }) => `${c.description ?? ''} (${[c.ncicCode, c.level, c.status].filter(Boolean).join(', ')})`).join('; ') || '(none)'
      : '(none)');
    parts.push(`charges ${list(b.charges)} → ${list(a.charges)}`);
  }
  if ('bookingNumber' in a) parts.push(`booking number ${show(b.bookingNumber)} → ${show(a.bookingNumber)}`);
  const text = parts.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The detainer a correction of the person was made on, when it was another one (see amend.ts). */
const correctedOn = (e: DetainerEvent): string | null => (e.kind === 'record_amended' && typeof e.data.correctedOn === 'string' ? e.data.correctedOn : null);

function Timeline({ d, viewerId }: { d: Detainer; viewerId: string }) {
  const events = d.events ?? [];
  if (events.length === 0) return <p className="muted">No events.</p>;
  return (
    <ol className="timeline">
      {events.map((e) => {
        const zone = e.timeZone ?? d.timeZone;
        const late = Math.abs(Date.parse(e.recordedAt) - Date.parse(e.occurredAt)) > 60_000;
        return (
          <li key={e.seq}>
            <div className="when"><LocalTime at={e.occurredAt} zone={zone} /></div>
            <div className="what">
              <strong>{correctedOn(e) ? 'Person corrected on another request' : label(EVENT_LABELS, e.kind)}</strong>
              <div>{describe(e, d, zone, viewerId)}</div>
              {correctedOn(e) ? (
                <div className="muted">
                  The person on file is one for every request on them: corrected on <Link to={`/detainers/${correctedOn(e)}`}>another request</Link>, so this one shows it too.
                </div>
              ) : null}
              <div className="muted">
                {e.actor.kind === 'system' ? 'System' : `${label(ROLE_LABELS, e.actor.role)}${e.actor.kind === 'api_key' ? ' (agency system)' : ''}`}, {label(SOURCE_LABELS, e.source)}
                {late ? <>; recorded <LocalTime at={e.recordedAt} zone={zone} /></> : null}
              </div>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
