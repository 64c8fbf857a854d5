/**
 * PostgreSQL's COPY text format: one line per row, columns separated by tabs, `\N` for NULL, and
 * backslash, tab, newline and carriage return escaped. Arrays are written as array literals, objects
 * as JSON, instants as ISO 8601 (UTC).
 */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return escape(`{${v.map((e) => (e === null ? 'NULL' : `"${(typeof e === 'string' ? e : JSON.stringify(e)).replace(/["\\]/g, '\\$&')}"`)).join(',')}}`);
  if (typeof v === 'object') return escape(JSON.stringify(v));
  if (typeof v !== 'string') throw new TypeError(`a ${typeof v} has no COPY text`);
  return escape(v);
}

function escape(s: string): string {
  return s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** The rows as COPY text, in chunks of about 64 kB. */
export function* copyTextOf(rows: Iterable<readonly unknown[]>): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += row.map(copyValue).join('\t') + '\n';
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
