import { Injectable, Logger } from '@nestjs/common';
import { FireReminder } from '@app/application';
import { JobHandler, JobPayloads } from '@app/queue';

/** A reminder's delayed job came due: fan it out (idempotent: a second run finds it fired). */
@Injectable()
export class ReminderFireProcessor implements JobHandler<'reminder.fire'> {
  readonly jobName = 'reminder.fire' as const;
  private readonly logger = new Logger('ReminderFire');

  constructor(private readonly fire: FireReminder) {}

  async handle(payload: JobPayloads['reminder.fire']): Promise<void> {
    const result = await this.fire.execute(payload.reminderId, payload.version);
    if (result.outcome === 'stale') this.logger.debug({ reminderId: payload.reminderId, reason: result.reason }, 'stale reminder job ignored');
    if (result.outcome === 'early') this.logger.warn({ reminderId: payload.reminderId, dueAt: result.dueAt }, 'reminder job came early (clock skew?); put back for the rest of its delay');
  }
}
