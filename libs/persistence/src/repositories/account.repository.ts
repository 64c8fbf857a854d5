import { Role } from '@app/domain';
import { decodeCursor, encodeCursor, Page } from '../paging';
import { Params } from '../scope';
import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';
import { userIdentity, UserIdentity, UserRow } from './user.repository';

/** A user account as administrators and the sign-in rules see it (never the secrets). */
export interface AccountRecord extends UserIdentity {
  createdAt: Date;
  disabledAt: Date | null;
  lockedAt: Date | null;
  unlockedAt: Date | null;
  lastLogonAt: Date | null;
  passwordChangedAt: Date | null;
  secondFactorEnabledAt: Date | null;
}

/** The secrets, read only where a proof of identity is checked. */
export interface AccountSecrets {
  passwordHash: string;
  totpSecret: string | null;
  totpPendingSecret: string | null;
  totpLastStep: number | null;
}

const toAccount = new RowMapper<UserRow, AccountRecord>((r) => ({
  ...userIdentity.decode(r),
  createdAt: r.created_at,
  disabledAt: r.disabled_at ?? null,
  lockedAt: r.locked_at ?? null,
  unlockedAt: r.unlocked_at ?? null,
  lastLogonAt: r.last_logon_at ?? null,
  passwordChangedAt: r.password_changed_at ?? null,
  secondFactorEnabledAt: r.totp_enabled_at ?? null,
}));
const toSecrets = (r: UserRow): AccountSecrets => ({
  passwordHash: r.password_hash,
  totpSecret: r.totp_secret ?? null,
  totpPendingSecret: r.totp_pending_secret ?? null,
  totpLastStep: r.totp_last_step === null ? null : Number(r.totp_last_step),
});
const withSecrets = new RowMapper<UserRow, { account: AccountRecord; secrets: AccountSecrets }>((r) => ({ account: toAccount.decode(r), secrets: toSecrets(r) }));

export interface AccountFilters {
  role?: Role;
  agencyId?: string;
  areaId?: string;
  status?: 'active' | 'locked' | 'disabled';
}

export class AccountRepository {
  async findByUsername(sql: Sql, username: string): Promise<{ account: AccountRecord; secrets: AccountSecrets } | null> {
    return withSecrets.one(sql, 'SELECT * FROM users WHERE lower(username) = lower($1)', [username]);
  }

  async findById(sql: Sql, id: string): Promise<AccountRecord | null> {
    return toAccount.one(sql, 'SELECT * FROM users WHERE id = $1', [id]);
  }

  async findWithSecrets(sql: Sql, id: string): Promise<{ account: AccountRecord; secrets: AccountSecrets } | null> {
    return withSecrets.one(sql, 'SELECT * FROM users WHERE id = $1', [id]);
  }

  /** Reads the account with its secrets and holds its row until the transaction ends: sign-in failures of one account count in turn. */
  async lockRow(sql: Sql, id: string): Promise<{ account: AccountRecord; secrets: AccountSecrets } | null> {
    return withSecrets.one(sql, 'SELECT * FROM users WHERE id = $1 FOR UPDATE', [id]);
  }

  async list(sql: Sql, f: AccountFilters, page: { limit: number; cursor?: string }): Promise<Page<AccountRecord>> {
    const params = new Params();
    const where = ['TRUE'];
    if (f.role) where.push(`role = ${params.add(f.role)}`);
    if (f.agencyId) where.push(`agency_id = ${params.add(f.agencyId)}`);
    if (f.areaId) where.push(`area_id = ${params.add(f.areaId)}`);
    if (f.status === 'disabled') where.push('disabled_at IS NOT NULL');
    if (f.status === 'locked') where.push('locked_at IS NOT NULL');
    if (f.status === 'active') where.push('disabled_at IS NULL AND locked_at IS NULL');
    if (page.cursor) {
      const after = decodeCursor(page.cursor, ['k', 'id']);
      where.push(`(lower(username), id) > (${params.add(after.k)}, ${params.add(after.id)})`);
    }
    const rows = await toAccount.all(sql, `SELECT * FROM users WHERE ${where.join(' AND ')} ORDER BY lower(username), id LIMIT ${params.add(page.limit + 1)}`, params.values);
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ k: last.username.toLowerCase(), id: last.id }) : null };
  }

  async recordLogon(sql: Sql, id: string, at: Date): Promise<void> {
    await sql.execute('UPDATE users SET last_logon_at = $2 WHERE id = $1', [id, at]);
  }

  async lock(sql: Sql, id: string, at: Date): Promise<boolean> {
    return (await sql.execute('UPDATE users SET locked_at = $2 WHERE id = $1 AND locked_at IS NULL', [id, at])) > 0;
  }

  async unlock(sql: Sql, id: string, at: Date): Promise<boolean> {
    return (await sql.execute('UPDATE users SET locked_at = NULL, unlocked_at = $2 WHERE id = $1 AND locked_at IS NOT NULL', [id, at])) > 0;
  }

  async setDisabled(sql: Sql, id: string, at: Date | null): Promise<boolean> {
    const sqlText = at
      ? 'UPDATE users SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL'
      : 'UPDATE users SET disabled_at = NULL WHERE id = $1 AND disabled_at IS NOT NULL';
    return (await sql.execute(sqlText, at ? [id, at] : [id])) > 0;
  }

  async setPassword(sql: Sql, id: string, passwordHash: string, at: Date): Promise<void> {
    await sql.execute('UPDATE users SET password_hash = $2, password_changed_at = $3 WHERE id = $1', [id, passwordHash, at]);
  }

  async setPendingTotp(sql: Sql, id: string, sealedSecret: string): Promise<void> {
    await sql.execute('UPDATE users SET totp_pending_secret = $2 WHERE id = $1', [id, sealedSecret]);
  }

  async enableTotp(sql: Sql, id: string, sealedSecret: string, at: Date, step: number): Promise<void> {
    await sql.execute('UPDATE users SET totp_secret = $2, totp_enabled_at = $3, totp_last_step = $4, totp_pending_secret = NULL WHERE id = $1', [id, sealedSecret, at, step]);
  }

  /** Records the step of an accepted code; false when that step (or a later one) was already used: a replay. */
  async acceptTotpStep(sql: Sql, id: string, step: number): Promise<boolean> {
    return (await sql.execute('UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)', [id, step])) > 0;
  }

  async resetTotp(sql: Sql, id: string): Promise<boolean> {
    return (await sql.execute(
      'UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, totp_pending_secret = NULL WHERE id = $1 AND (totp_secret IS NOT NULL OR totp_pending_secret IS NOT NULL)',
      [id],
    )) > 0;
  }
}
