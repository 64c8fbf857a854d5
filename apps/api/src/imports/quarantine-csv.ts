import { RELEASE_COLUMNS } from '@app/domain';
import { QuarantineRow } from '@app/persistence';

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v); // the row is JSON: numbers and booleans print as String would
  // a leading = + - @ would be a formula to a spreadsheet
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function quarantineCsvHeader(): string {
  return ['row_number', 'reason', 'detail', 'facility_code', 'prepared_on', ...RELEASE_COLUMNS].join(',');
}

export function quarantineCsvLine(q: QuarantineRow): string {
  return [q.rowNumber, q.reason, q.detail, q.facilityCode, q.preparedOn, ...RELEASE_COLUMNS.map((c) => q.row[c])].map(cell).join(',');
}
