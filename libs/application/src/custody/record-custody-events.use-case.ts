import { Injectable } from '@nestjs/common';
import { CustodyEventInput, custodyActionOf, CustodyOutcome, DomainError, StoredCustodyOutcome } from '@app/domain';
import { CustodyEventRecord, CustodyEventRepository, Database, OpenLodgingMatch, ReferenceRepository, Sql, SYSTEM_SCOPE, withCommitParticipant, withDatabaseScope } from '@app/persistence';
import { AuditLog, auditActorOf } from '../audit/audit-log.service';
import { Clock } from '../clock';
import { Principal } from '../principal';
import { RecordDetainerAction } from '../detainers/record-detainer-action.use-case';
import { BookingAlerts } from './booking-alerts';

export interface CustodyEventResult {
  eventId: string;
  outcome: CustodyOutcome;
  detainerId?: string;
  /** Why a rejected event was refused: the error a person taking the same action would get. */
  error?: DomainError;
}

export interface CustodyBatchOptions {
  requestId: string | null;
  /** Decide every event as it would be applied, then roll each back: nothing is written. */
  preview?: boolean;
}

/** Thrown from inside a preview's transaction to roll it back once the action was decided. */
class PreviewRollback extends Error {
  constructor(readonly detainerId: string) {
    super('preview: rolled back');
  }
}

const PATH = '/api/v1/custody-events';
/**
 * Booking numbers applied at once within a batch, each its own transaction and connection: as many
 * as the pool holds, less two left for the request's own audit entry and other requests.
 */
const MAX_CONCURRENT_CHAINS = 16;
function concurrentChains(db: Database): number {
  const pool = (db.dataSource.options.extra as { max?: number } | undefined)?.max ?? 10;
  return Math.max(1, Math.min(MAX_CONCURRENT_CHAINS, pool - 2));
}

/**
 * Custody events from a jail management system. Each event is matched by booking number to the
 * open lodging at the sender agency's facilities and applied through RecordDetainerAction (the
 * use case and decider a person's action goes through), in its own transaction together with the
 * stored event and its audit entry. An event the agency sent before is a duplicate and changes
 * nothing; one matching no open lodging, or one the rules refuse, is stored with that outcome.
 */
@Injectable()
export class RecordCustodyEvents {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly events: CustodyEventRepository,
    private readonly references: ReferenceRepository,
    private readonly actions: RecordDetainerAction,
    private readonly audit: AuditLog,
    private readonly bookingAlerts: BookingAlerts,
  ) {}

  async execute(principal: Principal, batch: CustodyEventInput[], opts: CustodyBatchOptions): Promise<CustodyEventResult[]> {
    const agencyId = senderAgency(principal);
    const seen = await this.db.read((sql) => this.events.seen(sql, agencyId, batch.map((e) => e.eventId)));
    // The first time the batch names an eventId it is applied; a later one is its duplicate.
    const firsts = new Map<string, CustodyEventInput>();
    for (const e of batch) if (!seen.has(e.eventId) && !firsts.has(e.eventId)) firsts.set(e.eventId, e);
    // Events about one booking number apply in the order sent; different booking numbers are
    // different lodgings, so their chains run side by side.
    const chains = new Map<string, CustodyEventInput[]>();
    for (const e of firsts.values()) {
      const chain = chains.get(e.bookingNumber);
      if (chain) chain.push(e);
      else chains.set(e.bookingNumber, [e]);
    }
    // The open lodging each chain starts from, for the whole batch in one read. A later event of a
    // chain looks again: the one before may have closed that lodging or opened the next.
    const starts = [...chains.values()].map((chain) => chain[0]).filter((e) => e.facilityId === undefined);
    const opening = await this.db.read((sql) => this.events.findOpenLodgings(sql, agencyId, starts.map((e) => e.bookingNumber)));
    const outcomes = new Map<string, CustodyEventResult>();
    const queue = [...chains.values()];
    const worker = async () => {
      for (let chain = queue.shift(); chain; chain = queue.shift()) {
        for (const [i, e] of chain.entries()) {
          const known = i === 0 && e.facilityId === undefined ? { match: opening.get(e.bookingNumber) ?? null } : undefined;
          outcomes.set(e.eventId, await this.one(principal, agencyId, e, opts, known));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrentChains(this.db), queue.length) }, worker));
    const answered = new Set<string>();
    return batch.map((e) => {
      const first = outcomes.get(e.eventId);
      if (first && !answered.has(e.eventId)) {
        answered.add(e.eventId);
        return first;
      }
      return duplicateOf(e.eventId, seen.get(e.eventId) ?? first ?? {});
    });
  }

  /** What the agency sent as `eventId` and what became of it; null when it never sent it. */
  find(principal: Principal, eventId: string): Promise<CustodyEventRecord | null> {
    const agencyId = senderAgency(principal);
    return this.db.read((sql) => this.events.find(sql, agencyId, eventId));
  }

  /** `known`: the open lodging the event names, when it was already looked up for the batch. */
  private async one(
    principal: Principal,
    agencyId: string,
    event: CustodyEventInput,
    opts: CustodyBatchOptions,
    known?: { match: OpenLodgingMatch | null },
  ): Promise<CustodyEventResult> {
    let detainerId: string | undefined;
    try {
      const action = custodyActionOf(event);
      const match = known
        ? known.match
        : await this.db.read(async (sql) => {
            if (event.facilityId !== undefined) await this.assertOwnFacility(sql, agencyId, event.facilityId);
            return this.events.findOpenLodging(sql, agencyId, event.bookingNumber, event.facilityId);
          });
      if (!match) return await this.store(principal, agencyId, event, { outcome: 'no_open_detainer' }, opts);
      detainerId = match.detainerId;
      if (action.type === 'none') return await this.store(principal, agencyId, event, { outcome: 'applied', detainerId }, opts);

      const id = match.detainerId;
      const participant = {
        beforeCommit: async (sql: Sql) => {
          if (opts.preview) throw new PreviewRollback(id);
          const stored = await this.insert(sql, principal, agencyId, event, { outcome: 'applied', detainerId: id }, opts);
          // a concurrent batch stored the same eventId first: roll this one back, answer duplicate
          if (!stored) throw new DuplicateRace();
        },
      };
      // A person's concurrent change to the same detainer is not the event's fault: decide again on the new state.
      for (let attempt = 1; ; attempt += 1) {
        try {
          await withCommitParticipant(participant, () => this.actions.apply(principal, id, action, { requestId: opts.requestId }));
          break;
        } catch (error) {
          if (!(error instanceof DomainError && error.code === 'version_conflict' && attempt < 3)) throw error;
        }
      }
      return { eventId: event.eventId, outcome: 'applied', detainerId: id };
    } catch (error) {
      if (error instanceof PreviewRollback) return { eventId: event.eventId, outcome: 'applied', detainerId: error.detainerId };
      if (error instanceof DuplicateRace) return await this.duplicateAfterRace(agencyId, event.eventId);
      if (!(error instanceof DomainError)) throw error;
      // The detainer is named only when the sender may act on it (a 404 or 403 names nothing).
      const named = detainerId !== undefined && error.code !== 'not_found' && error.code !== 'forbidden' ? { detainerId } : {};
      return await this.store(principal, agencyId, event, { outcome: 'rejected', error, ...named }, opts);
    }
  }

  private async assertOwnFacility(sql: Sql, agencyId: string, facilityId: string): Promise<void> {
    const place = await this.references.findPlace(sql, facilityId);
    if (!place || place.agencyId !== agencyId) throw DomainError.invalidInput('facilityId', 'No facility of your agency has this id.');
  }

  /** Stores an event that changes no detainer (in its own transaction, with its audit entry). */
  private async store(
    principal: Principal,
    agencyId: string,
    event: CustodyEventInput,
    result: { outcome: StoredCustodyOutcome; detainerId?: string; error?: DomainError },
    opts: CustodyBatchOptions,
  ): Promise<CustodyEventResult> {
    const answer: CustodyEventResult = { eventId: event.eventId, outcome: result.outcome, ...(result.detainerId && { detainerId: result.detainerId }), ...(result.error && { error: result.error }) };
    if (opts.preview) return answer;
    const alert = result.outcome !== 'rejected' && BookingAlerts.concerns(event);
    const work = () =>
      this.db.transaction(async (sql) => {
        const id = await this.insert(sql, principal, agencyId, event, result, opts);
        // a concurrent batch stored the same eventId first: roll back (with the audit entry written beside it)
        if (!id) throw new DuplicateRace();
        if (alert) await this.bookingAlerts.raise(sql, event, id, agencyId, this.clock.now());
        return id;
      });
    try {
      // An alert reads other agencies' requests: the system's scope, and nothing of it reaches the answer.
      await (alert ? withDatabaseScope(SYSTEM_SCOPE, work) : work());
    } catch (error) {
      if (error instanceof DuplicateRace) return this.duplicateAfterRace(agencyId, event.eventId);
      throw error;
    }
    return answer;
  }

  private async insert(
    sql: Sql,
    principal: Principal,
    agencyId: string,
    event: CustodyEventInput,
    result: { outcome: StoredCustodyOutcome; detainerId?: string; error?: DomainError },
    opts: CustodyBatchOptions,
  ): Promise<string | null> {
    const now = this.clock.now();
    // `applied` without a change (a booking) names the detainer it matched; a rejection names one only when the action was tried on it
    const detainerId = result.outcome === 'rejected' ? null : result.detainerId ?? null;
    const error = result.error ? { code: result.error.code, message: result.error.message, details: result.error.details ?? null } : null;
    const audit = this.audit.entryOf({
      at: now,
      category: 'change',
      action: `custody_event.${result.outcome}`,
      outcome: result.outcome === 'rejected' ? 'failure' : 'success',
      status: null,
      reason: result.error?.code ?? null,
      actor: auditActorOf(principal),
      sessionId: principal.session?.id ?? null,
      target: result.detainerId ? { type: 'detainer', id: result.detainerId } : null,
      method: 'POST',
      path: PATH,
      requestId: opts.requestId,
      clientAddress: null,
      details: { eventId: event.eventId, kind: event.kind, bookingNumber: event.bookingNumber, outcome: result.outcome, ...(error && { error: error.code }) },
    });
    // The stored event and its audit entry in one statement; when the eventId was already stored
    // (a concurrent batch), the entry was written too: the caller rolls the transaction back.
    return this.events.insert(
      sql,
      {
        agencyId,
        eventId: event.eventId,
        kind: event.kind,
        bookingNumber: event.bookingNumber,
        event: { ...event },
        outcome: result.outcome,
        detainerId: result.outcome === 'applied' ? detainerId : null,
        error,
        sender: { kind: principal.kind, id: principal.id },
        requestId: opts.requestId,
        receivedAt: now,
      },
      audit,
    );
  }

  private async duplicateAfterRace(agencyId: string, eventId: string): Promise<CustodyEventResult> {
    const first = await this.db.read((sql) => this.events.find(sql, agencyId, eventId));
    return first ? duplicateOf(eventId, first) : { eventId, outcome: 'duplicate' };
  }
}

class DuplicateRace extends Error {}

function duplicateOf(eventId: string, first: { detainerId?: string | null }): CustodyEventResult {
  return { eventId, outcome: 'duplicate', ...(first.detainerId ? { detainerId: first.detainerId } : {}) };
}

function senderAgency(principal: Principal): string {
  if (principal.role !== 'jail_staff' || !principal.agencyId) {
    throw new DomainError('forbidden', 'Custody events come from an agency: its system (API key) or its jail staff.');
  }
  return principal.agencyId;
}
