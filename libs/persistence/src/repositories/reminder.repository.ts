import { PlannedReminder, ReminderAudience, ReminderKind, StoredReminder } from '@app/domain';
import { RowMapper } from '../row-mapper';
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

/** A row of reminders. */
interface ReminderRow {
  id: string;
  detainer_id: string;
  lodging_seq: number;
  key: string;
  kind: ReminderKind;
  audience: ReminderAudience;
  due_at: Date;
  anchor_at: Date;
  agency_id: string;
  area_id: string;
  facility_id: string;
  time_zone: string;
  status: ReminderStatus;
  job_version: number;
  created_at: Date;
  fired_at: Date | null;
}

const reminder = new RowMapper<ReminderRow, ReminderRecord>((r) => ({
  id: r.id,
  detainerId: r.detainer_id,
  lodgingSeq: r.lodging_seq,
  key: r.key,
  kind: r.kind,
  audience: r.audience,
  dueAt: r.due_at,
  anchorAt: r.anchor_at,
  agencyId: r.agency_id,
  areaId: r.area_id,
  facilityId: r.facility_id,
  timeZone: r.time_zone,
  status: r.status,
  jobVersion: r.job_version,
  createdAt: r.created_at,
  firedAt: r.fired_at ?? null,
}));

const storedReminder = new RowMapper<Pick<ReminderRow, 'id' | 'key' | 'due_at' | 'anchor_at'> & { status: 'pending' | 'fired' }, StoredReminder>((r) => ({
  id: r.id,
  key: r.key,
  dueAt: r.due_at,
  anchorAt: r.anchor_at,
  status: r.status,
}));

const pendingRef = new RowMapper<Pick<ReminderRow, 'id' | 'due_at' | 'job_version'>, PendingReminderRef>((r) => ({ id: r.id, dueAt: r.due_at, jobVersion: r.job_version }));

/** Reminders are the outbox: written in the transaction of the change that causes them. */
export class ReminderRepository {
  /** Pending and fired reminders of a detainer: what the planner's diff compares against. */
  async storedFor(sql: Sql, detainerId: string): Promise<StoredReminder[]> {
    return storedReminder.all(
      sql,
      `SELECT id, key, due_at, anchor_at, status FROM reminders WHERE detainer_id = $1 AND status IN ('pending', 'fired') ORDER BY created_at, id`,
      [detainerId],
    );
  }

  async insert(sql: Sql, detainerId: string, planned: readonly PlannedReminder[], now: Date): Promise<ReminderRecord[]> {
    if (planned.length === 0) return [];
    return reminder.all(
      sql,
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
  }

  async cancel(sql: Sql, cancels: readonly { id: string; reason: 'rescheduled' | 'no_longer_due' }[], now: Date): Promise<ReminderRecord[]> {
    if (cancels.length === 0) return [];
    return reminder.all(
      sql,
      `UPDATE reminders r SET status = 'cancelled', cancelled_at = $2, cancel_reason = c.reason
       FROM jsonb_to_recordset($1::jsonb) AS c(id uuid, reason text)
       WHERE r.id = c.id AND r.status = 'pending' RETURNING r.*`,
      [JSON.stringify(cancels), now],
    );
  }

  async find(sql: Sql, id: string): Promise<ReminderRecord | null> {
    return reminder.one(sql, 'SELECT * FROM reminders WHERE id = $1', [id]);
  }

  /** Locks the reminder for the transaction that fires it: two runners of one job serialise here. */
  async lock(sql: Sql, id: string): Promise<ReminderRecord | null> {
    return reminder.one(sql, 'SELECT * FROM reminders WHERE id = $1 FOR UPDATE', [id]);
  }

  async markFired(sql: Sql, id: string, now: Date): Promise<void> {
    await sql.execute(`UPDATE reminders SET status = 'fired', fired_at = $2 WHERE id = $1 AND status = 'pending'`, [id, now]);
  }

  /** Pending reminders in id order after `afterId`: the reconciler walks them in pages. */
  async pendingPage(sql: Sql, afterId: string | null, limit: number): Promise<PendingReminderRef[]> {
    return pendingRef.all(
      sql,
      `SELECT id, due_at, job_version FROM reminders WHERE status = 'pending' ${afterId ? 'AND id > $2' : ''} ORDER BY id LIMIT $1`,
      afterId ? [limit, afterId] : [limit],
    );
  }

  /** True when this transaction is now the one sweeper (released at its end); false when another worker sweeps. */
  async tryLockSweep(sql: Sql): Promise<boolean> {
    const row = await sql.one<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtext('reminder_sweep')) AS locked`);
    return row?.locked === true;
  }

  /** Pending reminders due at or before `dueBefore`, earliest first: what the sweep fires when Redis did not. */
  async overdue(sql: Sql, dueBefore: Date, limit: number): Promise<PendingReminderRef[]> {
    return pendingRef.all(
      sql,
      `SELECT id, due_at, job_version FROM reminders WHERE status = 'pending' AND due_at <= $1 ORDER BY due_at, id LIMIT $2`,
      [dueBefore, limit],
    );
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
}
