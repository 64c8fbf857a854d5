import { Injectable, Logger } from '@nestjs/common';
import { Database, IdempotencyRepository } from '@app/persistence';
import { Clock } from '../clock';
import { IDEMPOTENCY_KEY_HOURS } from './idempotent-requests';

/** Keys deleted per transaction: each batch holds its row locks only briefly. */
export const PURGE_BATCH = 1_000;

/**
 * Deletes the Idempotency-Keys that have expired by the service clock (claimed IDEMPOTENCY_KEY_HOURS
 * or more ago, as IdempotentRequests has it), one bounded batch per transaction until none is left.
 * An expired key is claimed anew whether or not it was purged: this only keeps the table small.
 */
@Injectable()
export class PurgeExpiredIdempotencyKeys {
  private readonly logger = new Logger('PurgeExpiredIdempotencyKeys');

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly keys: IdempotencyRepository,
  ) {}

  /** Returns how many keys went. */
  async execute(): Promise<number> {
    // One cutoff for the whole run, so it ends even while new keys expire.
    const expiredAt = new Date(this.clock.now().getTime() - IDEMPOTENCY_KEY_HOURS * 3_600_000);
    let purged = 0;
    for (;;) {
      const deleted = await this.db.transaction((sql) => this.keys.purgeExpired(sql, expiredAt, PURGE_BATCH));
      purged += deleted;
      if (deleted < PURGE_BATCH) break;
    }
    if (purged > 0) this.logger.log({ purged, expiredAt: expiredAt.toISOString() }, 'expired idempotency keys purged');
    return purged;
  }
}
