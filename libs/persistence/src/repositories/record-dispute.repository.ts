import { DetainerState, RecordCorrectionKind } from '@app/domain';
import { AccessScope, detainerVisibleIn, Params } from '../scope';
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

type Row = Record<string, unknown>;

const SELECT = `
  SELECT rd.*, a.ori AS agency_ori, a.name AS agency_name, j.id AS jurisdiction_id, j.code AS jurisdiction_code, j.name AS jurisdiction_name, j.state AS jurisdiction_state
  FROM record_disputes rd
  JOIN detainers d ON d.id = rd.detainer_id
  JOIN agencies a ON a.id = rd.agency_id
  JOIN lodgings l ON l.detainer_id = rd.detainer_id AND l.seq = rd.lodging_seq
  JOIN jurisdictions j ON j.id = l.jurisdiction_id`;

const record = (r: Row): RecordDisputeRecord => ({
  id: r.id as string,
  detainerId: r.detainer_id as string,
  lodging: r.lodging_seq as number,
  agency: { id: r.agency_id as string, ori: r.agency_ori as string, name: r.agency_name as string },
  jurisdiction: { id: r.jurisdiction_id as string, code: r.jurisdiction_code as string, name: r.jurisdiction_name as string, state: (r.jurisdiction_state as string).trim() },
  reason: r.reason as string,
  reasonPublic: r.reason_public as boolean,
  status: r.status as RecordDisputeRecord['status'],
  openedAt: r.opened_at as Date,
  openedBy: (r.opened_by as string | null) ?? null,
  resolvedAt: (r.resolved_at as Date | null) ?? null,
  resolvedBy: (r.resolved_by as string | null) ?? null,
  note: (r.note as string | null) ?? null,
  notePublic: r.note_public as boolean,
  correction: (r.correction as RecordCorrectionKind | null) ?? null,
});

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
    const row = await sql.one<Row>(`${SELECT} WHERE ${where.join(' AND ')}`, params.values);
    return row ? record(row) : null;
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
    const rows = await sql.query<Row>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY rd.opened_at, rd.id LIMIT ${params.add(page.limit + 1)}`, params.values);
    const items = rows.slice(0, page.limit).map(record);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ t: last.openedAt.toISOString(), id: last.id }) : null };
  }

  async detainerOf(sql: Sql, disputeId: string): Promise<string | null> {
    const row = await sql.one<{ detainer_id: string }>(`SELECT detainer_id FROM record_disputes WHERE id = $1`, [disputeId]);
    return row?.detainer_id ?? null;
  }
}
