import { formatANumber, mostSeriousCharge, toLocal } from '@app/domain';
import { DetainerRecord } from '@app/persistence';
import { csvCell, CsvValue } from '../reports/report-csv';

const RECORD_COLUMNS = [
  'detainer_id', 'form', 'status', 'issued_at_utc', 'issued_at_local', 'time_zone', 'facility', 'agency_ori', 'agency', 'jurisdiction_code',
  'state', 'area', 'booking_number', 'acknowledged_at_local', 'response', 'release_at_local', 'released_at_local', 'declined', 'decline_kind',
  'most_serious_charge', 'charge_level', 'charge_status',
] as const;
const IDENTITY_COLUMNS = ['a_number', 'fbi_number', 'state_id', 'family_name', 'given_name', 'date_of_birth', 'sex', 'citizenship'] as const;
type Column = (typeof RECORD_COLUMNS)[number] | (typeof IDENTITY_COLUMNS)[number];

/** The header, with the identity columns only for callers who may see identities. */
export function detainerCsvHeader(withIdentity: boolean): string {
  return [...RECORD_COLUMNS, ...(withIdentity ? IDENTITY_COLUMNS : [])].join(',');
}

/** One detainer as a CSV line; local times at the facility of the lodging the caller sees as current (its zone in time_zone). */
export function detainerCsvLine(d: DetainerRecord, withIdentity: boolean): string {
  const current = d.lodgings[d.lodgings.length - 1];
  const zone = current.facility.timeZone;
  const local = (t: Date | null) => (t ? toLocal(t, zone).localTime : null);
  const declined = [...d.lodgings].reverse().find((l) => l.declined);
  const charge = mostSeriousCharge(d.charges);
  const row: Partial<Record<Column, CsvValue>> = {
    detainer_id: d.id, form: d.form, status: d.status, issued_at_utc: d.issuedAt.toISOString(), issued_at_local: local(d.issuedAt), time_zone: zone,
    facility: current.facility.name, agency_ori: current.agency.ori, agency: current.agency.name, jurisdiction_code: current.jurisdiction.code,
    state: current.jurisdiction.state, area: d.area.code, booking_number: current.bookingNumber, acknowledged_at_local: local(current.acknowledgedAt),
    response: current.response, release_at_local: local(current.releaseAt), released_at_local: local(current.releasedAt),
    declined: declined ? 'yes' : 'no', decline_kind: declined?.declineKind,
    most_serious_charge: charge?.description, charge_level: charge?.level, charge_status: charge?.status,
  };
  if (withIdentity && d.subject) {
    Object.assign(row, {
      a_number: d.subject.aNumber ? formatANumber(d.subject.aNumber) : null, fbi_number: d.subject.fbiNumber, state_id: d.subject.stateId, family_name: d.subject.familyName,
      given_name: d.subject.givenName, date_of_birth: d.subject.dateOfBirth, sex: d.subject.sex, citizenship: d.subject.citizenship,
    });
  }
  return [...RECORD_COLUMNS, ...(withIdentity ? IDENTITY_COLUMNS : [])].map((c) => csvCell(row[c])).join(',');
}
