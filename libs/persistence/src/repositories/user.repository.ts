import { Role } from '@app/domain';
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

type Row = Record<string, unknown>;
export const userIdentityOf = (r: Row): UserIdentity => ({
  id: r.id as string,
  username: r.username as string,
  role: r.role as Role,
  agencyId: (r.agency_id as string | null) ?? null,
  areaId: (r.area_id as string | null) ?? null,
  displayName: (r.display_name as string | null) ?? null,
});
const user = (r: Row): UserWithSecret => ({
  ...userIdentityOf(r),
  email: (r.email as string | null) ?? null,
  passwordHash: r.password_hash as string,
});
const withoutSecret = ({ passwordHash: _secret, ...u }: UserWithSecret): UserRecord => u;

export class UserRepository {
  async insert(sql: Sql, u: Omit<UserWithSecret, 'id'>): Promise<UserRecord> {
    const r = await sql.one<Row>(
      `INSERT INTO users (username, password_hash, role, agency_id, area_id, display_name, email) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [u.username, u.passwordHash, u.role, u.agencyId, u.areaId, u.displayName, u.email],
    );
    return withoutSecret(user(r!));
  }

  async findByUsername(sql: Sql, username: string): Promise<UserWithSecret | null> {
    const r = await sql.one<Row>('SELECT * FROM users WHERE lower(username) = lower($1)', [username]);
    return r ? user(r) : null;
  }

  async findById(sql: Sql, id: string): Promise<UserRecord | null> {
    const r = await sql.one<Row>('SELECT * FROM users WHERE id = $1', [id]);
    return r ? withoutSecret(user(r)) : null;
  }

  async countAdmins(sql: Sql): Promise<number> {
    const r = await sql.one<{ n: string }>(`SELECT count(*) AS n FROM users WHERE role = 'admin'`);
    return Number(r?.n ?? 0);
  }
}
