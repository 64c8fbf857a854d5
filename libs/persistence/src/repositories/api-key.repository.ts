import { decodeCursor, encodeCursor, Page } from '../paging';
import { Params } from '../scope';
import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';

export interface ApiKeyRecord {
  id: string;
  agencyId: string;
  label: string;
  keyPrefix: string;
  createdAt: Date;
  createdBy: string | null;
  revokedAt: Date | null;
  revokedBy: string | null;
  lastUsedAt: Date | null;
}

/** A row of api_keys (its key_hash is never read back). */
interface ApiKeyRow {
  id: string;
  agency_id: string;
  label: string;
  key_prefix: string;
  created_at: Date;
  created_by: string | null;
  revoked_at: Date | null;
  revoked_by: string | null;
  last_used_at: Date | null;
}

const toRecord = new RowMapper<ApiKeyRow, ApiKeyRecord>((r) => ({
  id: r.id,
  agencyId: r.agency_id,
  label: r.label,
  keyPrefix: r.key_prefix,
  createdAt: r.created_at,
  createdBy: r.created_by ?? null,
  revokedAt: r.revoked_at ?? null,
  revokedBy: r.revoked_by ?? null,
  lastUsedAt: r.last_used_at ?? null,
}));

/** API keys of agency systems. Only a SHA-256 of each key is stored. */
export class ApiKeyRepository {
  async insert(sql: Sql, k: { agencyId: string; label: string; keyPrefix: string; keyHash: Buffer; at: Date; createdBy: string | null }): Promise<ApiKeyRecord> {
    const r = await toRecord.one(
      sql,
      `INSERT INTO api_keys (agency_id, label, key_prefix, key_hash, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [k.agencyId, k.label, k.keyPrefix, k.keyHash, k.at, k.createdBy],
    );
    return r!;
  }

  async findByHash(sql: Sql, keyHash: Buffer): Promise<ApiKeyRecord | null> {
    return toRecord.one(sql, 'SELECT * FROM api_keys WHERE key_hash = $1', [keyHash]);
  }

  async findById(sql: Sql, id: string): Promise<ApiKeyRecord | null> {
    return toRecord.one(sql, 'SELECT * FROM api_keys WHERE id = $1', [id]);
  }

  async list(sql: Sql, f: { agencyId?: string; includeRevoked?: boolean }, page: { limit: number; cursor?: string }): Promise<Page<ApiKeyRecord>> {
    const params = new Params();
    const where = ['TRUE'];
    if (f.agencyId) where.push(`agency_id = ${params.add(f.agencyId)}`);
    if (!f.includeRevoked) where.push('revoked_at IS NULL');
    if (page.cursor) {
      const after = decodeCursor(page.cursor, ['createdAt', 'id']);
      where.push(`(created_at, id) < (${params.add(new Date(after.createdAt))}, ${params.add(after.id)})`);
    }
    const rows = await toRecord.all(sql, `SELECT * FROM api_keys WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ${params.add(page.limit + 1)}`, params.values);
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null };
  }

  /** Revokes a key that is still live; null when unknown or already revoked. */
  async revoke(sql: Sql, id: string, at: Date, by: string | null): Promise<ApiKeyRecord | null> {
    return toRecord.one(sql, 'UPDATE api_keys SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL RETURNING *', [id, at, by]);
  }

  async touch(sql: Sql, id: string, at: Date): Promise<void> {
    await sql.execute('UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)', [id, at]);
  }
}
