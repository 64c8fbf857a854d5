import { Injectable, Logger } from '@nestjs/common';
import { Database, ReminderRepository } from '@app/persistence';
import { Clock } from '../clock';
import { FireReminder } from './fire-reminder.use-case';

export interface OverdueReport {
  found: number;
  fired: number;
}

/** At most this many reminders per sweep: a backlog drains over a few sweeps instead of one long one. */
const BATCH = 200;

/**
 * PostgreSQL, not Redis, says what is due: reminders still pending `graceMs` after their time are
 * fired here, whatever Redis holds (flushed, restarted empty, down). Firing locks the row and checks
 * it is pending at that job version, so a BullMQ job for the same reminder arriving at the same
 * moment does nothing: still exactly once.
 */
@Injectable()
export class FireOverdueReminders {
  private readonly logger = new Logger('FireOverdueReminders');

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly reminders: ReminderRepository,
    private readonly fire: FireReminder,
  ) {}

  /**
   * Runs `work` if no other worker is sweeping (a PostgreSQL advisory lock held for its duration, so
   * it goes with the connection if this process dies); undefined when another one is.
   */
  async asSoleSweeper<T>(work: () => Promise<T>): Promise<T | undefined> {
    return this.db.transaction(async (sql) => ((await this.reminders.tryLockSweep(sql)) ? work() : undefined));
  }

  async execute(graceMs: number): Promise<OverdueReport> {
    const before = new Date(this.clock.now().getTime() - graceMs);
    const overdue = await this.db.read((sql) => this.reminders.overdue(sql, before, BATCH));
    let fired = 0;
    for (const r of overdue) {
      const result = await this.fire.execute(r.id, r.jobVersion);
      if (result.outcome === 'fired') fired += 1;
    }
    if (fired > 0) this.logger.warn({ fired, oldestDueAt: overdue[0].dueAt }, 'fired overdue reminders that Redis had not delivered');
    return { found: overdue.length, fired };
  }
}
