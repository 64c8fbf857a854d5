import { AgencyReconciliation } from '@app/domain';
import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';

/** A row of report_reconciliation with its agency and the confirmation that covers its surplus, if any. */
interface ReconciliationRow {
  agency_id: string;
  jurisdiction_id: string;
  issued: number;
  acknowledged: number;
  ori: string;
  name: string;
  program_287g: string;
  confirmed_at: Date | null;
  note: string | null;
}

const reconciliationRow = new RowMapper<ReconciliationRow, AgencyReconciliation>((r) => ({
  agencyId: r.agency_id,
  ori: r.ori,
  name: r.name,
  jurisdictionId: r.jurisdiction_id,
  program287g: r.program_287g,
  issued: r.issued,
  acknowledged: r.acknowledged,
  unacknowledged: r.issued - r.acknowledged,
  flagged: r.issued > r.acknowledged,
  confirmation: r.confirmed_at ? { confirmedAt: r.confirmed_at.toISOString(), note: r.note ?? null } : null,
}));

/** An agency's issued and acknowledged in a rolled-up week: what a supervisor's confirmation is checked against. */
export interface ReconciliationCounts {
  issued: number;
  acknowledged: number;
}

/** The counts of a row of report_reconciliation (int4 columns). */
interface ReconciliationCountsRow {
  issued: number;
  acknowledged: number;
}

const reconciliationCounts = new RowMapper<ReconciliationCountsRow, ReconciliationCounts>((r) => ({ issued: r.issued, acknowledged: r.acknowledged }));

/** Reconciliation: issued against acknowledged per agency for a rolled-up week, and supervisors' confirmations of a surplus. */
export class ReportReconciliationRepository {
  async reconciliation(sql: Sql, weekStart: string): Promise<AgencyReconciliation[]> {
    return reconciliationRow.all(
      sql,
      `SELECT r.*, a.ori, a.name, a.program_287g, c.confirmed_at, c.note
       FROM report_reconciliation r
       JOIN agencies a ON a.id = r.agency_id
       LEFT JOIN LATERAL (
         -- the note goes into the report only when its author marked it public
         SELECT confirmed_at, CASE WHEN note_public THEN note END AS note FROM report_reconciliation_confirmations c
         -- a confirmation covers a surplus up to the one confirmed; a larger surplus needs a new confirmation
         WHERE c.week_start = r.week_start AND c.agency_id = r.agency_id AND c.issued - c.acknowledged >= r.issued - r.acknowledged
         ORDER BY c.id DESC LIMIT 1) c ON TRUE
       WHERE r.week_start = $1 ORDER BY a.ori`,
      [weekStart],
    );
  }

  async reconciliationRow(sql: Sql, weekStart: string, agencyId: string): Promise<ReconciliationCounts | null> {
    return reconciliationCounts.one(
      sql,
      `SELECT issued, acknowledged FROM report_reconciliation WHERE week_start = $1 AND agency_id = $2`,
      [weekStart, agencyId],
    );
  }

  /** Whether the agency has a facility in the area (a supervisor confirms only for agencies of their own area). */
  async agencyInArea(sql: Sql, agencyId: string, areaId: string): Promise<boolean> {
    return (await sql.one('SELECT 1 FROM facilities WHERE agency_id = $1 AND area_id = $2 LIMIT 1', [agencyId, areaId])) !== null;
  }

  async confirmReconciliation(sql: Sql, c: { weekStart: string; agencyId: string; issued: number; acknowledged: number; userId: string; at: Date; note: string; notePublic: boolean }): Promise<void> {
    await sql.query(
      `INSERT INTO report_reconciliation_confirmations (week_start, agency_id, issued, acknowledged, confirmed_by, confirmed_at, note, note_public)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [c.weekStart, c.agencyId, c.issued, c.acknowledged, c.userId, c.at, c.note, c.notePublic],
    );
  }
}
