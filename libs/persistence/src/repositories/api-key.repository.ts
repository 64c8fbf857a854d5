import { decodeCursor, encodeCursor, Page } from '../paging';
import { Params } from '../scope';
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

type Row = Record<string, unknown>;
const toRecord = (r: Row): ApiKeyRecord => ({
  id: r.id as string,
  agencyId: r.agency_id as string,
  label: r.label as string,
  keyPrefix: r.key_prefix as string,
  createdAt: r.created_at as Date,
  createdBy: (r.created_by as string | null) ?? null,
  revokedAt: (r.revoked_at as Date | null) ?? null,
  revokedBy: (r.revoked_by as string | null) ?? null,
  lastUsedAt: (r.last_used_at as Date | null) ?? null,
});

/** API keys of agency systems. Only a SHA-256 of each key is stored. */
export class ApiKeyRepository {
  async insert(sql: Sql, k: { agencyId: string; label: string; keyPrefix: string; keyHash: Buffer; at: Date; createdBy: string | null }): Promise<ApiKeyRecord> {
    const r = await sql.one<Row>(
      `INSERT INTO api_keys (agency_id, label, key_prefix, key_hash, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [k.agencyId, k.label, k.keyPrefix, k.keyHash, k.at, k.createdBy],
    );
    return toRecord(r!);
  }

  async findByHash(sql: Sql, keyHash: Buffer): Promise<ApiKeyRecord | null> {
    const r = await sql.one<Row>('SELECT * FROM api_keys WHERE key_hash = $1', [keyHash]);
    return r ? toRecord(r) : null;
  }

  async findById(sql: Sql, id: string): Promise<ApiKeyRecord | null> {
    const r = await sql.one<Row>('SELECT * FROM api_keys WHERE id = $1', [id]);
    return r ? toRecord(r) : null;
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
    const rows = await sql.query<Row>(`SELECT * FROM api_keys WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ${params.add(page.limit + 1)}`, params.values);
    const items = rows.slice(0, page.limit).map(toRecord);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null };
  }

  /** Revokes a key that is still live; null when unknown or already revoked. */
  async revoke(sql: Sql, id: string, at: Date, by: string | null): Promise<ApiKeyRecord | null> {
    const r = await sql.one<Row>('UPDATE api_keys SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL RETURNING *', [id, at, by]);
    return r ? toRecord(r) : null;
  }

  async touch(sql: Sql, id: string, at: Date): Promise<void> {
    await sql.execute('UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)', [id, at]);
  }
}
