import { createReadStream, ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { DomainError, normalizeHeader, RawReleaseRow, REQUIRED_RELEASE_COLUMNS } from '@app/domain';

/** A release file read row by row, never whole: the rows, and how far through the file the reader is. */
export interface ReleaseSource {
  format: 'csv' | 'xlsx' | 'parquet';
  /** What `position()` counts up to: bytes of the file, or rows when the format says how many it holds. */
  total: number;
  position(): number;
  rows(): AsyncIterable<RawReleaseRow>;
}

export async function openReleaseFile(path: string): Promise<ReleaseSource> {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.txt') return csvSource(path);
  if (ext === '.xlsx') return xlsxSource(path);
  if (ext === '.parquet') return parquetSource(path);
  throw DomainError.invalidInput('file', `${path}: the release must be .csv, .xlsx or .parquet`);
}

/** The file as a stream, telling `onRead` how many bytes each chunk was (the progress bar's position). */
function countedStream(path: string, onRead: (bytes: number) => void): ReadStream {
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  input.on('data', (chunk) => onRead(chunk.length));
  return input;
}

function checkHeaders(path: string, headers: readonly string[]): void {
  const missing = REQUIRED_RELEASE_COLUMNS.filter((c) => !headers.includes(c));
  if (missing.length) throw DomainError.invalidInput('file', `${path}: no column ${missing.join(', ')} (headers read: ${headers.join(', ')})`);
}

async function csvSource(path: string): Promise<ReleaseSource> {
  const { size } = await stat(path);
  let read = 0;
  return {
    format: 'csv',
    total: size,
    position: () => read,
    async *rows() {
      const input = countedStream(path, (bytes) => { read += bytes; });
      let checked = false;
      const parser = input.pipe(parse({ bom: true, columns: (h: string[]) => h.map(normalizeHeader), relax_column_count: true, skip_empty_lines: true }));
      for await (const record of parser as AsyncIterable<RawReleaseRow>) {
        if (!checked) {
          checkHeaders(path, Object.keys(record));
          checked = true;
        }
        yield record;
      }
    },
  };
}

/** A cell's value as the reader sees it: text, a number, or a date (whose UTC fields are the wall clock written). */
function cellValue(v: ExcelJS.CellValue): string | number | Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellValue(v.result);
    if ('text' in v) return v.text;
    // a formula's error value (#N/A, #VALUE!): its text, which no column reads as a date or a form
    if ('error' in v) return v.error;
  }
  return null;
}

// Styles are read: without them a date cell is only its serial number.
async function xlsxSource(path: string): Promise<ReleaseSource> {
  const { size } = await stat(path);
  let read = 0;
  return {
    format: 'xlsx',
    total: size,
    position: () => read,
    async *rows() {
      const input = countedStream(path, (bytes) => { read += bytes; });
      const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, { sharedStrings: 'cache', worksheets: 'emit', styles: 'cache', hyperlinks: 'ignore' });
      for await (const sheet of workbook) {
        let headers: string[] | null = null;
        for await (const row of sheet) {
          const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellValue);
          if (headers === null) {
            headers = values.map((v) => normalizeHeader(v === null ? '' : String(v)));
            checkHeaders(path, headers);
            continue;
          }
          if (values.every((v) => v === null)) continue;
          const record: RawReleaseRow = {};
          headers.forEach((h, i) => {
            if (h) record[h] = values[i] ?? null;
          });
          yield record;
        }
        return; // the release is its first sheet
      }
    },
  };
}

async function parquetSource(path: string): Promise<ReleaseSource> {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  let done = 0;
  return {
    format: 'parquet',
    total: Number(metadata.num_rows),
    position: () => done,
    async *rows() {
      const names = metadata.schema.slice(1).map((s) => s.name);
      const headers = names.map(normalizeHeader);
      checkHeaders(path, headers);
      // One row group at a time: memory is bounded by the largest row group, not the file.
      let start = 0;
      for (const group of metadata.row_groups) {
        const end = start + Number(group.num_rows);
        const rows = await parquetReadObjects({ file, metadata, rowStart: start, rowEnd: end });
        for (const r of rows) {
          const record: RawReleaseRow = {};
          names.forEach((n, i) => {
            const v = (r as Record<string, unknown>)[n];
            record[headers[i]] = v === null || v === undefined ? null : v instanceof Date || typeof v === 'number' || typeof v === 'string' ? v : typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
          });
          done += 1;
          yield record;
        }
        start = end;
      }
    },
  };
}
