import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';

export type IdempotencyClaim =
  | { kind: 'claimed' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'mismatch' }
  /** Another request with the key held it longer than CLAIM_WAIT. The transaction is aborted: the caller must end it. */
  | { kind: 'in_progress' };

export interface IdempotencyRequest {
  principal: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
}

/** A key's request as it was first made, and its stored response (the columns claimOrFind reads back). */
interface IdempotencyKeyRow {
  request_hash: string;
  method: string;
  path: string;
  response_status: number;
  response_body: unknown;
}

interface StoredRequest {
  requestHash: string;
  method: string;
  path: string;
  responseStatus: number;
  responseBody: unknown;
}

const storedRequest = new RowMapper<IdempotencyKeyRow, StoredRequest>((r) => ({
  requestHash: r.request_hash,
  method: r.method,
  path: r.path,
  responseStatus: r.response_status,
  responseBody: r.response_body,
}));

/** How long a request waits for another one with its key that is still in flight. */
const CLAIM_WAIT = '5s';
/** lock_not_available: lock_timeout expired. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Times come from the caller's clock, never the database's `now()`, so a test clock applies.
 *
 * Idempotency-Key storage (IETF draft semantics): the first request with a key claims it; the same
 * key and body later replays the stored response; another body is a mismatch (422).
 *
 * The claim is made in the transaction that creates the resource, and completed in it: a key is
 * committed only together with its result. A request that did not commit (rolled back, connection
 * dropped, database restarted) leaves no claim, so its retry proceeds at once; a concurrent request
 * with the same key waits on the uncommitted row (unique index) and then replays the first answer.
 */
export class IdempotencyRepository {
  /**
   * Inside the creating transaction, before its work. A request with the same key still in flight
   * holds the row: this waits for it, and then replays its answer, or claims the key if it did not
   * commit; still held after CLAIM_WAIT, it is `in_progress`. A key claimed `keepHours` or more
   * before `now` has expired: it is claimed anew, whatever it was used for.
   */
  async claim(sql: Sql, r: IdempotencyRequest, now: Date, keepHours: number): Promise<IdempotencyClaim> {
    const [{ previous }] = await sql.query<{ previous: string }>(`SELECT current_setting('lock_timeout') AS previous, set_config('lock_timeout', $1, true)`, [CLAIM_WAIT]);
    let claim: IdempotencyClaim;
    try {
      claim = await this.claimOrFind(sql, r, now, keepHours);
    } catch (error) {
      if (sqlStateOf(error) === LOCK_NOT_AVAILABLE) return { kind: 'in_progress' };
      throw error;
    }
    await sql.query(`SELECT set_config('lock_timeout', $1, true)`, [previous]);
    return claim;
  }

  private async claimOrFind(sql: Sql, r: IdempotencyRequest, now: Date, keepHours: number): Promise<IdempotencyClaim> {
    const inserted = await sql.execute(
      `INSERT INTO idempotency_keys (principal, key, method, path, request_hash, status, created_at)
       VALUES ($1, $2, $3, $4, $5, 'in_progress', $6) ON CONFLICT (principal, key) DO NOTHING`,
      [r.principal, r.key, r.method, r.path, r.requestHash, now],
    );
    if (inserted === 1) return { kind: 'claimed' };
    // Expired keys, and claims written before claims shared the create's transaction (only those can be
    // committed in progress), are taken over.
    const taken = await sql.execute(
      `UPDATE idempotency_keys SET created_at = $6, request_hash = $3, method = $4, path = $5, status = 'in_progress',
              response_status = NULL, response_body = NULL, completed_at = NULL
       WHERE principal = $1 AND key = $2 AND (status = 'in_progress' OR created_at <= $6::timestamptz - make_interval(hours => $7))`,
      [r.principal, r.key, r.requestHash, r.method, r.path, now, keepHours],
    );
    if (taken === 1) return { kind: 'claimed' };
    const existing = await storedRequest.one(
      sql,
      'SELECT request_hash, method, path, response_status, response_body FROM idempotency_keys WHERE principal = $1 AND key = $2',
      [r.principal, r.key],
    );
    if (!existing) return this.claimOrFind(sql, r, now, keepHours); // purged between our statements: try again
    if (existing.requestHash !== r.requestHash || existing.method !== r.method || existing.path !== r.path) return { kind: 'mismatch' };
    return { kind: 'replay', status: existing.responseStatus, body: existing.responseBody };
  }

  /** Called inside the transaction that creates the resource, so the response is stored exactly when it commits. */
  async complete(sql: Sql, principal: string, key: string, status: number, body: unknown, now: Date): Promise<void> {
    await sql.execute(
      `UPDATE idempotency_keys SET status = 'completed', response_status = $3, response_body = $4, completed_at = $5
       WHERE principal = $1 AND key = $2`,
      [principal, key, status, JSON.stringify(body), now],
    );
  }

  /**
   * Deletes at most `limit` keys claimed at or before `expiredAt` (the caller's clock, so a test clock
   * applies): expired, as claim has it. A key a request holds at the moment (taking it over) is
   * skipped, not waited for; the next run takes it if it is still expired. Returns how many went.
   */
  async purgeExpired(sql: Sql, expiredAt: Date, limit: number): Promise<number> {
    return sql.execute(
      `DELETE FROM idempotency_keys k
       USING (SELECT principal, key FROM idempotency_keys WHERE created_at <= $1 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED) expired
       WHERE k.principal = expired.principal AND k.key = expired.key`,
      [expiredAt, limit],
    );
  }
}

/** The SQLSTATE of a failed statement (pg's error, or TypeORM's wrapping of it). */
function sqlStateOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' ? code : undefined;
}
