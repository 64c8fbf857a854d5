import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { Database, DeliveryRecord, DeliveryRepository, NewDelivery, NotificationRepository, RecipientRepository, ReminderRepository, WebhookRepository } from '@app/persistence';
import { JobProducer } from '@app/queue';
import { Clock } from '../clock';
import { Mailer } from './channels';
import { deliveryJob, reminderJob, withTimeout } from './reminder-jobs';
import { renderReminder } from './reminder-message';

export type FireOutcome =
  | { outcome: 'fired'; inbox: number; external: number }
  | { outcome: 'stale'; reason: string }
  /** The job came before the reminder's time (clocks apart): put back, under a new job version, for the rest of the delay. */
  | { outcome: 'early'; dueAt: Date };

/** Tolerated gap between the job's time and the reminder's (clocks of different hosts). */
const EARLY_TOLERANCE_MS = 2000;

/**
 * A reminder's time has come. In one transaction, with the reminder row locked: the in-app inbox
 * notifications are written (delivered), e-mail and webhook deliveries are recorded as pending (one
 * per reminder, channel and recipient, unique), and the reminder is marked fired. A second run of
 * the same job (BullMQ is at-least-once) finds it fired and does nothing.
 */
@Injectable()
export class FireReminder {
  private readonly logger = new Logger('FireReminder');

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly reminders: ReminderRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly notifications: NotificationRepository,
    private readonly recipients: RecipientRepository,
    private readonly webhooks: WebhookRepository,
    private readonly mailer: Mailer,
    private readonly producer: JobProducer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(reminderId: string, version: number): Promise<FireOutcome> {
    return this.db.transaction(async (sql) => {
      const reminder = await this.reminders.lock(sql, reminderId);
      if (!reminder) return { outcome: 'stale', reason: 'no such reminder' };
      if (reminder.status !== 'pending') return { outcome: 'stale', reason: `reminder is ${reminder.status}` };
      if (reminder.jobVersion !== version) return { outcome: 'stale', reason: `job version ${version}, reminder at ${reminder.jobVersion}` };
      if (reminder.dueAt.getTime() > this.clock.now().getTime() + EARLY_TOLERANCE_MS) {
        const next = await this.reminders.bumpJobVersion(sql, reminder.id);
        if (next !== null) sql.afterCommit(() => this.producer.add(reminderJob({ id: reminder.id, jobVersion: next, dueAt: reminder.dueAt })).catch(() => undefined));
        return { outcome: 'early', dueAt: reminder.dueAt };
      }

      const context = await this.recipients.context(sql, reminder.detainerId, reminder.lodgingSeq);
      if (!context) throw new Error(`reminder ${reminder.id}: detainer ${reminder.detainerId} lodging ${reminder.lodgingSeq} not found`);
      const message = renderReminder(reminder, context, this.config.publicUrl);
      const users = await this.recipients.usersFor(sql, reminder.audience, reminder);
      const now = this.clock.now();

      const inbox = await this.deliveries.insertMissing(sql, reminder.id, users.map((u) => ({ channel: 'inbox', recipient: u.userId, address: null })), now, 'sent');
      for (const d of inbox) {
        await this.notifications.insert(
          sql,
          {
            userId: d.recipient, deliveryId: d.id, reminderId: reminder.id, detainerId: reminder.detainerId, kind: reminder.kind,
            title: message.title, body: message.text, link: message.link, anchorAt: reminder.anchorAt, timeZone: reminder.timeZone,
          },
          now,
        );
      }

      const external: NewDelivery[] = [];
      if (this.mailer.enabled) {
        for (const u of users) if (u.email) external.push({ channel: 'email', recipient: u.userId, address: u.email });
      }
      if (reminder.audience === 'agency') {
        for (const hook of await this.webhooks.activeFor(sql, reminder.agencyId, `reminder.${reminder.kind}`)) {
          external.push({ channel: 'webhook', recipient: hook.id, address: hook.url });
        }
      }
      const pending = await this.deliveries.insertMissing(sql, reminder.id, external, now, 'pending');
      await this.reminders.markFired(sql, reminder.id, now);
      sql.afterCommit(() => this.enqueue(pending));
      return { outcome: 'fired', inbox: inbox.length, external: pending.length };
    });
  }

  private async enqueue(pending: DeliveryRecord[]): Promise<void> {
    if (pending.length === 0) return;
    try {
      await withTimeout(this.producer.addBulk(pending.map((d) => deliveryJob(d, this.config.reminders))), 5000, 'queueing deliveries');
    } catch (error) {
      this.logger.warn({ err: (error as Error).message, deliveries: pending.map((d) => d.id) }, 'deliveries recorded but not queued; the reconciler will queue them');
    }
  }
}
