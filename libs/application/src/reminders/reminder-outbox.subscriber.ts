import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { diffReminders, planReminders } from '@app/domain';
import { ReminderRecord, ReminderRepository, Sql } from '@app/persistence';
import { JOB_QUEUE, JobProducer, reminderJobId } from '@app/queue';
import { Clock } from '../clock';
import { DetainerChange, DetainerChangeSubscriber } from '../detainers/detainer-change';
import { reminderJob, withTimeout } from './reminder-jobs';

/**
 * The transactional outbox for reminders: in the transaction that records a detainer's events, the
 * desired reminders are diffed against the stored ones (a reschedule replaces, a final state
 * cancels). Only after the commit are jobs handed to Redis; if Redis is down then, nothing is lost:
 * the reconciler re-creates every pending reminder's job from the database.
 */
@Injectable()
export class ReminderOutbox implements DetainerChangeSubscriber {
  private readonly logger = new Logger('ReminderOutbox');

  constructor(
    private readonly reminders: ReminderRepository,
    private readonly clock: Clock,
    // Absent in processes without a queue (the demo seeder): the worker's start-up reconcile enqueues.
    @Optional() @Inject(JobProducer) private readonly producer: JobProducer | null,
  ) {}

  async onDetainerChanged(sql: Sql, change: DetainerChange): Promise<void> {
    const desired = planReminders(change.after, change.now);
    // a detainer this transaction creates has none stored yet
    const stored = change.before === null ? [] : await this.reminders.storedFor(sql, change.after.id);
    const diff = diffReminders(desired, stored);
    // Cancel first: at most one pending reminder per key (a partial unique index).
    const cancelled = await this.reminders.cancel(sql, diff.cancel, change.now);
    const inserted = await this.reminders.insert(sql, change.after.id, diff.insert, change.now);
    if (this.producer && (inserted.length > 0 || cancelled.length > 0)) {
      const producer = this.producer;
      sql.afterCommit(() => this.enqueue(producer, inserted, cancelled));
    }
  }

  private async enqueue(producer: JobProducer, inserted: ReminderRecord[], cancelled: ReminderRecord[]): Promise<void> {
    try {
      await withTimeout(
        (async () => {
          await producer.addBulk(inserted.map((r) => reminderJob(r)));
          // Stale jobs would be ignored when they fire (the row is no longer pending); removing them keeps Redis lean.
          for (const r of cancelled) await producer.remove(JOB_QUEUE['reminder.fire'], reminderJobId(r.id, r.jobVersion));
        })(),
        2000,
        'handing reminders to Redis',
      );
    } catch (error) {
      this.logger.warn(
        { err: (error as Error).message, reminders: inserted.map((r) => r.id) },
        'reminders saved but not queued (Redis unavailable?); the reconciler will queue them',
      );
    }
  }
}
