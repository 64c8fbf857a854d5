import { Injectable } from '@nestjs/common';
import { PurgeExpiredIdempotencyKeys } from '@app/application';
import { JobHandler } from '@app/queue';

/** Deletes expired Idempotency-Keys (by the service clock); a run that overlaps another skips the keys it holds. */
@Injectable()
export class IdempotencyPurgeProcessor implements JobHandler<'idempotency.purge'> {
  readonly jobName = 'idempotency.purge' as const;

  constructor(private readonly purge: PurgeExpiredIdempotencyKeys) {}

  async handle(): Promise<void> {
    await this.purge.execute();
  }
}
