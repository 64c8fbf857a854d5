import { Injectable } from '@nestjs/common';
import { ReconcileReminders } from '@app/application';
import { JobHandler } from '@app/queue';

/** Rebuilds Redis from PostgreSQL (at start-up and every RECONCILE_EVERY_MS); idempotent, so overlapping runs are harmless. */
@Injectable()
export class RemindersReconcileProcessor implements JobHandler<'reminders.reconcile'> {
  readonly jobName = 'reminders.reconcile' as const;

  constructor(private readonly reconcile: ReconcileReminders) {}

  async handle(): Promise<void> {
    await this.reconcile.execute();
  }
}
