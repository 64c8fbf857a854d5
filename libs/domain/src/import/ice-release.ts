/**
 * The federal release of detainer records (ICE's FOIA releases): what a released row says, as the
 * domain's facts and events. Pure: the reader (CSV, XLSX, Parquet), the crosswalk and the database
 * live outside. An imported detainer is read-only; its lifecycle is what the release says happened.
 */
import { wallClockInstant } from '../time/local-time';
import { formValidOn, describeFormValidity } from '../detainer/forms';
import { type Actor, type CancelReason, DETAINER_FORMS, type DetainerEvent, type DetainerForm, type DetainerState, type LodgingPlace } from '../detainer/types';
import { DomainError } from '../errors';

/** What the release's `detainer_lift_reason` says became of the request (domain.md, "The federal release"). */
export const LIFT_OUTCOMES = ['honored', 'declined', 'us_citizen', 'lifted', 'superseded', 'released_unknown', 'in_force'] as const;
export type LiftOutcome = (typeof LIFT_OUTCOMES)[number];

const squash = (s: string): string => s.trim().toLowerCase().replace(/[\s_]+/g, ' ');

/**
 * The lift reason's outcome. Only "Detainer Declined by LEA" is a decline; "Booked into Detention" is
 * custody to ICE; a citizenship claim is a cancellation as `us_citizen` (excluded); prosecutorial
 * discretion, case closed, not amenable to removal are lifted and superseded or duplicate detainers
 * superseded (neither a decline); "No longer in State, Local, or Federal Custody" and every reason not
 * named are a release with the outcome unknown, never a decline. No reason: still in force.
 */
export function liftOutcomeOf(reason: string | null | undefined): LiftOutcome {
  if (reason === null || reason === undefined || reason.trim() === '') return 'in_force';
  const r = squash(reason);
  if (r === 'booked into detention') return 'honored';
  if (r === 'detainer declined by lea') return 'declined';
  if (r === 'usc or presumptive claim to us citizenship') return 'us_citizen';
  if (r.includes('prosecutorial discretion') || r === 'case closed' || r.includes('not amenable to removal')) return 'lifted';
  if (r.includes('superseded') || r.includes('duplicate')) return 'superseded';
  return 'released_unknown';
}

/** The release's columns this import reads, by their normalised header. */
export const RELEASE_COLUMNS = [
  'detainer_prepare_date', 'detention_facility_code', 'detention_facility', 'facility_city', 'facility_state', 'facility_aor',
  'detainer_type', 'detainer_lift_reason', 'detainer_lift_date', 'citizenship_country', 'gender', 'birth_year',
  'most_serious_conviction_msc_charge', 'unique_id',
] as const;
export type ReleaseColumn = (typeof RELEASE_COLUMNS)[number];
/** Columns without which no row can be read (the lift date is often absent from a release). */
export const REQUIRED_RELEASE_COLUMNS: readonly ReleaseColumn[] = ['detainer_prepare_date', 'detention_facility_code', 'detainer_type', 'unique_id'];

/** Headers are matched case- and space-insensitively: "Detainer Prepare Date" is `detainer_prepare_date`. */
export function normalizeHeader(header: string): string {
  return header.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s\-_.()]+/g, '_').replace(/^_+|_+$/g, '');
}

/** Why a row was not imported. */
export const QUARANTINE_REASONS = ['unmapped_facility', 'bad_date', 'unknown_form', 'form_not_valid_on_date', 'missing_unique_id', 'lift_before_prepare', 'duplicate_row', 'unknown_aor'] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

export interface Quarantined {
  reason: QuarantineReason;
  detail: string;
}

/** A row as read: normalised header -> cell text (or a Date from a spreadsheet or Parquet cell). */
export type RawReleaseRow = Partial<Record<string, string | Date | number | null>>;

/** What a row says, once checked (facility code not yet resolved). */
export interface ReleaseRowFacts {
  uniqueId: string;
  facilityCode: string;
  facilityAor: string | null;
  form: DetainerForm;
  /** The prepare date as released (local to the facility): `YYYY-MM-DDTHH:mm:ss`. */
  preparedLocal: string;
  liftReason: string | null;
  liftOutcome: LiftOutcome;
  liftedLocal: string | null;
  citizenshipCountry: string | null;
  gender: string | null;
  birthYear: number | null;
  mostSeriousConviction: string | null;
}

const text = (v: RawReleaseRow[string]): string | null => {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  const s = String(v).trim();
  return s === '' || s.toUpperCase() === 'NA' || s.toUpperCase() === 'NULL' ? null : s;
};

/**
 * A release's date or date-time as a local wall-clock time (`YYYY-MM-DDTHH:mm:ss`). Accepts ISO
 * (`2023-01-05`, `2023-01-05 14:32:00`, `2023-01-05T14:32:00`), US (`1/5/2023`, `01/05/2023 2:32 PM`) and a
 * spreadsheet's or Parquet's date (its UTC fields are the wall clock) or a spreadsheet's date serial. Returns null when it is no real date.
 */
export function parseReleaseDate(value: RawReleaseRow[string]): string | null {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    return value.toISOString().slice(0, 19);
  }
  if (typeof value === 'number') return serialDate(value);
  const s = text(value);
  if (s === null) return null;
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?:Z|[+-]00:?00)?$/.exec(s);
  let parts: [number, number, number, number, number, number] | null = null;
  if (m) parts = [+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
  m = parts ? null : /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?)?$/.exec(s);
  if (m) {
    let hour = +(m[4] ?? 0);
    const ampm = m[7]?.toUpperCase();
    if (ampm && (hour < 1 || hour > 12)) return null;
    if (ampm === 'PM' && hour < 12) hour += 12;
    if (ampm === 'AM' && hour === 12) hour = 0;
    parts = [+m[3], +m[1], +m[2], hour, +(m[5] ?? 0), +(m[6] ?? 0)];
  }
  if (!parts) return null;
  const [year, month, day, hour, minute, second] = parts;
  if (year < 1990 || year > 2100) return null;
  // a real date and time: checked by hand, not by Temporal, as this runs once or twice per row of a release
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return null;
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
/** A spreadsheet's date serial (days since 1899-12-30, the fraction the time of day), as a spreadsheet cell without its date format gives it. */
function serialDate(serial: number): string | null {
  // 1990-01-01 to 2100-12-31
  if (!Number.isFinite(serial) || serial < 32874 || serial >= 73051) return null;
  return new Date(EXCEL_EPOCH + Math.round(serial * 86_400) * 1000).toISOString().slice(0, 19);
}

/** The instant a release's local time stands for at the facility (an hour skipped by DST moves later). */
export function releaseInstant(local: string, timeZone: string): Date {
  return wallClockInstant(local, timeZone);
}

const FORM_ALIASES: Record<string, DetainerForm> = Object.fromEntries(DETAINER_FORMS.map((f) => [f.replace('-', '').toLowerCase(), f]));

export function formOf(value: string | null): DetainerForm | null {
  if (value === null) return null;
  const key = value.trim().toLowerCase().replace(/^form\s*/, '').replace(/[\s-]/g, '');
  return FORM_ALIASES[key] ?? null;
}

/** A row's facts, or why it is quarantined (the facility code is checked against the crosswalk later). */
export function readReleaseRow(row: RawReleaseRow): ReleaseRowFacts | Quarantined {
  const uniqueId = text(row.unique_id);
  if (uniqueId === null) return { reason: 'missing_unique_id', detail: 'unique_id is empty: the row cannot be linked to a person' };
  const facilityCode = text(row.detention_facility_code)?.toUpperCase() ?? null;
  if (facilityCode === null) return { reason: 'unmapped_facility', detail: 'detention_facility_code is empty' };
  const preparedLocal = parseReleaseDate(row.detainer_prepare_date ?? null);
  if (preparedLocal === null) return { reason: 'bad_date', detail: `detainer_prepare_date '${text(row.detainer_prepare_date) ?? ''}' is not a date` };
  const typeText = text(row.detainer_type);
  const form = formOf(typeText);
  if (form === null) return { reason: 'unknown_form', detail: `detainer_type '${typeText ?? ''}' is none of ${DETAINER_FORMS.join(', ')}` };
  const liftText = text(row.detainer_lift_date);
  const liftedLocal = liftText === null ? null : parseReleaseDate(row.detainer_lift_date ?? null);
  if (liftText !== null && liftedLocal === null) return { reason: 'bad_date', detail: `detainer_lift_date '${liftText}' is not a date` };
  if (liftedLocal !== null && liftedLocal.slice(0, 10) < preparedLocal.slice(0, 10)) {
    return { reason: 'lift_before_prepare', detail: `detainer_lift_date ${liftedLocal.slice(0, 10)} is before detainer_prepare_date ${preparedLocal.slice(0, 10)}` };
  }
  const birth = text(row.birth_year);
  const birthYear = birth !== null && /^\d{4}(\.0+)?$/.test(birth) ? Number.parseInt(birth, 10) : null;
  const liftReason = text(row.detainer_lift_reason);
  return {
    uniqueId,
    facilityCode,
    facilityAor: text(row.facility_aor)?.toUpperCase() ?? null,
    form,
    preparedLocal,
    liftReason,
    liftOutcome: liftOutcomeOf(liftReason),
    liftedLocal,
    citizenshipCountry: text(row.citizenship_country)?.toUpperCase() ?? null,
    gender: text(row.gender),
    birthYear,
    mostSeriousConviction: text(row.most_serious_conviction_msc_charge),
  };
}

export function isQuarantined(r: ReleaseRowFacts | Quarantined): r is Quarantined {
  return 'reason' in r && !('uniqueId' in r);
}

/** The row's identity across files: the person, when and where it was prepared (a correction keeps these). */
export function releaseRowKey(f: Pick<ReleaseRowFacts, 'uniqueId' | 'preparedLocal' | 'facilityCode'>): string {
  return `${f.uniqueId}|${f.preparedLocal}|${f.facilityCode}`;
}

/** Everything an imported detainer is built from: the row's facts where the crosswalk placed it. */
export interface ImportedRecord {
  detainerId: string;
  subjectId: string;
  place: LodgingPlace;
  facts: ReleaseRowFacts;
  /** The file it came from (sha256 of its bytes) and its name. */
  sha256: string;
  file: string;
}

/** Marked on the imported detainer's first event: where it came from. */
export interface ImportMark {
  source: 'ice_release';
  sha256: string;
  file: string;
  rowKey: string;
  facilityCode: string;
  liftReason: string | null;
}

/** The actor of imported events: the system, on ICE's record. */
const IMPORT_ACTOR: Actor = { kind: 'system', id: null, role: 'system', agencyId: null, areaId: null };

/**
 * Whether the row can be placed in the facility's calendar: the form in force on its prepare date.
 * Returns the quarantine reason otherwise.
 */
export function checkPlacedRow(facts: ReleaseRowFacts, timeZone: string): Quarantined | null {
  const issuedAt = releaseInstant(facts.preparedLocal, timeZone);
  if (!formValidOn(facts.form, issuedAt, timeZone)) {
    return { reason: 'form_not_valid_on_date', detail: `${describeFormValidity(facts.form)}; prepared ${facts.preparedLocal.slice(0, 10)}` };
  }
  return null;
}

/** Undated outcomes: the release names a lift that happened but not when. A decline among them is in no week. */
export function undatedLift(facts: ReleaseRowFacts): boolean {
  return facts.liftedLocal === null && (facts.liftOutcome === 'honored' || facts.liftOutcome === 'declined' || facts.liftOutcome === 'released_unknown');
}

/**
 * The events an imported record stands for, as ICE recorded them (`ice_observed`): issued on the
 * prepare date, then the lift on its lift date. An outcome that needs an instant and has no lift date
 * (a decline with no date above all) records nothing: it is in no week, and Section IV counts it.
 */
export function importedEvents(record: ImportedRecord): DetainerEvent[] {
  const { facts, place } = record;
  const zone = place.timeZone;
  const issuedAt = releaseInstant(facts.preparedLocal, zone);
  const liftedAt = facts.liftedLocal === null ? null : releaseInstant(facts.liftedLocal, zone);
  const imported: ImportMark = {
    source: 'ice_release', sha256: record.sha256, file: record.file, rowKey: releaseRowKey(facts), facilityCode: facts.facilityCode, liftReason: facts.liftReason,
  };
  const meta = (version: number, at: Date) => ({ version, lodging: 1, occurredAt: at, recordedAt: at, actor: IMPORT_ACTOR, source: 'ice_observed' as const });
  const events: DetainerEvent[] = [
    {
      ...meta(1, issuedAt),
      kind: 'detainer_issued',
      data: {
        detainerId: record.detainerId, form: facts.form, subjectId: record.subjectId, place, charges: [], probableCause: [], channel: 'electronic',
        issuingOfficerId: null, imported,
      },
    },
  ];
  const cancel = (reason: CancelReason) => events.push({ ...meta(2, liftedAt ?? issuedAt), kind: 'cancelled', data: { reason, ...(facts.liftReason !== null && { note: facts.liftReason }) } });
  switch (facts.liftOutcome) {
    case 'honored':
      if (liftedAt) events.push({ ...meta(2, liftedAt), kind: 'transferred_to_ice', data: { at: liftedAt } });
      break;
    case 'declined':
      if (liftedAt) {
        events.push({ ...meta(2, liftedAt), kind: 'decline_recorded', data: { at: liftedAt, reason: facts.liftReason ?? 'Detainer Declined by LEA', source: 'ice_observed' } });
        // the release does not say what became of the person: no one is left to record it
        events.push({ ...meta(2, liftedAt), kind: 'outcome_recorded', data: { kind: 'unknown', at: liftedAt } });
      }
      break;
    case 'us_citizen':
      cancel('us_citizen');
      break;
    case 'lifted':
      cancel('lifted');
      break;
    case 'superseded':
      cancel('superseded');
      break;
    case 'released_unknown':
      if (liftedAt) {
        events.push({ ...meta(2, liftedAt), kind: 'released', data: { at: liftedAt, destination: 'community' } });
        events.push({ ...meta(2, liftedAt), kind: 'outcome_recorded', data: { kind: 'unknown', at: liftedAt } });
      }
      break;
    case 'in_force':
      break;
    default: {
      const never: never = facts.liftOutcome;
      throw new Error(`unknown lift outcome ${String(never)}`);
    }
  }
  return events;
}

/** Imported records are the release's, not anyone's to act on: every action and correction is refused. */
export function refuseImported(state: DetainerState, action: string): void {
  if (state.imported === undefined) return;
  throw new DomainError(
    'conflict',
    `Detainer ${state.id} was imported from the federal release (${state.imported.file}, sha256 ${state.imported.sha256}) and is read-only: '${action}' cannot be recorded on it. Correct the release file and import it again.`,
    { imported: true, action, source: state.imported.source, sha256: state.imported.sha256 },
  );
}

/** The release spells citizenship as a country name; this is its ISO 3166-1 code, or `ZZ` (unknown) when it names none we know. */
export function citizenshipCodeOf(country: string | null): string {
  if (country === null) return UNKNOWN_CITIZENSHIP;
  return RELEASE_COUNTRY_CODES[squash(country).toUpperCase()] ?? UNKNOWN_CITIZENSHIP;
}
const UNKNOWN_CITIZENSHIP = 'ZZ';

const RELEASE_COUNTRY_CODES: Readonly<Record<string, string>> = {
  MEXICO: 'MX', GUATEMALA: 'GT', HONDURAS: 'HN', 'EL SALVADOR': 'SV', NICARAGUA: 'NI', 'COSTA RICA': 'CR', PANAMA: 'PA', BELIZE: 'BZ',
  CUBA: 'CU', 'DOMINICAN REPUBLIC': 'DO', HAITI: 'HT', JAMAICA: 'JM', 'TRINIDAD AND TOBAGO': 'TT', BAHAMAS: 'BS', BARBADOS: 'BB',
  COLOMBIA: 'CO', VENEZUELA: 'VE', ECUADOR: 'EC', PERU: 'PE', BOLIVIA: 'BO', BRAZIL: 'BR', CHILE: 'CL', ARGENTINA: 'AR', URUGUAY: 'UY',
  PARAGUAY: 'PY', GUYANA: 'GY', CANADA: 'CA', 'UNITED KINGDOM': 'GB', IRELAND: 'IE', FRANCE: 'FR', GERMANY: 'DE', ITALY: 'IT', SPAIN: 'ES',
  PORTUGAL: 'PT', POLAND: 'PL', ROMANIA: 'RO', RUSSIA: 'RU', UKRAINE: 'UA', ALBANIA: 'AL', GREECE: 'GR', TURKEY: 'TR', CHINA: 'CN',
  'CHINA, PEOPLES REPUBLIC OF': 'CN', INDIA: 'IN', PAKISTAN: 'PK', BANGLADESH: 'BD', 'SRI LANKA': 'LK', NEPAL: 'NP', VIETNAM: 'VN',
  PHILIPPINES: 'PH', 'KOREA, SOUTH': 'KR', 'SOUTH KOREA': 'KR', JAPAN: 'JP', CAMBODIA: 'KH', LAOS: 'LA', THAILAND: 'TH', INDONESIA: 'ID',
  BURMA: 'MM', MYANMAR: 'MM', AFGHANISTAN: 'AF', IRAN: 'IR', IRAQ: 'IQ', SYRIA: 'SY', JORDAN: 'JO', LEBANON: 'LB', ISRAEL: 'IL',
  'SAUDI ARABIA': 'SA', YEMEN: 'YE', EGYPT: 'EG', MOROCCO: 'MA', ALGERIA: 'DZ', NIGERIA: 'NG', GHANA: 'GH', LIBERIA: 'LR',
  'SIERRA LEONE': 'SL', SENEGAL: 'SN', MAURITANIA: 'MR', SOMALIA: 'SO', ETHIOPIA: 'ET', ERITREA: 'ER', KENYA: 'KE', SUDAN: 'SD',
  CAMEROON: 'CM', ANGOLA: 'AO', 'SOUTH AFRICA': 'ZA', 'CONGO, DEMOCRATIC REPUBLIC OF': 'CD', AUSTRALIA: 'AU', 'NEW ZEALAND': 'NZ',
  FIJI: 'FJ', TONGA: 'TO', SAMOA: 'WS',
};
