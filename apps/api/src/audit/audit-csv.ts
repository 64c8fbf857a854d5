import { AuditEntryRecord } from '@app/persistence';
import { csvCell } from '../reports/report-csv';

export const AUDIT_CSV_COLUMNS = [
  'id', 'at_utc', 'category', 'action', 'outcome', 'status', 'reason', 'actor_kind', 'actor_id', 'actor_name', 'actor_role',
  'actor_agency_id', 'actor_area_id', 'session_id', 'target_type', 'target_id', 'method', 'path', 'request_id', 'client_address', 'details',
] as const;

/** One line per entry, the header first; cells a spreadsheet would run as formulas are neutralised. */
export function auditCsvLines(entries: readonly AuditEntryRecord[]): string {
  return entries
    .map((e) =>
      [
        e.id, e.at.toISOString(), e.category, e.action, e.outcome, e.status, e.reason, e.actor.kind, e.actor.id, e.actor.name, e.actor.role,
        e.actor.agencyId, e.actor.areaId, e.sessionId, e.target?.type ?? null, e.target?.id ?? null, e.method, e.path, e.requestId, e.clientAddress,
        Object.keys(e.details).length ? JSON.stringify(e.details) : null,
      ].map(csvCell).join(','),
    )
    .map((line) => `${line}\r\n`)
    .join('');
}
