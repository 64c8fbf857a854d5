import { PlannedReminder, ReminderAudience, ReminderKind, StoredReminder } from '@app/domain';
import { Sql } from '../sql';

export type ReminderStatus = 'pending' | 'fired' | 'cancelled';

/** A planned reminder as stored: the plan plus its id, state and job version. */
export interface ReminderRecord extends PlannedReminder {
  id: string;
  detainerId: string;
  status: ReminderStatus;
  jobVersion: number;
  createdAt: Date;
  firedAt: Date | null;
}

/** What the reconciler needs of a pending reminder: enough to build its job. */
export interface PendingReminderRef {
  id: string;
  dueAt: Date;
  jobVersion: number;
}

type Row = Record<string, unknown>;
const reminder = (r: Row): ReminderRecord => ({
  id: r.id as string,
  detainerId: r.detainer_id as string,
  lodgingSeq: r.lodging_seq as number,
  key: r.key as string,
  kind: r.kind as ReminderKind,
  audience: r.audience as ReminderAudience,
  dueAt: r.due_at as Date,
  anchorAt: r.anchor_at as Date,
  agencyId: r.agency_id as string,
  areaId: r.area_id as string,
  facilityId: r.facility_id as string,
  timeZone: r.time_zone as string,
  status: r.status as ReminderStatus,
  jobVersion: r.job_version as number,
  createdAt: r.created_at as Date,
  firedAt: (r.fired_at as Date | null) ?? null,
});

/** Reminders are the outbox: written in the transaction of the change that causes them. */
export class ReminderRepository {
  /** Pending and fired reminders of a detainer: what the planner's diff compares against. */
  async storedFor(sql: Sql, detainerId: string): Promise<StoredReminder[]> {
    const rows = await sql.query<Row>(
      `SELECT id, key, due_at, anchor_at, status FROM reminders WHERE detainer_id = $1 AND status IN ('pending', 'fired') ORDER BY created_at, id`,
      [detainerId],
    );
    return rows.map((r) => ({ id: r.id as string, key: r.key as string, dueAt: r.due_at as Date, anchorAt: r.anchor_at as Date, status: r.status as 'pending' | 'fired' }));
  }

  async insert(sql: Sql, detainerId: string, planned: readonly PlannedReminder[], now: Date): Promise<ReminderRecord[]> {
    if (planned.length === 0) return [];
    const rows = await sql.query<Row>(
      `INSERT INTO reminders (detainer_id, lodging_seq, key, kind, audience, due_at, anchor_at, agency_id, area_id, facility_id, time_zone, status, created_at)
       SELECT $1, p.lodging_seq, p.key, p.kind, p.audience, p.due_at, p.anchor_at, p.agency_id, p.area_id, p.facility_id, p.time_zone, 'pending', $3
       FROM jsonb_to_recordset($2::jsonb) AS p(lodging_seq int, key text, kind text, audience text, due_at timestamptz, anchor_at timestamptz,
                                               agency_id uuid, area_id uuid, facility_id uuid, time_zone text)
       RETURNING *`,
      [
        detainerId,
        JSON.stringify(
          planned.map((p) => ({
            lodging_seq: p.lodgingSeq, key: p.key, kind: p.kind, audience: p.audience, due_at: p.dueAt.toISOString(), anchor_at: p.anchorAt.toISOString(),
            agency_id: p.agencyId, area_id: p.areaId, facility_id: p.facilityId, time_zone: p.timeZone,
          })),
        ),
        now,
      ],
    );
    return rows.map(reminder);
  }

  async cancel(sql: Sql, cancels: readonly { id: string; reason: 'rescheduled' | 'no_longer_due' }[], now: Date): Promise<ReminderRecord[]> {
    if (cancels.length === 0) return [];
    const rows = await sql.query<Row>(
      `UPDATE reminders r SET status = 'cancelled', cancelled_at = $2, cancel_reason = c.reason
       FROM jsonb_to_recordset($1::jsonb) AS c(id uuid, reason text)
       WHERE r.id = c.id AND r.status = 'pending' RETURNING r.*`,
      [JSON.stringify(cancels), now],
    );
    return rows.map(reminder);
  }

  async find(sql: Sql, id: string): Promise<ReminderRecord | null> {
    const r = await sql.one<Row>('SELECT * FROM reminders WHERE id = $1', [id]);
    return r ? reminder(r) : null;
  }

  /** Locks the reminder for the transaction that fires it: two runners of one job serialise here. */
  async lock(sql: Sql, id: string): Promise<ReminderRecord | null> {
    const r = await sql.one<Row>('SELECT * FROM reminders WHERE id = $1 FOR UPDATE', [id]);
    return r ? reminder(r) : null;
  }

  async markFired(sql: Sql, id: string, now: Date): Promise<void> {
    await sql.execute(`UPDATE reminders SET status = 'fired', fired_at = $2 WHERE id = $1 AND status = 'pending'`, [id, now]);
  }

  /** Pending reminders in id order after `afterId`: the reconciler walks them in pages. */
  async pendingPage(sql: Sql, afterId: string | null, limit: number): Promise<PendingReminderRef[]> {
    const rows = await sql.query<Row>(
      `SELECT id, due_at, job_version FROM reminders WHERE status = 'pending' ${afterId ? 'AND id > $2' : ''} ORDER BY id LIMIT $1`,
      afterId ? [limit, afterId] : [limit],
    );
    return rows.map((r) => ({ id: r.id as string, dueAt: r.due_at as Date, jobVersion: r.job_version as number }));
  }

  /** True when this transaction is now the one sweeper (released at its end); false when another worker sweeps. */
  async tryLockSweep(sql: Sql): Promise<boolean> {
    const row = await sql.one<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtext('reminder_sweep')) AS locked`);
    return row?.locked === true;
  }

  /** Pending reminders due at or before `dueBefore`, earliest first: what the sweep fires when Redis did not. */
  async overdue(sql: Sql, dueBefore: Date, limit: number): Promise<PendingReminderRef[]> {
    const rows = await sql.query<Row>(
      `SELECT id, due_at, job_version FROM reminders WHERE status = 'pending' AND due_at <= $1 ORDER BY due_at, id LIMIT $2`,
      [dueBefore, limit],
    );
    return rows.map((r) => ({ id: r.id as string, dueAt: r.due_at as Date, jobVersion: r.job_version as number }));
  }

  /** A new job version for a reminder whose job is held by a finished (failed) job. */
  async bumpJobVersion(sql: Sql, id: string): Promise<number | null> {
    const r = await sql.one<{ job_version: number }>(
      `UPDATE reminders SET job_version = job_version + 1 WHERE id = $1 AND status = 'pending' RETURNING job_version`,
      [id],
    );
    return r?.job_version ?? null;
  }

  /** Of the given (id, version) pairs, those that are still pending at that job version. */
  async stillPending(sql: Sql, refs: readonly { id: string; version: number }[]): Promise<Set<string>> {
    if (refs.length === 0) return new Set();
    const rows = await sql.query<{ id: string; job_version: number }>(
      `SELECT r.id, r.job_version FROM reminders r JOIN jsonb_to_recordset($1::jsonb) AS j(id uuid, version int) ON j.id = r.id AND j.version = r.job_version
       WHERE r.status = 'pending'`,
      [JSON.stringify(refs)],
    );
    return new Set(rows.map((r) => `${r.id}.v${r.job_version}`));
  }

  async countByStatus(sql: Sql, detainerId?: string): Promise<Record<ReminderStatus, number>> {
    const rows = await sql.query<{ status: ReminderStatus; n: string }>(
      `SELECT status, count(*) AS n FROM reminders ${detainerId ? 'WHERE detainer_id = $1' : ''} GROUP BY status`,
      detainerId ? [detainerId] : [],
    );
    const out: Record<ReminderStatus, number> = { pending: 0, fired: 0, cancelled: 0 };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }
}
