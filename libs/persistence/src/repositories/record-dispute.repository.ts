import { DetainerState, RecordCorrectionKind } from '@app/domain';
import { AccessScope, detainerVisibleIn, Params } from '../scope';
import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';
import { decodeCursor, encodeCursor, Page } from '../paging';

export interface RecordDisputeRecord {
  id: string;
  detainerId: string;
  lodging: number;
  agency: { id: string; ori: string; name: string };
  jurisdiction: { id: string; code: string; name: string; state: string };
  reason: string;
  /** Its author let it be published with the report. */
  reasonPublic: boolean;
  status: 'open' | 'upheld' | 'rejected';
  openedAt: Date;
  openedBy: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  note: string | null;
  notePublic: boolean;
  correction: RecordCorrectionKind | null;
}

/** A row of record_disputes with its agency and the jurisdiction of the lodging it concerns. */
interface RecordDisputeRow {
  id: string;
  detainer_id: string;
  lodging_seq: number;
  agency_id: string;
  agency_ori: string;
  agency_name: string;
  jurisdiction_id: string;
  jurisdiction_code: string;
  jurisdiction_name: string;
  /** char(2), blank-padded */
  jurisdiction_state: string;
  reason: string;
  reason_public: boolean;
  status: RecordDisputeRecord['status'];
  opened_at: Date;
  opened_by: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  note: string | null;
  note_public: boolean;
  correction: RecordCorrectionKind | null;
}

const SELECT = `
  SELECT rd.*, a.ori AS agency_ori, a.name AS agency_name, j.id AS jurisdiction_id, j.code AS jurisdiction_code, j.name AS jurisdiction_name, j.state AS jurisdiction_state
  FROM record_disputes rd
  JOIN detainers d ON d.id = rd.detainer_id
  JOIN agencies a ON a.id = rd.agency_id
  JOIN lodgings l ON l.detainer_id = rd.detainer_id AND l.seq = rd.lodging_seq
  JOIN jurisdictions j ON j.id = l.jurisdiction_id`;

const record = new RowMapper<RecordDisputeRow, RecordDisputeRecord>((r) => ({
  id: r.id,
  detainerId: r.detainer_id,
  lodging: r.lodging_seq,
  agency: { id: r.agency_id, ori: r.agency_ori, name: r.agency_name },
  jurisdiction: { id: r.jurisdiction_id, code: r.jurisdiction_code, name: r.jurisdiction_name, state: r.jurisdiction_state.trim() },
  reason: r.reason,
  reasonPublic: r.reason_public,
  status: r.status,
  openedAt: r.opened_at,
  openedBy: r.opened_by ?? null,
  resolvedAt: r.resolved_at ?? null,
  resolvedBy: r.resolved_by ?? null,
  note: r.note ?? null,
  notePublic: r.note_public,
  correction: r.correction ?? null,
}));

/** Record disputes: a projection of the detainer's record_disputed / record_dispute_resolved events. */
export class RecordDisputeRepository {
  /** Writes the disputes of a detainer's state (inside the change's transaction). */
  async sync(sql: Sql, state: DetainerState): Promise<void> {
    for (const d of state.recordDisputes ?? []) {
      await sql.query(
        `INSERT INTO record_disputes (id, detainer_id, lodging_seq, agency_id, reason, status, opened_at, opened_by, resolved_at, resolved_by, note, correction,
           reason_public, note_public)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, resolved_at = EXCLUDED.resolved_at, resolved_by = EXCLUDED.resolved_by,
           note = EXCLUDED.note, correction = EXCLUDED.correction, note_public = EXCLUDED.note_public`,
        [d.id, state.id, d.lodging, d.agencyId, d.reason, d.status, d.openedAt, d.openedBy, d.resolvedAt ?? null, d.resolvedBy ?? null, d.note ?? null, d.correction ?? null,
          d.reasonPublic, d.notePublic === true],
      );
    }
  }

  /** One dispute, if the scope may see it (an agency sees only disputes about its own lodgings). */
  async find(sql: Sql, id: string, scope: AccessScope): Promise<RecordDisputeRecord | null> {
    const params = new Params();
    const where = [`rd.id = ${params.add(id)}`, detainerVisibleIn(scope, params)];
    if (scope.kind === 'agency') where.push(`rd.agency_id = ${params.add(scope.agencyId)}`);
    return record.one(sql, `${SELECT} WHERE ${where.join(' AND ')}`, params.values);
  }

  async list(sql: Sql, filter: { status?: string; detainerId?: string }, scope: AccessScope, page: { limit: number; cursor?: string }): Promise<Page<RecordDisputeRecord>> {
    const params = new Params();
    const where = [detainerVisibleIn(scope, params)];
    if (scope.kind === 'agency') where.push(`rd.agency_id = ${params.add(scope.agencyId)}`);
    if (filter.status) where.push(`rd.status = ${params.add(filter.status)}`);
    if (filter.detainerId) where.push(`rd.detainer_id = ${params.add(filter.detainerId)}`);
    if (page.cursor) {
      const after = decodeCursor(page.cursor, ['t', 'id']);
      where.push(`(rd.opened_at, rd.id) > (${params.add(new Date(after.t))}, ${params.add(after.id)}::uuid)`);
    }
    const rows = await record.all(sql, `${SELECT} WHERE ${where.join(' AND ')} ORDER BY rd.opened_at, rd.id LIMIT ${params.add(page.limit + 1)}`, params.values);
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ t: last.openedAt.toISOString(), id: last.id }) : null };
  }
}
