import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, SESSION_TOUCH_INTERVAL_MS } from '@app/domain';
import { ApiKeyRecord, ApiKeyRepository, Database, Page, ReferenceRepository } from '@app/persistence';
import { Principal } from '../principal';
import { SECURITY_CLOCK, SecurityClock } from '../security-clock';
import { AuthenticationFailure } from './authentication-failure';

const KEY_PREFIX = 'dwk_';
const KEY_SHAPE = /^dwk_[A-Za-z0-9_-]{43}$/;
const KEY_INVALID = 'The API key is unknown or revoked.';

export interface CreatedApiKey extends ApiKeyRecord {
  /** The key itself: shown this once, stored only as a hash. */
  key: string;
}

/**
 * API keys of agency systems (jail management systems). Each is bound to one agency and acts as
 * that agency's jail staff. Keys carry 256 random bits, so a SHA-256 of the key is a safe
 * stored form (a slow password hash would only slow every request down).
 */
@Injectable()
export class ApiKeyService {
  constructor(
    private readonly db: Database,
    private readonly keys: ApiKeyRepository,
    private readonly refs: ReferenceRepository,
    @Inject(SECURITY_CLOCK) private readonly clock: SecurityClock,
  ) {}

  async create(admin: Principal, input: { agencyId: string; label: string }): Promise<CreatedApiKey> {
    const key = KEY_PREFIX + randomBytes(32).toString('base64url');
    return this.db.transaction(async (sql) => {
      if (!(await this.refs.findAgency(sql, input.agencyId))) throw DomainError.invalidInput('agencyId', 'No agency has this id.');
      const record = await this.keys.insert(sql, {
        agencyId: input.agencyId,
        label: input.label,
        keyPrefix: key.slice(0, 12),
        keyHash: hashKey(key),
        at: this.clock.now(),
        createdBy: admin.kind === 'user' ? admin.id : null,
      });
      return { ...record, key };
    });
  }

  list(filters: { agencyId?: string; includeRevoked?: boolean }, page: { limit: number; cursor?: string }): Promise<Page<ApiKeyRecord>> {
    return this.db.read((sql) => this.keys.list(sql, filters, page));
  }

  async get(id: string): Promise<ApiKeyRecord> {
    const record = await this.db.read((sql) => this.keys.findById(sql, id));
    if (!record) throw new DomainError('not_found', 'No API key with this id.');
    return record;
  }

  /** Revokes at once: the next request with the key is refused. Revoking twice is a 409. */
  async revoke(admin: Principal, id: string): Promise<ApiKeyRecord> {
    return this.db.transaction(async (sql) => {
      const existing = await this.keys.findById(sql, id);
      if (!existing) throw new DomainError('not_found', 'No API key with this id.');
      const revoked = await this.keys.revoke(sql, id, this.clock.now(), admin.kind === 'user' ? admin.id : null);
      if (!revoked) throw new DomainError('conflict', 'This API key was already revoked.');
      return revoked;
    });
  }

  /** The principal an `X-Api-Key` header stands for. */
  async authenticate(key: string): Promise<Principal> {
    const record = KEY_SHAPE.test(key) ? await this.db.read((sql) => this.keys.findByHash(sql, hashKey(key))) : null;
    if (!record) throw new AuthenticationFailure(KEY_INVALID, 'unknown_api_key', null);
    const principal = principalOf(record);
    if (record.revokedAt) {
      throw new AuthenticationFailure(KEY_INVALID, 'api_key_revoked', { kind: 'api_key', id: record.id, name: record.label, role: 'jail_staff', agencyId: record.agencyId, areaId: null });
    }
    const now = this.clock.now();
    if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() >= SESSION_TOUCH_INTERVAL_MS) {
      await this.db.read((sql) => this.keys.touch(sql, record.id, now));
    }
    return principal;
  }

  /** Without side effects: who a key names, for attributing a request refused before authentication. */
  async identify(key: string): Promise<Principal | null> {
    if (!KEY_SHAPE.test(key)) return null;
    const record = await this.db.read((sql) => this.keys.findByHash(sql, hashKey(key))).catch(() => null);
    return record ? principalOf(record) : null;
  }
}

function hashKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

function principalOf(record: ApiKeyRecord): Principal {
  return { kind: 'api_key', id: record.id, name: record.label, role: 'jail_staff', agencyId: record.agencyId, areaId: null };
}
