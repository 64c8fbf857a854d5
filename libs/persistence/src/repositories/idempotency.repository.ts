import { Sql } from '../sql';

export type IdempotencyClaim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'in_progress' }
  | { kind: 'mismatch' };

export interface IdempotencyRequest {
  principal: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
}

/** An in-progress claim older than this is taken to be from a crashed request and may be taken over. */
const ABANDONED_AFTER = '5 minutes';

/**
 * Idempotency-Key storage (IETF draft semantics): the first request with a key claims it; the same
 * key and body later replays the stored response; another body is a mismatch (422); a claim still
 * being worked on is reported (409).
 */
export class IdempotencyRepository {
  /** Runs outside the creating transaction so that a concurrent request sees the claim at once. */
  async claim(sql: Sql, r: IdempotencyRequest): Promise<IdempotencyClaim> {
    const inserted = await sql.execute(
      `INSERT INTO idempotency_keys (principal, key, method, path, request_hash, status)
       VALUES ($1, $2, $3, $4, $5, 'in_progress') ON CONFLICT (principal, key) DO NOTHING`,
      [r.principal, r.key, r.method, r.path, r.requestHash],
    );
    if (inserted === 1) return { kind: 'claimed' };
    const taken = await sql.execute(
      `UPDATE idempotency_keys SET created_at = now(), request_hash = $3, method = $4, path = $5
       WHERE principal = $1 AND key = $2 AND status = 'in_progress' AND created_at < now() - interval '${ABANDONED_AFTER}'`,
      [r.principal, r.key, r.requestHash, r.method, r.path],
    );
    if (taken === 1) return { kind: 'claimed' };
    const existing = await sql.one<{ request_hash: string; method: string; path: string; status: string; response_status: number | null; response_body: unknown }>(
      'SELECT request_hash, method, path, status, response_status, response_body FROM idempotency_keys WHERE principal = $1 AND key = $2',
      [r.principal, r.key],
    );
    if (!existing) return this.claim(sql, r); // released between our statements: try again
    if (existing.request_hash !== r.requestHash || existing.method !== r.method || existing.path !== r.path) return { kind: 'mismatch' };
    if (existing.status === 'in_progress' || existing.response_status === null) return { kind: 'in_progress' };
    return { kind: 'replay', status: existing.response_status, body: existing.response_body };
  }

  /** Called inside the transaction that creates the resource, so the response is stored exactly when it commits. */
  async complete(sql: Sql, principal: string, key: string, status: number, body: unknown): Promise<void> {
    await sql.execute(
      `UPDATE idempotency_keys SET status = 'completed', response_status = $3, response_body = $4, completed_at = now()
       WHERE principal = $1 AND key = $2`,
      [principal, key, status, JSON.stringify(body)],
    );
  }

  /** Frees a claim whose request failed, so that the client may retry with the same key. */
  async release(sql: Sql, principal: string, key: string): Promise<void> {
    await sql.execute(`DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2 AND status = 'in_progress'`, [principal, key]);
  }

  async purgeOlderThan(sql: Sql, hours: number): Promise<number> {
    return sql.execute(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [hours]);
  }
}
