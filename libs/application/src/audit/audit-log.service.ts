import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AuditEntryRecord, AuditFilters, AuditRepository, CommitParticipant, currentCommitParticipant, Database, isConnectionFailure, NewAuditEntry, NO_SCOPE, Page, Sql,
  withCommitParticipant, withDatabaseScope,
} from '@app/persistence';
import { AuditSpool } from './audit-spool';
import { Principal } from '../principal';
import { SECURITY_CLOCK, SecurityClock } from '../security-clock';

export type AuditEntryInput = Omit<NewAuditEntry, 'at'> & { at?: Date };

/**
 * The audit context of one request. A request that may change something joins every transaction it
 * commits: its entry is written inside the first one, so a change and its audit entry commit together
 * or not at all. Whoever handles the request (an interceptor, an exception filter) writes the entry
 * when no transaction did; services that audit in more detail themselves (sign-in) say so.
 */
export class RequestAudit implements CommitParticipant {
  private committedEntry = false;
  private handled = false;

  constructor(
    private readonly writeInTransaction: ((sql: Sql, result: unknown) => Promise<void>) | null,
  ) {}

  async beforeCommit(sql: Sql, result: unknown): Promise<void> {
    if (this.committedEntry || this.handled || !this.writeInTransaction) return;
    await this.writeInTransaction(sql, result);
    this.committedEntry = true;
  }

  /** A service recorded this request's entries itself; nothing more to write. */
  markHandled(): void {
    this.handled = true;
  }

  get isHandled(): boolean {
    return this.handled;
  }

  /** True once a transaction has written (and, unless it then failed, committed) the success entry. */
  get wroteInTransaction(): boolean {
    return this.committedEntry;
  }
}

/** The audit log has no row-level security: its reads and lone writes need no scope, so no transaction (one round trip). */
function outsideScope<T>(work: () => Promise<T>): Promise<T> {
  return withDatabaseScope(NO_SCOPE, work);
}

/** Who a principal is, as the audit log records it. */
export function auditActorOf(p: Principal | null | undefined): NewAuditEntry['actor'] {
  if (!p) return { kind: 'anonymous', id: null, name: null, role: null, agencyId: null, areaId: null };
  return { kind: p.kind, id: p.id, name: p.name, role: p.role, agencyId: p.agencyId, areaId: p.areaId };
}

/**
 * PostgreSQL text and jsonb cannot hold NUL: a request carrying one must still be audited, so
 * NUL becomes U+FFFD in every string of the entry.
 */
function storable(entry: NewAuditEntry): NewAuditEntry {
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
    if (Array.isArray(value)) return value.map(clean);
    if (value && typeof value === 'object' && !(value instanceof Date)) {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [clean(k) as string, clean(v)]));
    }
    return value;
  };
  return clean(entry) as NewAuditEntry;
}

@Injectable()
export class AuditLog {
  private readonly logger = new Logger('AuditLog');

  constructor(
    private readonly db: Database,
    private readonly entries: AuditRepository,
    @Inject(SECURITY_CLOCK) private readonly clock: SecurityClock,
    private readonly spool: AuditSpool,
  ) {}

  /**
   * Appends an entry, inside `sql`'s transaction when given. Timestamps are UTC from the security
   * clock (ms precision). On its own (a failure, a read), an entry the database cannot take because
   * it is unavailable goes to the local spool, written later in order: the id is then null.
   */
  async record(entry: AuditEntryInput, sql?: Sql): Promise<string | null> {
    const full = this.entryOf(entry);
    if (sql) return this.entries.insert(sql, full);
    try {
      return await outsideScope(() => this.db.read((s) => this.entries.insert(s, full)));
    } catch (error) {
      if (!isConnectionFailure(error)) throw error;
      this.spool.append(full);
      this.logger.warn({ err: (error as Error).message, action: full.action, outcome: full.outcome }, 'database unavailable: audit entry spooled, to be written when it is back');
      return null;
    }
  }

  /** The entry as `record` stores it (UTC from the security clock, no NUL): for a repository that writes it in the statement of its change. */
  entryOf(entry: AuditEntryInput): NewAuditEntry {
    return storable({ ...entry, at: entry.at ?? this.clock.now() });
  }

  hasSpooled(): boolean {
    return this.spool.hasPending();
  }

  /** Writes spooled entries, in the order they were spooled (one transaction per spool file); they join the hash chain like any entry. */
  replaySpool(): Promise<number> {
    return this.spool.replay((entries) =>
      outsideScope(() =>
        this.db.transaction(async (sql) => {
          for (const e of entries) await this.entries.insert(sql, e);
        }),
      ),
    );
  }

  list(filters: AuditFilters, page: { limit: number; cursor?: string }): Promise<Page<AuditEntryRecord>> {
    return outsideScope(() => this.db.read((sql) => this.entries.list(sql, filters, page)));
  }

  /** Runs a request's work with its audit context (see RequestAudit). */
  runForRequest<T>(context: RequestAudit, work: () => T): T {
    return withCommitParticipant(context, work);
  }

  currentRequest(): RequestAudit | undefined {
    const participant = currentCommitParticipant();
    return participant instanceof RequestAudit ? participant : undefined;
  }
}
