import { Injectable } from '@nestjs/common';
import { currentLodging, decideClaim, DomainError, QueueClaimCommand, QueueName, replay } from '@app/domain';
import {
  Database, DetainerWriteRepository, detainerVisibleIn, Params, QueueClaimRecord, QueueItemRecord, QueueRepository, Sql, UserRepository,
} from '@app/persistence';
import { Clock } from '../clock';
import { actorOf, detainerScopeOf, Principal } from '../principal';
import { queueNamed } from './queue-queries';

/** A claim request as it arrives over the API. */
export type ClaimRequest =
  | { type: 'claim' }
  | { type: 'assign'; assigneeId: string; expectedHolderId?: string | null }
  | { type: 'release_claim' };

export interface ClaimResult {
  queue: QueueName;
  detainerId: string;
  /** Who holds the item now (null: nobody). */
  claim: QueueClaimRecord | null;
  /** The item as the queue shows it, or null when the detainer is no longer in the queue. */
  item: QueueItemRecord | null;
  /** Zone of the facility holding the person, for local times. */
  timeZone: string;
}

/**
 * Claim, assign or release a queue item: in one transaction, lock the detainer (every claim of it
 * takes turns, and a lifecycle change cannot slip between the queue check and the claim), check the
 * item is in the queue now (claim and assign), decide on the latest claim, and append the outcome
 * to the claim history. Two claimants race for the row lock; the second one then sees the first
 * one's claim and gets a 409. The detainer's own events and version are left alone.
 */
@Injectable()
export class ClaimQueueItem {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly writes: DetainerWriteRepository,
    private readonly queues: QueueRepository,
    private readonly users: UserRepository,
  ) {}

  async execute(principal: Principal, queueName: string, detainerId: string, request: ClaimRequest, opts: { requestId: string | null }): Promise<ClaimResult> {
    const queue = queueNamed(queueName);
    const scope = detainerScopeOf(principal);
    return this.db.transaction(async (sql) => {
      if (!(await this.visible(sql, principal, detainerId))) throw notFound();
      const stream = await this.writes.loadStream(sql, detainerId);
      if (!stream || stream.events.length === 0) throw notFound();
      const state = replay(stream.events);
      const now = this.clock.now();
      const query = { queue, scope, filters: {}, now };

      if (request.type !== 'release_claim' && !(await this.queues.findItem(sql, query, detainerId))) {
        throw new DomainError('conflict', `This detainer is not in the ${queue} queue (any more): there is nothing to ${request.type}.`, { queue, detainerId });
      }
      const command = await this.toCommand(sql, queue, request);
      const latest = await this.queues.latestClaim(sql, detainerId, queue);
      const decision = decideClaim(state, latest, command, { now, actor: actorOf(principal) });
      if (!decision.ok) throw await this.named(sql, decision.error);

      await this.queues.appendClaimEvents(sql, detainerId, stream.events.length, decision.events, opts.requestId);
      const current = currentLodging(state);
      const seq = current.seq;
      return {
        queue,
        detainerId,
        timeZone: current.place.timeZone,
        claim: await this.queues.findClaim(sql, detainerId, queue, seq),
        item: await this.queues.findItem(sql, query, detainerId),
      };
    });
  }

  private async visible(sql: Sql, principal: Principal, detainerId: string): Promise<boolean> {
    const params = new Params();
    const id = params.add(detainerId);
    const row = await sql.one(`SELECT 1 FROM detainers d WHERE d.id = ${id} AND ${detainerVisibleIn(detainerScopeOf(principal), params)}`, params.values);
    return row !== null;
  }

  private async toCommand(sql: Sql, queue: QueueName, request: ClaimRequest): Promise<QueueClaimCommand> {
    switch (request.type) {
      case 'claim':
        return { type: 'claim', queue };
      case 'release_claim':
        return { type: 'release_claim', queue };
      case 'assign': {
        const user = await this.users.findById(sql, request.assigneeId);
        if (!user) throw DomainError.invalidInput('assigneeId', 'No user has this id.');
        return {
          type: 'assign',
          queue,
          assignee: { id: user.id, role: user.role, areaId: user.areaId },
          ...(request.expectedHolderId !== undefined && { expectedHolderId: request.expectedHolderId }),
        };
      }
      default: {
        const never: never = request;
        return never;
      }
    }
  }

  /** Puts the holder's username into a "held by someone else" refusal. */
  private async named(sql: Sql, error: DomainError): Promise<DomainError> {
    const details = error.details as Record<string, unknown> | undefined;
    const holderId = details && !Array.isArray(details) && typeof details.holderId === 'string' ? details.holderId : null;
    if (error.code !== 'conflict' || holderId === null) return error;
    const holder = await this.users.findById(sql, holderId);
    if (!holder) return error;
    return new DomainError('conflict', error.message.replace(/^This item is already claimed/, `This item is already claimed by ${holder.username}`), {
      ...details,
      holderUsername: holder.username,
    });
  }
}

const notFound = () => new DomainError('not_found', 'No detainer with this id.');
