import { Injectable } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { DeliveryInProgressError, PermanentDeliveryError, SendDelivery } from '@app/application';
import { JobHandler, JobPayloads } from '@app/queue';

/** One e-mail or webhook attempt. Errors reach BullMQ (retry with backoff); permanent ones must not retry. */
@Injectable()
export class DeliverySendProcessor implements JobHandler<'delivery.send'> {
  readonly jobName = 'delivery.send' as const;

  constructor(private readonly send: SendDelivery) {}

  async handle(payload: JobPayloads['delivery.send'], job: Job<JobPayloads['delivery.send'], unknown, 'delivery.send'>): Promise<void> {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    try {
      await this.send.execute(payload.deliveryId, payload.version, { finalAttempt });
    } catch (error) {
      // Rethrown, never swallowed: the delivery is already recorded failed, and BullMQ must not retry it.
      if (error instanceof PermanentDeliveryError) throw new UnrecoverableError(error.message);
      // Another runner holds the delivery (this job stalled and was handed on while the first still ran, or
      // the first died mid-send): come back when its lease ends, without spending an attempt.
      if (error instanceof DeliveryInProgressError) {
        await job.moveToDelayed(Math.max(Date.now(), error.until.getTime()) + 100, job.token);
        throw new DelayedError();
      }
      throw error;
    }
  }
}
