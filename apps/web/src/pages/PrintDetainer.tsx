import { useEffect } from 'react';
import type { Detainer } from '../api/types';
import { subjectName } from '../components/detainer-bits';
import { ErrorMessage, Loading } from '../components/page';
import { CHANNEL_LABELS, label, PROBABLE_CAUSE_LABELS, RESPONSE_LABELS, STATUS_LABELS } from '../lib/labels';
import { Link } from '../lib/router';
import { useLoad, useSession } from '../lib/session';
import { formatInZone } from '../lib/time';

/**
 * A detainer as the jail serves it on the person and files it: the request, the warrant, the dates
 * in the facility's local time with its zone. No navigation or buttons (the two links at the top
 * are hidden on paper).
 */
export function PrintDetainer({ id }: { id: string }) {
  const { session, get } = useSession();
  const detainer = useLoad((signal) => get<Detainer>(`/api/v1/detainers/${id}`, { signal }), [id]);
  const d = detainer.data;
  useEffect(() => {
    if (d) document.title = `${d.type} detainer · ${subjectName(d.subject)} · print`;
  }, [d]);

  if (detainer.loading && !d) return <Loading what="Loading the detainer" />;
  if (!d) return <ErrorMessage error={detainer.error} retry={detainer.reload} />;
  const zone = d.timeZone;
  const at = (iso: string | undefined) => (iso ? formatInZone(iso, zone, { withZone: true }) : '—');
  const s = d.subject;
  return (
    <article className="print-sheet" aria-labelledby="print-title">
      <p className="no-print print-tools">
        <Link to={`/detainers/${d.id}`}>Back to the detainer</Link>{' '}
        <button type="button" className="primary" onClick={() => window.print()}>Print</button>
      </p>
      <header>
        <h1 id="print-title">Immigration detainer, form {d.type}</h1>
        <p>
          Issued by the {d.area.name} Area of Responsibility ({d.area.code}) to {d.agency.name} ({d.agency.ori}), {d.facility.name}.
        </p>
      </header>

      <h2>Subject</h2>
      {s ? (
        <dl className="print-fields">
          <dt>Name</dt><dd>{subjectName(s)}</dd>
          <dt>Date of birth</dt><dd>{s.dateOfBirth}</dd>
          <dt>Citizenship</dt><dd>{s.citizenship}</dd>
          {s.sex ? <><dt>Sex</dt><dd>{s.sex}</dd></> : null}
          {s.aNumber ? <><dt>A-number</dt><dd>{s.aNumber}</dd></> : null}
          {s.fbiNumber ? <><dt>FBI number</dt><dd>{s.fbiNumber}</dd></> : null}
          {s.stateId ? <><dt>State ID</dt><dd>{s.stateId}</dd></> : null}
          <dt>Booking number</dt><dd>{d.bookingNumber ?? '—'}</dd>
        </dl>
      ) : <p>Identity withheld for your role.</p>}

      <h2>The request</h2>
      <dl className="print-fields">
        <dt>Form</dt><dd>{d.type}, sent {label(CHANNEL_LABELS, d.channel).toLowerCase()}</dd>
        <dt>Warrant</dt><dd>{d.warrant ? `${d.warrant.form} number ${d.warrant.number}` : 'None on file'}</dd>
        <dt>Probable cause</dt><dd>{d.probableCause.map((p) => label(PROBABLE_CAUSE_LABELS, p)).join('; ') || '—'}</dd>
        <dt>Charges</dt>
        <dd>
          {d.charges.length ? (
            <ul>{d.charges.map((c, i) => <li key={i}>{c.description}{c.ncicCode ? ` (NCIC ${c.ncicCode})` : ''}: {c.level}, {c.status}</li>)}</ul>
          ) : 'None recorded'}
        </dd>
        <dt>Held at</dt><dd>{d.facility.name}, {d.agency.name} ({d.agency.ori}); {d.jurisdiction.name}</dd>
      </dl>

      <h2>Dates <span className="print-zone">(local time at {d.facility.name}: {zone})</span></h2>
      <dl className="print-fields">
        <dt>Issued</dt><dd>{at(d.issuedAt)}</dd>
        <dt>Acknowledged</dt><dd>{d.acknowledgedAt ? `${at(d.acknowledgedAt)}: ${label(RESPONSE_LABELS, d.response)}` : 'Not yet'}</dd>
        <dt>Release</dt><dd>{d.releaseAt ? at(d.releaseAt) : 'No date given'}</dd>
        {d.holdSince ? <><dt>Hold</dt><dd>from {at(d.holdSince)} until at the latest {at(d.holdExpiresAt)}</dd></> : null}
        {d.pickupPlannedAt ? <><dt>Pickup planned</dt><dd>{at(d.pickupPlannedAt)}</dd></> : null}
        {d.releasedAt ? <><dt>Released</dt><dd>{at(d.releasedAt)}</dd></> : null}
        <dt>Status</dt><dd>{STATUS_LABELS[d.status] ?? d.status}, version {d.version}</dd>
      </dl>

      <footer className="print-footer">
        Detainer {d.id}. Printed {formatInZone(new Date(), zone, { withZone: true })} by {session.me.username}.
      </footer>
    </article>
  );
}
