/**
 * Generated federal release files (ICE's detainer FOIA releases) in the real layout, for the import's
 * tests and benchmark: the release's columns (with its "Title Case" headers and a column the import
 * does not read), dates in ISO and US spellings, every lift reason, missing lift dates, and rows that
 * must be quarantined (bad dates, unknown forms, forms outside their period, unmapped codes,
 * duplicates). Each row says what the import must make of it (`expect`), so tests compare the import
 * with the generator's intent rather than with figures written down by hand.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { parquetWriteFile } from 'hyparquet-writer';
import { parseReleaseDate, QuarantineReason } from '@app/domain';

/** A DETLOC code of the generated release, where it is, and how the crosswalk maps it (if at all). */
export interface ReleaseFacility {
  code: string;
  name: string;
  city: string;
  state: string;
  aor: string;
  /** How the crosswalk maps the code: a facility id, canonical codes, or not at all (unmapped). */
  crosswalk: { facilityId: string } | { countyFips: string; ori: string; facilityName: string } | null;
  /** Mapped, but every row of it must still be quarantined for this reason (an AOR not on file). */
  quarantined?: QuarantineReason;
}

/** The release's columns as the published files spell their headers. */
export const RELEASE_HEADERS = [
  'Detainer Prepare Date', 'Detention Facility Code', 'Detention Facility', 'Facility City', 'Facility State', 'Facility AOR', 'Detainer Type',
  'Detainer Lift Reason', 'Detainer Lift Date', 'Citizenship Country', 'Gender', 'Birth Year', 'Most Serious Conviction (MSC) Charge', 'Unique ID',
  'Detainer Threat Level',
] as const;

export type ReleaseRowValues = (string | null)[];

export const LIFT_REASONS: (string | null)[] = [
  'Booked into Detention', 'Detainer Declined by LEA', 'USC or Presumptive Claim to US Citizenship', 'Prosecutorial Discretion', 'Case Closed',
  'Not Amenable to Removal', 'Superseded', 'Duplicate Detainer', 'No longer in State, Local, or Federal Custody', 'Other', null,
];
const COUNTRIES = ['MEXICO', 'GUATEMALA', 'HONDURAS', 'EL SALVADOR', 'CUBA', 'INDIA', 'CHINA', 'Atlantis'];
const CHARGES = ['Driving Under Influence Liquor', 'Burglary', 'Assault', 'Traffic Offense', null];

export interface GeneratedRow {
  values: ReleaseRowValues;
  /** What the import must do with it. */
  expect: 'imported' | QuarantineReason;
  /** Only for the tests' checks: the facility's code and lift reason, the person, and whether a lift date was given. */
  code: string;
  liftReason: string | null;
  liftDated: boolean;
  uniqueId: string;
}

const DAY = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');
const iso = (t: number) => new Date(t).toISOString().slice(0, 19).replace('T', ' ');
const us = (t: number) => {
  const d = new Date(t);
  const h = d.getUTCHours();
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}`;
};
// the legacy forms were valid to 1 April 2017 and the I-247A from 2 April (facility-local dates)
const I247A_FROM = Date.UTC(2017, 3, 2);

/**
 * Row `i` of a generated release (deterministic). People repeat (`people` distinct unique ids);
 * `quarantineEvery` 0 leaves out the rows built to be quarantined (the benchmark's clean file).
 */
export function generatedRow(i: number, facilities: readonly ReleaseFacility[], opts: { people: number; quarantineEvery?: number }): GeneratedRow {
  const q = opts.quarantineEvery ?? 1;
  const f = facilities[i % facilities.length];
  const prepared = Date.UTC(2016, 5, 1) + ((i * 7919) % 730) * DAY + ((i * 31) % 24) * 3_600_000 + ((i * 17) % 60) * 60_000;
  const legacy = prepared < I247A_FROM;
  let form = legacy ? ['I-247D', 'I-247N', 'I-247X'][i % 3] : i % 5 === 0 ? 'I247A' : 'I-247A';
  const liftReason = LIFT_REASONS[Math.floor(i / facilities.length) % LIFT_REASONS.length] ?? null;
  const liftDated = liftReason !== null && i % 4 !== 1;
  const lifted = prepared + ((i * 13) % 90) * DAY + ((i * 7) % 24) * 3_600_000;
  const spell = i % 2 === 0 ? iso : us;
  let preparedText = spell(prepared);
  let liftText = liftDated ? spell(lifted) : null;
  let expect: GeneratedRow['expect'] = f.crosswalk === null ? 'unmapped_facility' : f.quarantined ?? 'imported';
  if (q > 0 && expect === 'imported') {
    if (i % (41 * q) === 7) { preparedText = '2017-02-30'; expect = 'bad_date'; }
    else if (i % (43 * q) === 11 && liftText !== null) { liftText = '13/45/2017'; expect = 'bad_date'; }
    else if (i % (47 * q) === 13) { form = 'I-999'; expect = 'unknown_form'; }
    else if (i % (53 * q) === 17 && legacy) { form = 'I-247A'; expect = 'form_not_valid_on_date'; }
  }
  const uniqueId = `P${String((i * 2654435761) % opts.people).padStart(7, '0')}`;
  const values: ReleaseRowValues = [
    preparedText, f.code, f.name, f.city, f.state, f.aor, form, liftReason, liftText, COUNTRIES[i % COUNTRIES.length], i % 7 === 0 ? 'Female' : 'Male',
    String(1950 + (i % 50)), CHARGES[i % CHARGES.length] ?? null, uniqueId, i % 3 === 0 ? 'Level 1' : null,
  ];
  return { values, expect, code: f.code, liftReason, liftDated, uniqueId };
}

/** `count` rows; with `duplicates`, every 59th row repeats the one before it (quarantined as a duplicate). */
export function* generatedRows(count: number, facilities: readonly ReleaseFacility[], opts: { people: number; quarantineEvery?: number; duplicates?: boolean }): Generator<GeneratedRow> {
  let previous: GeneratedRow | null = null;
  for (let i = 0; i < count; i += 1) {
    const row: GeneratedRow = opts.duplicates && previous !== null && i % 59 === 58
      ? { ...previous, expect: previous.expect === 'imported' ? 'duplicate_row' : previous.expect }
      : generatedRow(i, facilities, opts);
    previous = row;
    yield row;
  }
}

const csvCell = (v: string | null) => (v === null ? '' : /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Writes rows as the release's CSV, streamed (the benchmark's million rows never sit in memory). */
export async function writeReleaseCsv(path: string, rows: Iterable<GeneratedRow>): Promise<void> {
  const out = createWriteStream(path);
  let chunk = RELEASE_HEADERS.join(',') + '\n';
  for (const r of rows) {
    chunk += r.values.map(csvCell).join(',') + '\n';
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

/** The same rows as an XLSX workbook (streamed), dates as spreadsheet dates where they are dates, as a release's spreadsheet has them. */
export async function writeReleaseXlsx(path: string, rows: Iterable<GeneratedRow>): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const sheet = workbook.addWorksheet('Detainers');
  sheet.addRow([...RELEASE_HEADERS]).commit();
  const dateColumns = [0, 8];
  for (const r of rows) {
    sheet.addRow(r.values.map((v, c) => {
      if (v === null) return null;
      if (dateColumns.includes(c)) {
        const local = parseReleaseDate(v);
        return local === null ? v : new Date(`${local}Z`);
      }
      return c === 11 ? Number(v) : v;
    })).commit();
  }
  sheet.commit();
  await workbook.commit();
}

/** The same rows as Parquet (text columns, the birth year an integer), in row groups of `rowGroupSize`. */
export function writeReleaseParquet(path: string, rows: Iterable<GeneratedRow>, rowGroupSize = 100): void {
  const all = [...rows];
  parquetWriteFile({
    filename: path,
    rowGroupSize,
    columnData: RELEASE_HEADERS.map((name, c) => (c === 11
      ? { name, type: 'INT32' as const, data: all.map((r) => (r.values[c] === null ? null : Number(r.values[c]))) }
      : { name, type: 'STRING' as const, data: all.map((r) => r.values[c] ?? null) })),
  });
}

/** The crosswalk CSV for these facilities (unmapped ones left out), both kinds of row mixed. */
export async function writeCrosswalk(path: string, facilities: readonly ReleaseFacility[]): Promise<void> {
  const lines = ['detention_facility_code,facility_id,state,county_fips,agency_ori,facility_name'];
  for (const f of facilities) {
    if (f.crosswalk === null) continue;
    if ('facilityId' in f.crosswalk) lines.push(`${f.code},${f.crosswalk.facilityId},,,,`);
    else lines.push(`${f.code},,${f.state},${f.crosswalk.countyFips},${f.crosswalk.ori},${csvCell(f.crosswalk.facilityName)}`);
  }
  const out = createWriteStream(path);
  out.end(lines.join('\n') + '\n');
  await once(out, 'finish');
}
