import { Role } from '@app/domain';
import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';

/** Who a user is and where they belong: what every view of a `users` row shares. */
export interface UserIdentity {
  id: string;
  username: string;
  role: Role;
  agencyId: string | null;
  areaId: string | null;
  displayName: string | null;
}

export interface UserRecord extends UserIdentity {
  /** Where e-mail reminders go; none when null. */
  email: string | null;
}

export interface UserWithSecret extends UserRecord {
  passwordHash: string;
}

/** A row of users (the accounts' repository reads the same rows). */
export interface UserRow {
  id: string;
  username: string;
  role: Role;
  agency_id: string | null;
  area_id: string | null;
  display_name: string | null;
  email: string | null;
  password_hash: string;
  created_at: Date;
  disabled_at: Date | null;
  locked_at: Date | null;
  unlocked_at: Date | null;
  last_logon_at: Date | null;
  password_changed_at: Date | null;
  totp_enabled_at: Date | null;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  /** bigint: a string, as pg gives int8. */
  totp_last_step: string | null;
}

export const userIdentity = new RowMapper<UserRow, UserIdentity>((r) => ({
  id: r.id,
  username: r.username,
  role: r.role,
  agencyId: r.agency_id ?? null,
  areaId: r.area_id ?? null,
  displayName: r.display_name ?? null,
}));
const user = new RowMapper<UserRow, UserWithSecret>((r) => ({
  ...userIdentity.decode(r),
  email: r.email ?? null,
  passwordHash: r.password_hash,
}));
const withoutSecret = ({ passwordHash: _secret, ...u }: UserWithSecret): UserRecord => u;

export class UserRepository {
  async insert(sql: Sql, u: Omit<UserWithSecret, 'id'>): Promise<UserRecord> {
    const r = await user.one(
      sql,
      `INSERT INTO users (username, password_hash, role, agency_id, area_id, display_name, email) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [u.username, u.passwordHash, u.role, u.agencyId, u.areaId, u.displayName, u.email],
    );
    return withoutSecret(r!);
  }

  async findByUsername(sql: Sql, username: string): Promise<UserWithSecret | null> {
    return user.one(sql, 'SELECT * FROM users WHERE lower(username) = lower($1)', [username]);
  }

  async findById(sql: Sql, id: string): Promise<UserRecord | null> {
    const r = await user.one(sql, 'SELECT * FROM users WHERE id = $1', [id]);
    return r ? withoutSecret(r) : null;
  }

  async countAdmins(sql: Sql): Promise<number> {
    const r = await sql.one<{ n: string }>(`SELECT count(*) AS n FROM users WHERE role = 'admin'`);
    return Number(r?.n ?? 0);
  }
}
