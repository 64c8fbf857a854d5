import { ReminderKind } from '@app/domain';
import { decodeCursor, encodeCursor, Page } from '../paging';
import { AccessScope, Params } from '../scope';
import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';

export type DeliveryChannel = 'inbox' | 'email' | 'webhook';
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface DeliveryRecord {
  id: string;
  reminderId: string;
  channel: DeliveryChannel;
  recipient: string;
  address: string | null;
  status: DeliveryStatus;
  attempts: number;
  jobVersion: number;
  leaseUntil: Date | null;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  failedAt: Date | null;
}

export interface NewDelivery {
  channel: DeliveryChannel;
  recipient: string;
  address: string | null;
}

export type Claim =
  | { outcome: 'claimed'; delivery: DeliveryRecord }
  /** Already sent or given up: nothing to do. */
  | { outcome: 'done'; delivery: DeliveryRecord }
  /** Another runner holds it (a stalled job run twice): try again after the lease. */
  | { outcome: 'leased'; delivery: DeliveryRecord }
  /** The job is older than the delivery's job version (a retry was requested since): the newer job sends. */
  | { outcome: 'stale'; delivery: DeliveryRecord }
  | { outcome: 'missing' };

export interface FailedDelivery extends DeliveryRecord {
  detainerId: string;
  kind: ReminderKind;
  dueAt: Date;
}

/** A row of reminder_deliveries. */
interface DeliveryRow {
  id: string;
  reminder_id: string;
  channel: DeliveryChannel;
  recipient: string;
  address: string | null;
  status: DeliveryStatus;
  attempts: number;
  job_version: number;
  lease_until: Date | null;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  failed_at: Date | null;
}

const delivery = new RowMapper<DeliveryRow, DeliveryRecord>((r) => ({
  id: r.id,
  reminderId: r.reminder_id,
  channel: r.channel,
  recipient: r.recipient,
  address: r.address ?? null,
  status: r.status,
  attempts: r.attempts,
  jobVersion: r.job_version,
  leaseUntil: r.lease_until ?? null,
  lastError: r.last_error ?? null,
  createdAt: r.created_at,
  sentAt: r.sent_at ?? null,
  failedAt: r.failed_at ?? null,
}));

/** A delivery's id and the job version its queued job must carry. */
const openRef = new RowMapper<Pick<DeliveryRow, 'id' | 'job_version'>, { id: string; jobVersion: number }>((r) => ({ id: r.id, jobVersion: r.job_version }));

/** A delivery's row with its reminder's detainer, kind and due time. */
const deliveryWithReminder = new RowMapper<DeliveryRow & { detainer_id: string; kind: ReminderKind; due_at: Date }, FailedDelivery>((r) => ({
  ...delivery.decode(r),
  detainerId: r.detainer_id,
  kind: r.kind,
  dueAt: r.due_at,
}));

/** One row per reminder, channel and recipient (unique): the record that a delivery happened, once. */
export class DeliveryRepository {
  /** Inserts the deliveries that do not exist yet; an existing (reminder, channel, recipient) is left as it is. */
  async insertMissing(sql: Sql, reminderId: string, items: readonly NewDelivery[], now: Date, status: 'pending' | 'sent' = 'pending'): Promise<DeliveryRecord[]> {
    if (items.length === 0) return [];
    return delivery.all(
      sql,
      `INSERT INTO reminder_deliveries (reminder_id, channel, recipient, address, status, created_at, updated_at, sent_at)
       SELECT $1, d.channel, d.recipient, d.address, $3, $4, $4, CASE WHEN $3 = 'sent' THEN $4::timestamptz END
       FROM jsonb_to_recordset($2::jsonb) AS d(channel text, recipient uuid, address text)
       ON CONFLICT ON CONSTRAINT reminder_deliveries_once DO NOTHING
       RETURNING *`,
      [reminderId, JSON.stringify(items), status, now],
    );
  }

  async find(sql: Sql, id: string): Promise<DeliveryRecord | null> {
    return delivery.one(sql, 'SELECT * FROM reminder_deliveries WHERE id = $1', [id]);
  }

  /** Takes the delivery for one send attempt (inside a transaction), unless it is done or leased by another runner. */
  async claim(sql: Sql, id: string, version: number, now: Date, leaseMs: number): Promise<Claim> {
    const current = await delivery.one(sql, 'SELECT * FROM reminder_deliveries WHERE id = $1 FOR UPDATE', [id]);
    if (!current) return { outcome: 'missing' };
    if (current.jobVersion !== version) return { outcome: 'stale', delivery: current };
    if (current.status === 'sent' || current.status === 'failed') return { outcome: 'done', delivery: current };
    if (current.status === 'sending' && current.leaseUntil && current.leaseUntil.getTime() > now.getTime()) return { outcome: 'leased', delivery: current };
    const updated = await delivery.one(
      sql,
      `UPDATE reminder_deliveries SET status = 'sending', attempts = attempts + 1, lease_until = $2, updated_at = $3 WHERE id = $1 RETURNING *`,
      [id, new Date(now.getTime() + leaseMs), now],
    );
    return { outcome: 'claimed', delivery: updated! };
  }

  async markSent(sql: Sql, id: string, now: Date): Promise<void> {
    await sql.execute(`UPDATE reminder_deliveries SET status = 'sent', sent_at = $2, lease_until = NULL, last_error = NULL, updated_at = $2 WHERE id = $1`, [id, now]);
  }

  /** A failed attempt: back to pending for the next retry, or failed for good after the last one. */
  async recordFailure(sql: Sql, id: string, error: string, final: boolean, now: Date): Promise<void> {
    await sql.execute(
      `UPDATE reminder_deliveries SET status = CASE WHEN $3 THEN 'failed' ELSE 'pending' END, failed_at = CASE WHEN $3 THEN $4::timestamptz END,
         lease_until = NULL, last_error = left($2, 1000), updated_at = $4
       WHERE id = $1 AND status IN ('pending', 'sending')`,
      [id, error, final, now],
    );
  }

  /** Deliveries not yet sent nor failed, in id order: the reconciler walks them in pages. */
  async openPage(sql: Sql, afterId: string | null, limit: number): Promise<{ id: string; jobVersion: number }[]> {
    return openRef.all(
      sql,
      `SELECT id, job_version FROM reminder_deliveries WHERE status IN ('pending', 'sending') ${afterId ? 'AND id > $2' : ''} ORDER BY id LIMIT $1`,
      afterId ? [limit, afterId] : [limit],
    );
  }

  async bumpJobVersion(sql: Sql, id: string): Promise<number | null> {
    const r = await sql.one<{ job_version: number }>(
      `UPDATE reminder_deliveries SET job_version = job_version + 1 WHERE id = $1 AND status IN ('pending', 'sending') RETURNING job_version`,
      [id],
    );
    return r?.job_version ?? null;
  }

  /** Of the given (id, version) pairs, those still open at that job version, as `id.v<n>`. */
  async stillOpen(sql: Sql, refs: readonly { id: string; version: number }[]): Promise<Set<string>> {
    if (refs.length === 0) return new Set();
    const rows = await sql.query<{ id: string; job_version: number }>(
      `SELECT d.id, d.job_version FROM reminder_deliveries d JOIN jsonb_to_recordset($1::jsonb) AS j(id uuid, version int) ON j.id = d.id AND j.version = d.job_version
       WHERE d.status IN ('pending', 'sending')`,
      [JSON.stringify(refs)],
    );
    return new Set(rows.map((r) => `${r.id}.v${r.job_version}`));
  }

  /** Failed deliveries within the scope (by the reminder's agency or AOR), most recent first. */
  async listFailed(sql: Sql, scope: AccessScope, page: { limit: number; cursor?: string }): Promise<Page<FailedDelivery>> {
    const params = new Params();
    const where = [`d.status = 'failed'`, scopeCondition(scope, params)];
    if (page.cursor) {
      const after = decodeCursor(page.cursor, ['t', 'id']);
      where.push(`(d.failed_at, d.id) < (${params.add(after.t)}::timestamptz, ${params.add(after.id)}::uuid)`);
    }
    const rows = await deliveryWithReminder.all(
      sql,
      `SELECT d.*, r.detainer_id, r.kind, r.due_at FROM reminder_deliveries d JOIN reminders r ON r.id = d.reminder_id
       WHERE ${where.join(' AND ')} ORDER BY d.failed_at DESC, d.id DESC LIMIT ${params.add(page.limit + 1)}`,
      params.values,
    );
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ t: last.failedAt!.toISOString(), id: last.id }) : null };
  }

  /** A webhook's deliveries, newest first, with the reminder each carried (the caller's scope applies through row-level security). */
  async listForWebhook(sql: Sql, webhookId: string, page: { limit: number; cursor?: string }): Promise<Page<FailedDelivery>> {
    const params = new Params();
    const where = [`d.channel = 'webhook'`, `d.recipient = ${params.add(webhookId)}`];
    if (page.cursor) {
      const after = decodeCursor(page.cursor, ['t', 'id']);
      where.push(`(d.created_at, d.id) < (${params.add(after.t)}::timestamptz, ${params.add(after.id)}::uuid)`);
    }
    const rows = await deliveryWithReminder.all(
      sql,
      `SELECT d.*, r.detainer_id, r.kind, r.due_at FROM reminder_deliveries d JOIN reminders r ON r.id = d.reminder_id
       WHERE ${where.join(' AND ')} ORDER BY d.created_at DESC, d.id DESC LIMIT ${params.add(page.limit + 1)}`,
      params.values,
    );
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ t: last.createdAt.toISOString(), id: last.id }) : null };
  }

  /** Puts a failed delivery back to pending with a fresh job version (its old job id is held by the failed job). */
  async resetFailed(sql: Sql, id: string, scope: AccessScope, now: Date): Promise<DeliveryRecord | null> {
    const params = new Params();
    const idParam = params.add(id);
    const nowParam = params.add(now);
    return delivery.one(
      sql,
      `UPDATE reminder_deliveries d SET status = 'pending', failed_at = NULL, attempts = 0, job_version = d.job_version + 1, updated_at = ${nowParam}
       FROM reminders r WHERE d.id = ${idParam} AND r.id = d.reminder_id AND d.status = 'failed' AND ${scopeCondition(scope, params)}
       RETURNING d.*`,
      params.values,
    );
  }
}

function scopeCondition(scope: AccessScope, params: Params): string {
  switch (scope.kind) {
    case 'all':
      return 'TRUE';
    case 'area':
      return `r.area_id = ${params.add(scope.areaId)}`;
    case 'agency':
      return `r.agency_id = ${params.add(scope.agencyId)}`;
    case 'none':
      return 'FALSE';
    default: {
      const never: never = scope;
      return never;
    }
  }
}
