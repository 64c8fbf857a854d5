import type { Detainer, Facility, Subject } from '../api/types';
import { STATUS_LABELS } from '../lib/labels';
import { formatInZone } from '../lib/time';
import { Badge } from './page';

export function subjectName(s: Subject | undefined): string {
  return s ? `${s.familyName.toUpperCase()}, ${s.givenName}` : 'Subject withheld';
}

export function StatusBadge({ status }: { status: Detainer['status'] | 'transferred' }) {
  const tone = status === 'issued' || status === 'disputed' ? 'warn' : status === 'refused' ? 'bad' : status === 'honored' ? 'good' : 'neutral';
  return <Badge tone={tone}>{STATUS_LABELS[status] ?? status}</Badge>;
}

/** Flags a records officer must not mix up: a decline, short notice, a missed pickup. */
export function Flags({ d }: { d: Pick<Detainer, 'declined' | 'shortNotice' | 'missedPickup'> }) {
  return (
    <span className="flags">
      {d.declined ? <Badge tone="bad">Declined</Badge> : null}
      {d.shortNotice ? <Badge tone="warn">Short notice</Badge> : null}
      {d.missedPickup ? <Badge tone="info">Missed pickup</Badge> : null}
    </span>
  );
}

/** An instant at the facility: local time with zone abbreviation; IANA zone and UTC on hover and for assistive tech. */
export function LocalTime({ at, zone, withZone }: { at: string | undefined; zone: string; withZone?: boolean }) {
  if (!at) return <span className="muted">—</span>;
  return (
    <time dateTime={at} title={`${zone}; ${at.replace('.000Z', 'Z')} UTC`}>
      {formatInZone(at, zone, { withZone })}
    </time>
  );
}

export function facilityOptions(facilities: Facility[]): { value: string; label: string }[] {
  // never a bare name: there are two "Franklin County Jail"s (IA and PA) in the test data alone
  return facilities.map((f) => ({
    value: f.id,
    label: f.agencyName ? `${f.name} — ${f.agencyName} (${f.agencyOri}, ${f.state}) — ${f.timeZone}` : `${f.name} (${f.timeZone})`,
  }));
}
