import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { decideRecordDispute, DetainerState, DomainError, evolve, RecordCorrectionKind, RecordDisputeCommand, replay } from '@app/domain';
import { Database, DetainerReadRepository, DetainerWriteRepository, Page, RecordDisputeRecord, RecordDisputeRepository, Sql } from '@app/persistence';
import { Clock } from '../clock';
import { DETAINER_CHANGE_SUBSCRIBERS, DetainerChangeSubscriber } from '../detainers/detainer-change';
import { actorOf, detainerScopeOf, Principal } from '../principal';

/**
 * An agency disputes a record about it; a supervisor of the area upholds (correcting the record
 * through new events) or rejects it. Written like every detainer change: decide, append events,
 * compare-and-set the projection, subscribers (report weeks to re-roll), one transaction.
 */
@Injectable()
export class RecordDisputes {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly writes: DetainerWriteRepository,
    private readonly reads: DetainerReadRepository,
    private readonly disputes: RecordDisputeRepository,
    @Inject(DETAINER_CHANGE_SUBSCRIBERS) private readonly subscribers: DetainerChangeSubscriber[],
  ) {}

  async open(principal: Principal, detainerId: string, input: { reason: string; reasonPublic?: boolean; lodging?: number }, requestId: string | null): Promise<RecordDisputeRecord> {
    const disputeId = randomUUID();
    await this.change(principal, detainerId, { type: 'dispute_record', disputeId, reason: input.reason, reasonPublic: input.reasonPublic === true, ...(input.lodging !== undefined && { lodging: input.lodging }) }, requestId);
    return this.get(principal, disputeId);
  }

  async resolve(
    principal: Principal,
    disputeId: string,
    input: { decision: 'upheld' | 'rejected'; note: string; notePublic?: boolean; correction?: RecordCorrectionKind },
    requestId: string | null,
  ): Promise<RecordDisputeRecord> {
    const visible = await this.db.read((sql) => this.disputes.find(sql, disputeId, detainerScopeOf(principal)));
    if (!visible) throw new DomainError('not_found', 'No dispute with this id.');
    const command: RecordDisputeCommand = {
      type: 'resolve_record_dispute', disputeId, decision: input.decision, note: input.note, notePublic: input.notePublic === true, ...(input.correction !== undefined && { correction: input.correction }),
    };
    await this.change(principal, visible.detainerId, command, requestId);
    return this.get(principal, disputeId);
  }

  async get(principal: Principal, disputeId: string): Promise<RecordDisputeRecord> {
    const found = await this.db.read((sql) => this.disputes.find(sql, disputeId, detainerScopeOf(principal)));
    if (!found) throw new DomainError('not_found', 'No dispute with this id.');
    return found;
  }

  list(principal: Principal, filter: { status?: string; detainerId?: string }, page: { limit: number; cursor?: string }): Promise<Page<RecordDisputeRecord>> {
    return this.db.read((sql) => this.disputes.list(sql, filter, detainerScopeOf(principal), page));
  }

  private async change(principal: Principal, detainerId: string, command: RecordDisputeCommand, requestId: string | null): Promise<void> {
    await this.db.transaction(async (sql: Sql) => {
      const visible = await this.reads.findOne(sql, detainerId, { scope: detainerScopeOf(principal), includeIdentity: false, withEvents: false });
      if (!visible) throw new DomainError('not_found', 'No detainer with this id.');
      const stream = await this.writes.loadStream(sql, detainerId);
      if (!stream || stream.events.length === 0) throw new DomainError('not_found', 'No detainer with this id.');
      const state = replay(stream.events);
      const now = this.clock.now();
      const decision = decideRecordDispute(state, command, { now, actor: actorOf(principal) });
      if (!decision.ok) throw decision.error;
      const next = decision.events.reduce<DetainerState>((s, e) => evolve(s, e), state);
      const applied = await this.writes.applyChange(sql, { version: state.version, eventCount: stream.events.length }, next, decision.events, now, requestId);
      if (!applied) throw new DomainError('version_conflict', 'Another change to this detainer was saved at the same moment. Try again.');
      await this.disputes.sync(sql, next);
      for (const s of this.subscribers) await s.onDetainerChanged(sql, { before: state, after: next, events: decision.events, now });
    });
  }
}
