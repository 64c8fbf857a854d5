import { DomainError } from '@app/domain';
import { decodeCursor, encodeCursor, Page } from '../paging';
import { RowMapper } from '../row-mapper';
import { Params } from '../scope';
import { Sql } from '../sql';

export const AUDIT_CATEGORIES = ['authentication', 'read', 'identity_read', 'change', 'admin', 'audit_read'] as const;
export type AuditCategory = (typeof AUDIT_CATEGORIES)[number];
export const AUDIT_ACTOR_KINDS = ['user', 'api_key', 'anonymous', 'system'] as const;
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];
export type AuditOutcome = 'success' | 'failure';

export interface AuditActor {
  kind: AuditActorKind;
  id: string | null;
  /** Username or API-key label; for a failed sign-in, the username that was tried. */
  name: string | null;
  role: string | null;
  agencyId: string | null;
  areaId: string | null;
}

export interface NewAuditEntry {
  at: Date;
  category: AuditCategory;
  /** `METHOD /route/:pattern` for requests, or a named event (`auth.login`, `auth.lockout`). */
  action: string;
  outcome: AuditOutcome;
  status: number | null;
  /** Why it failed (an error code or a sign-in reason); null on success. */
  reason: string | null;
  actor: AuditActor;
  sessionId: string | null;
  target: { type: string | null; id: string | null } | null;
  method: string | null;
  path: string | null;
  requestId: string | null;
  clientAddress: string | null;
  details: Record<string, unknown>;
}

export interface AuditEntryRecord extends NewAuditEntry {
  id: string;
}

export interface AuditFilters {
  category?: AuditCategory;
  action?: string;
  outcome?: AuditOutcome;
  actorKind?: AuditActorKind;
  actorId?: string;
  actorRole?: string;
  agencyId?: string;
  targetType?: string;
  targetId?: string;
  requestId?: string;
  clientAddress?: string;
  from?: Date;
  to?: Date;
}

/** A row of audit_log. */
interface AuditLogRow {
  id: string;
  at: Date;
  category: AuditCategory;
  action: string;
  outcome: AuditOutcome;
  status: number | null;
  reason: string | null;
  actor_kind: AuditActorKind;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  actor_agency_id: string | null;
  actor_area_id: string | null;
  session_id: string | null;
  target_type: string | null;
  target_id: string | null;
  method: string | null;
  path: string | null;
  request_id: string | null;
  client_address: string | null;
  details: Record<string, unknown>;
}

const auditEntry = new RowMapper<AuditLogRow, AuditEntryRecord>((r) => ({
  id: r.id,
  at: r.at,
  category: r.category,
  action: r.action,
  outcome: r.outcome,
  status: r.status,
  reason: r.reason,
  actor: { kind: r.actor_kind, id: r.actor_id, name: r.actor_name, role: r.actor_role, agencyId: r.actor_agency_id, areaId: r.actor_area_id },
  sessionId: r.session_id,
  target: r.target_type || r.target_id ? { type: r.target_type, id: r.target_id } : null,
  method: r.method,
  path: r.path,
  requestId: r.request_id,
  clientAddress: r.client_address,
  details: r.details,
}));

/**
 * The INSERT of one audit entry, its values appended to `params`: to write the entry in the same
 * statement as the change it records (one round trip less).
 */
export function auditInsert(e: NewAuditEntry, params: unknown[]): string {
  const values = [
    e.at, e.category, e.action, e.outcome, e.status, e.reason, e.actor.kind, e.actor.id, e.actor.name, e.actor.role, e.actor.agencyId,
    e.actor.areaId, e.sessionId, e.target?.type ?? null, e.target?.id ?? null, e.method, e.path, e.requestId, e.clientAddress,
    JSON.stringify(e.details),
  ];
  return `INSERT INTO audit_log (at, category, action, outcome, status, reason, actor_kind, actor_id, actor_name, actor_role, actor_agency_id,
                              actor_area_id, session_id, target_type, target_id, method, path, request_id, client_address, details)
       VALUES (${values.map((v) => `$${params.push(v)}`).join(', ')})`;
}

/** The audit log: insert and read, never change (a trigger refuses UPDATE, DELETE and TRUNCATE). */
export class AuditRepository {
  async insert(sql: Sql, e: NewAuditEntry): Promise<string> {
    const params: unknown[] = [];
    const row = await sql.one<{ id: string }>(`${auditInsert(e, params)} RETURNING id`, params);
    return row!.id;
  }

  /** Newest first, keyset-paged on the entry id. Every filter is a bound parameter. */
  async list(sql: Sql, f: AuditFilters, page: { limit: number; cursor?: string }): Promise<Page<AuditEntryRecord>> {
    const params = new Params();
    const where: string[] = ['TRUE'];
    if (f.category) where.push(`category = ${params.add(f.category)}`);
    if (f.action) where.push(`action = ${params.add(f.action)}`);
    if (f.outcome) where.push(`outcome = ${params.add(f.outcome)}`);
    if (f.actorKind) where.push(`actor_kind = ${params.add(f.actorKind)}`);
    if (f.actorId) where.push(`actor_id = ${params.add(f.actorId)}`);
    if (f.actorRole) where.push(`actor_role = ${params.add(f.actorRole)}`);
    if (f.agencyId) where.push(`actor_agency_id = ${params.add(f.agencyId)}`);
    if (f.targetType) where.push(`target_type = ${params.add(f.targetType)}`);
    if (f.targetId) where.push(`target_id = ${params.add(f.targetId)}`);
    if (f.requestId) where.push(`request_id = ${params.add(f.requestId)}`);
    if (f.clientAddress) where.push(`client_address = ${params.add(f.clientAddress)}`);
    if (f.from) where.push(`at >= ${params.add(f.from)}`);
    if (f.to) where.push(`at < ${params.add(f.to)}`);
    if (page.cursor) {
      const after = decodeCursor(page.cursor, ['id']);
      if (!/^\d{1,19}$/.test(after.id)) throw DomainError.invalidInput('cursor', 'cursor is not one this API issued; start again without it');
      where.push(`id < ${params.add(after.id)}`);
    }
    const rows = await auditEntry.all(
      sql,
      `SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${params.add(page.limit + 1)}`,
      params.values,
    );
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ id: last.id }) : null };
  }

  /**
   * Times of the latest failed sign-ins from an address or for a username (newest first), for rate
   * limiting. Successes never count (a shared workstation signs in a whole shift), nor a password
   * step that asked for the second factor, nor attempts refused by the limit itself (Retry-After stays true).
   */
  async recentLogonAttempts(sql: Sql, by: { clientAddress: string } | { username: string }, since: Date, limit: number): Promise<Date[]> {
    const [column, value] = 'clientAddress' in by ? ['client_address', by.clientAddress] : ['lower(actor_name)', by.username.toLowerCase()];
    const rows = await sql.query<{ at: Date }>(
      `SELECT at FROM audit_log
       WHERE action = 'auth.login' AND ${column} = $1 AND at > $2 AND outcome = 'failure'
         AND reason NOT IN ('rate_limited', 'second_factor_required')
       ORDER BY at DESC LIMIT $3`,
      [value, since, limit],
    );
    return rows.map((r) => r.at);
  }

  /** Failed proofs of identity (wrong password or code) by an account from an instant on: what locks it. */
  async countBadCredentials(sql: Sql, userId: string, since: Date): Promise<number> {
    const row = await sql.one<{ n: string }>(`SELECT count(*) AS n FROM audit_log WHERE reason = 'bad_credentials' AND actor_id = $1 AND at >= $2`, [userId, since]);
    return Number(row?.n ?? 0);
  }
}

