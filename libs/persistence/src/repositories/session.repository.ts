import { Role } from '@app/domain';
import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';

const _SESSION_END_REASONS = ['logout', 'idle_timeout', 'expired', 'account_disabled', 'account_locked', 'password_changed', 'second_factor_reset'] as const;
export type SessionEndReason = (typeof _SESSION_END_REASONS)[number];

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: Date;
  authenticatedAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  /** The sign-in (or a later enrolment) proved a second factor. */
  secondFactor: boolean;
  clientAddress: string | null;
  endedAt: Date | null;
  endReason: SessionEndReason | null;
}

/** A session with the account it belongs to, as read on every request. */
export interface SessionWithAccount {
  session: SessionRecord;
  account: {
    id: string;
    username: string;
    role: Role;
    agencyId: string | null;
    areaId: string | null;
    disabledAt: Date | null;
    lockedAt: Date | null;
  };
}

/** A row of sessions. */
interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  authenticated_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  second_factor: boolean;
  client_address: string | null;
  ended_at: Date | null;
  end_reason: SessionEndReason | null;
}

const toSession = new RowMapper<SessionRow, SessionRecord>((r) => ({
  id: r.id,
  userId: r.user_id,
  createdAt: r.created_at,
  authenticatedAt: r.authenticated_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  secondFactor: r.second_factor,
  clientAddress: r.client_address ?? null,
  endedAt: r.ended_at ?? null,
  endReason: r.end_reason ?? null,
}));

/** A session's row with its account's columns. */
interface SessionWithAccountRow extends SessionRow {
  username: string;
  role: Role;
  agency_id: string | null;
  area_id: string | null;
  disabled_at: Date | null;
  locked_at: Date | null;
}

const toSessionWithAccount = new RowMapper<SessionWithAccountRow, SessionWithAccount>((r) => ({
  session: toSession.decode(r),
  account: {
    id: r.user_id,
    username: r.username,
    role: r.role,
    agencyId: r.agency_id ?? null,
    areaId: r.area_id ?? null,
    disabledAt: r.disabled_at ?? null,
    lockedAt: r.locked_at ?? null,
  },
}));

export class SessionRepository {
  async create(
    sql: Sql,
    s: { userId: string; at: Date; expiresAt: Date; secondFactor: boolean; clientAddress: string | null; userAgent: string | null },
  ): Promise<SessionRecord> {
    const r = await toSession.one(
      sql,
      `INSERT INTO sessions (user_id, created_at, authenticated_at, last_seen_at, expires_at, second_factor, client_address, user_agent)
       VALUES ($1, $2, $2, $2, $3, $4, $5, $6) RETURNING *`,
      [s.userId, s.at, s.expiresAt, s.secondFactor, s.clientAddress, s.userAgent?.slice(0, 300) ?? null],
    );
    return r!;
  }

  async findWithAccount(sql: Sql, id: string): Promise<SessionWithAccount | null> {
    return toSessionWithAccount.one(
      sql,
      `SELECT s.*, u.username, u.role, u.agency_id, u.area_id, u.disabled_at, u.locked_at
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`,
      [id],
    );
  }

  async touch(sql: Sql, id: string, at: Date): Promise<void> {
    await sql.execute('UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND ended_at IS NULL AND last_seen_at < $2', [id, at]);
  }

  /** Ends one session; false when it had already ended. */
  async end(sql: Sql, id: string, at: Date, reason: SessionEndReason): Promise<boolean> {
    return (await sql.execute('UPDATE sessions SET ended_at = $2, end_reason = $3 WHERE id = $1 AND ended_at IS NULL', [id, at, reason])) > 0;
  }

  /** Ends every open session of an account (optionally all but one); returns how many. */
  async endAllOf(sql: Sql, userId: string, at: Date, reason: SessionEndReason, exceptSessionId: string | null = null): Promise<number> {
    return sql.execute(
      `UPDATE sessions SET ended_at = $2, end_reason = $3 WHERE user_id = $1 AND ended_at IS NULL AND ($4::uuid IS NULL OR id <> $4::uuid)`,
      [userId, at, reason, exceptSessionId],
    );
  }

  async markAuthenticated(sql: Sql, id: string, at: Date, secondFactor: boolean): Promise<void> {
    await sql.execute('UPDATE sessions SET authenticated_at = $2, last_seen_at = $2, second_factor = second_factor OR $3 WHERE id = $1 AND ended_at IS NULL', [id, at, secondFactor]);
  }

  async listOpen(sql: Sql, userId: string): Promise<SessionRecord[]> {
    return toSession.all(sql, 'SELECT * FROM sessions WHERE user_id = $1 AND ended_at IS NULL ORDER BY created_at DESC', [userId]);
  }
}
