import { decodeCursor, encodeCursor, Page } from '../paging';
import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';

export interface NotificationRecord {
  id: string;
  userId: string;
  /** The reminder delivery it came from; null for an alert raised by a custody event. */
  deliveryId: string | null;
  reminderId: string | null;
  detainerId: string;
  kind: string;
  title: string;
  body: string;
  link: string;
  anchorAt: Date;
  timeZone: string;
  createdAt: Date;
  readAt: Date | null;
}

export type NewNotification = Omit<NotificationRecord, 'id' | 'readAt' | 'createdAt'>;

/** A row of notifications. */
interface NotificationRow {
  id: string;
  user_id: string;
  delivery_id: string | null;
  reminder_id: string | null;
  detainer_id: string;
  kind: string;
  title: string;
  body: string;
  link: string;
  anchor_at: Date;
  time_zone: string;
  created_at: Date;
  read_at: Date | null;
}

const notification = new RowMapper<NotificationRow, NotificationRecord>((r) => ({
  id: r.id,
  userId: r.user_id,
  deliveryId: r.delivery_id ?? null,
  reminderId: r.reminder_id ?? null,
  detainerId: r.detainer_id,
  kind: r.kind,
  title: r.title,
  body: r.body,
  link: r.link,
  anchorAt: r.anchor_at,
  timeZone: r.time_zone,
  createdAt: r.created_at,
  readAt: r.read_at ?? null,
}));

/** The in-app inbox: a user only ever reaches their own notifications (user_id in every query). */
export class NotificationRepository {
  async insert(sql: Sql, n: NewNotification, now: Date): Promise<void> {
    await sql.execute(
      `INSERT INTO notifications (user_id, delivery_id, reminder_id, detainer_id, kind, title, body, link, anchor_at, time_zone, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT ON CONSTRAINT notifications_delivery_key DO NOTHING`,
      [n.userId, n.deliveryId, n.reminderId, n.detainerId, n.kind, n.title, n.body, n.link, n.anchorAt, n.timeZone, now],
    );
  }

  async listForUser(sql: Sql, userId: string, page: { limit: number; cursor?: string; unreadOnly?: boolean }): Promise<Page<NotificationRecord>> {
    const params: unknown[] = [userId];
    const where = ['user_id = $1'];
    if (page.unreadOnly) where.push('read_at IS NULL');
    if (page.cursor) {
      const after = decodeCursor(page.cursor, ['t', 'id']);
      params.push(after.t, after.id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(page.limit + 1);
    const rows = await notification.all(sql, `SELECT * FROM notifications WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`, params);
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ t: last.createdAt.toISOString(), id: last.id }) : null };
  }

  async unreadCount(sql: Sql, userId: string): Promise<number> {
    const r = await sql.one<{ n: string }>('SELECT count(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL', [userId]);
    return Number(r?.n ?? 0);
  }

  /** Marks one of the user's notifications read (idempotent: the first read time stays). */
  async markRead(sql: Sql, userId: string, id: string, now: Date): Promise<NotificationRecord | null> {
    return notification.one(sql, 'UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND user_id = $2 RETURNING *', [id, userId, now]);
  }

  /** Marks the user's unread notifications read (of one kind, created up to a moment, when given); returns how many. */
  async markAllRead(sql: Sql, userId: string, now: Date, only: { kind?: string; upTo?: Date } = {}): Promise<number> {
    return sql.execute(
      `UPDATE notifications SET read_at = $2
       WHERE user_id = $1 AND read_at IS NULL AND ($3::text IS NULL OR kind = $3) AND ($4::timestamptz IS NULL OR created_at <= $4)`,
      [userId, now, only.kind ?? null, only.upTo ?? null],
    );
  }
}
