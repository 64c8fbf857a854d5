import { Injectable } from '@nestjs/common';
import { DomainError, isQueueName, QueueName } from '@app/domain';
import { Database, Page, QueueFilters, QueueItemRecord, QueueRepository, QUEUES_AVAILABLE, QueueSummaryRecord } from '@app/persistence';
import { Clock } from '../clock';
import { detainerScopeOf, Principal } from '../principal';

/** A queue this build computes, or a 404 naming the ones it does. */
export function queueNamed(name: string): QueueName {
  if (isQueueName(name) && QUEUES_AVAILABLE.includes(name)) return name;
  if (isQueueName(name)) throw new DomainError('not_found', `The ${name} queue is not available in this build. Queues: ${QUEUES_AVAILABLE.join(', ')}.`);
  throw new DomainError('not_found', `No queue named '${name}'. Queues: ${QUEUES_AVAILABLE.join(', ')}.`);
}

/** The compliance queues as the caller may see them, as of the injected clock's `now`. */
@Injectable()
export class QueueQueries {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly queues: QueueRepository,
  ) {}

  summary(principal: Principal, filters: QueueFilters): Promise<QueueSummaryRecord[]> {
    const now = this.clock.now();
    // One snapshot for all counts, so that they agree with each other.
    return this.db.transaction((sql) => this.queues.summary(sql, { scope: detainerScopeOf(principal), filters, now }), 'REPEATABLE READ');
  }

  page(principal: Principal, name: string, filters: QueueFilters, page: { limit: number; cursor?: string }): Promise<Page<QueueItemRecord>> {
    const queue = queueNamed(name);
    const now = this.clock.now();
    // The keys and the rows behind them come from one snapshot.
    return this.db.transaction((sql) => this.queues.page(sql, { queue, scope: detainerScopeOf(principal), filters, now }, page), 'REPEATABLE READ');
  }
}
