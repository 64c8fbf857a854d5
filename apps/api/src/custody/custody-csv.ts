import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parse } from 'csv-parse/sync';
import { DomainError, FieldProblem, MAX_CUSTODY_EVENTS_PER_BATCH } from '@app/domain';
import { flattenValidationErrors } from '../common/validation';
import { CustodyEventDto } from './custody-events.dto';

/** The CSV header: the JSON event's fields, with the subject's identifiers as columns of their own. */
export const CUSTODY_CSV_COLUMNS = ['eventId', 'kind', 'at', 'bookingNumber', 'facilityId', 'destination', 'toFacilityId', 'releaseAt', 'aNumber', 'fbiNumber', 'stateId'] as const;
const REQUIRED = ['eventId', 'kind', 'at', 'bookingNumber'];
const SUBJECT = new Set(['aNumber', 'fbiNumber', 'stateId']);

/**
 * A custody batch as CSV (a header row, then one event a row; empty cells are absent fields), read
 * into the same events the JSON endpoint takes and validated the same way: any bad row is a 400
 * naming `rows[n].field` (n counts data rows from 1), and nothing is applied.
 */
export function parseCustodyCsv(text: string): CustodyEventDto[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false });
  } catch (error) {
    const message = `The CSV could not be read: ${(error as Error).message}`;
    throw new DomainError('invalid_input', message, [{ field: 'body', message }]);
  }
  const [header, ...rows] = records;
  if (!header) throw DomainError.invalidInput('body', `The CSV is empty: send a header row (${CUSTODY_CSV_COLUMNS.join(',')}) and 1 to ${MAX_CUSTODY_EVENTS_PER_BATCH} events.`);
  const unknown = header.filter((h) => !(CUSTODY_CSV_COLUMNS as readonly string[]).includes(h));
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (unknown.length || missing.length) {
    const problems: FieldProblem[] = [
      ...unknown.map((h) => ({ field: `header.${h}`, message: `unknown column: the columns are ${CUSTODY_CSV_COLUMNS.join(', ')}` })),
      ...missing.map((c) => ({ field: `header.${c}`, message: 'required column missing' })),
    ];
    throw new DomainError('invalid_input', `Invalid CSV header: ${problems.map((p) => p.field).join(', ')}.`, problems);
  }
  if (rows.length < 1 || rows.length > MAX_CUSTODY_EVENTS_PER_BATCH) {
    throw DomainError.invalidInput('rows', `Send 1 to ${MAX_CUSTODY_EVENTS_PER_BATCH} events (rows after the header); this file has ${rows.length}.`);
  }
  const problems: FieldProblem[] = [];
  const events = rows.map((cells, i) => {
    const plain: Record<string, unknown> = {};
    const subject: Record<string, string> = {};
    header.forEach((column, c) => {
      const value = cells[c];
      if (value === undefined || value === '') return;
      if (SUBJECT.has(column)) subject[column] = value;
      else plain[column] = value;
    });
    if (Object.keys(subject).length) plain.subject = subject;
    const dto = plainToInstance(CustodyEventDto, plain);
    const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
    problems.push(...flattenValidationErrors(errors, `rows[${i + 1}]`).map((p) => ({ field: p.field.replace(/\.subject\./, '.'), message: p.message })));
    return dto;
  });
  if (problems.length) throw new DomainError('invalid_input', `Invalid input: ${[...new Set(problems.map((p) => p.field))].join(', ')}.`, problems);
  return events;
}
