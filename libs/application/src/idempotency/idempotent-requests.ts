import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/domain';
import { Database, IdempotencyRepository } from '@app/persistence';
import { Clock } from '../clock';
import { Principal, principalKey } from '../principal';

/** How long a key's first answer is kept and replayed (the contract's "at least 24 hours"). */
export const IDEMPOTENCY_KEY_HOURS = 24;

/** A request sent with an Idempotency-Key: who sent it, the key, and what it asked (method, path, body). */
export interface KeyedRequest {
  principal: Principal;
  key: string;
  method: string;
  path: string;
  body: unknown;
}

/** The answer to a keyed request, as it was first given: replayed as it is. */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

/**
 * Idempotency-Key semantics (IETF draft) for any create: the first request with a key runs; the same
 * key and body later gets the first answer again; the same key with another request is 422; while
 * the first is still in flight (longer than the claim waits for it), 409.
 *
 * The claim, the create and its stored answer are one unit of work (Database.unitOfWork): every
 * transaction the create opens joins it, so a create that did not commit leaves neither a resource
 * nor a claim (its retry proceeds at once), and a concurrent request with the same key waits on the
 * uncommitted claim, then replays the answer that committed with the resource.
 */
@Injectable()
export class IdempotentRequests {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly keys: IdempotencyRepository,
  ) {}

  async run(request: KeyedRequest, create: () => Promise<StoredAnswer>): Promise<StoredAnswer & { replayed: boolean }> {
    const claim = {
      principal: principalKey(request.principal),
      key: request.key,
      method: request.method,
      path: request.path,
      requestHash: createHash('sha256').update(canonicalJson(request.body)).digest('hex'),
    };
    const given: { answer?: StoredAnswer & { replayed: boolean } } = {};
    // The unit of work's result is the body alone: it is what the request's audit entry records.
    await this.db.unitOfWork(async (sql): Promise<unknown> => {
      const now = this.clock.now();
      const outcome = await this.keys.claim(sql, claim, now, IDEMPOTENCY_KEY_HOURS);
      if (outcome.kind === 'mismatch') throw new DomainError('idempotency_mismatch', 'This Idempotency-Key was already used with a different request body.');
      if (outcome.kind === 'in_progress') throw new DomainError('idempotency_in_progress', 'A request with this Idempotency-Key is still in progress; retry once it has finished.');
      if (outcome.kind === 'replay') {
        given.answer = { status: outcome.status, body: outcome.body, replayed: true };
        return outcome.body;
      }
      const created = await create();
      await this.keys.complete(sql, claim.principal, claim.key, created.status, created.body, now);
      given.answer = { ...created, replayed: false };
      return created.body;
    });
    if (!given.answer) throw new Error('an idempotent request committed without an answer');
    return given.answer;
  }
}

/** JSON with sorted keys, so that the same body in another key order hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
