import { RowDispute } from '@app/domain';
import { WeeklyReport } from '@app/application';

const COLUMNS = [
  'record_type', 'week_start', 'week_end', 'time_zone', 'version', 'jurisdiction_code', 'jurisdiction_name', 'state',
  'detainers_issued_not_declines', 'declines_recorded', 'declined_refused', 'declined_no_notice', 'declined_hold_refused',
  'declined_age_under_7_days', 'declined_age_7_to_29_days', 'declined_age_30_to_364_days', 'declined_age_365_days_or_more',
  'honored', 'missed_pickups_not_declines', 'short_notices_not_declines', 'excluded', 'declines_retracted', 'unacknowledged',
  'restrictive_policy_in_force', 'program_287g', 'under_dispute', 'disputes',
  'case_ref', 'agency_ori', 'form', 'citizenship', 'issued_date', 'declined_date', 'decline_kind', 'detainer_age', 'reported_by',
  'most_serious_charge', 'charge_level', 'charge_status',
] as const;
type Column = (typeof COLUMNS)[number];

export type CsvValue = string | number | boolean | null | undefined;

/** Quotes a cell; neutralises text a spreadsheet would run as a formula (agency-written reasons are free text). */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const disputeText = (ds: RowDispute[]) =>
  ds.map((d) => `${d.status}${d.resolution ? ` (${d.resolution.correction ?? d.resolution.decision}${d.resolution.note ? `: ${d.resolution.note}` : ''})` : ''}: ${d.agencyOri}${d.reason ? ` says "${d.reason}"` : ' (reason not published)'} [${d.caseRef}]`).join(' | ');

/** One row per jurisdiction, then one per case (Section II); rows under dispute say so. */
export function reportCsv(r: WeeklyReport): string {
  const lines: string[] = [COLUMNS.join(',')];
  const common = { week_start: r.weekStart, week_end: r.weekEnd, time_zone: r.timeZone, version: r.version };
  const push = (row: Partial<Record<Column, CsvValue>>) => lines.push(COLUMNS.map((c) => csvCell(row[c])).join(','));
  for (const j of r.jurisdictions) {
    const open = j.disputes.filter((d) => d.status === 'open').length;
    push({
      record_type: 'jurisdiction', ...common, jurisdiction_code: j.code, jurisdiction_name: j.name, state: j.state,
      detainers_issued_not_declines: j.issued, declines_recorded: j.declined,
      declined_refused: j.declinedByKind.refused, declined_no_notice: j.declinedByKind.no_notice, declined_hold_refused: j.declinedByKind.hold_refused,
      declined_age_under_7_days: j.declinedByAge.under_week, declined_age_7_to_29_days: j.declinedByAge.under_month,
      declined_age_30_to_364_days: j.declinedByAge.under_year, declined_age_365_days_or_more: j.declinedByAge.year_or_more,
      honored: j.honored, missed_pickups_not_declines: j.missedPickups, short_notices_not_declines: j.shortNotices, excluded: j.excluded,
      declines_retracted: j.declinesRetracted, unacknowledged: j.unacknowledged,
      restrictive_policy_in_force: j.restrictivePolicy ? 'yes' : 'no',
      program_287g: j.program287g.map((p) => `${p.ori}:${p.program287g}`).join(' '),
      under_dispute: j.disputed > 0 ? `yes (${j.disputed} record(s) open)` : open > 0 ? 'yes' : j.disputes.length > 0 ? 'decided' : 'no',
      disputes: disputeText(j.disputes),
    });
  }
  for (const j of r.sections.II.jurisdictions) {
    for (const c of j.cases) {
      push({
        record_type: 'case', ...common, jurisdiction_code: j.code, jurisdiction_name: j.name, state: j.state,
        case_ref: c.caseRef, agency_ori: c.agencyOri, form: c.form, citizenship: c.citizenship, issued_date: c.issuedDate,
        declined_date: c.declinedDate, decline_kind: c.declineKind, detainer_age: c.ageBucket, reported_by: c.source,
        most_serious_charge: c.mostSeriousCharge?.description, charge_level: c.mostSeriousCharge?.level, charge_status: c.mostSeriousCharge?.status,
        under_dispute: c.disputed ? 'yes' : c.dispute ? 'decided' : 'no', disputes: c.dispute ? disputeText([c.dispute]) : '',
      });
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

