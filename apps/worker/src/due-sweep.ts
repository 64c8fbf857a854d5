import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { FireOverdueReminders, ReconcileReminders, withTimeout } from '@app/application';
import { APP_CONFIG, AppConfig } from '@app/config';
import { SYSTEM_SCOPE, withDatabaseScope } from '@app/persistence';
import { JobSchedulers } from './job-schedulers';

/** Redis slower than this to answer the check counts as down for this sweep: overdue reminders are fired from PostgreSQL regardless. */
const REDIS_CHECK_TIMEOUT_MS = 2000;

export interface SweepResult {
  /** False when another worker holds the sweep lock. */
  swept: boolean;
  /** What Redis had lost (sentinel, schedulers), or null when it could not be asked (down). */
  redisLost: string[] | null;
  fired: number;
}

/**
 * The worker's own timer, driven by PostgreSQL, not by Redis: every SWEEP_EVERY_MS, one worker at a
 * time (advisory lock) checks that Redis still holds its data (sentinel and schedulers) and, if not,
 * re-creates the schedulers and reconciles at once; then fires the reminders still pending a sweep
 * period after their time, whether Redis is up or not. A Redis job scheduler could not do this job:
 * a flush deletes the schedulers themselves, without dropping the connection.
 */
@Injectable()
export class DueSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DueSweep');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private redisWasDown = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schedulers: JobSchedulers,
    private readonly overdue: FireOverdueReminders,
    private readonly reconcile: ReconcileReminders,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.soon(), this.config.reminders.sweepEveryMs);
  }

  /** Sweeps now, unless a sweep is under way (or the worker is stopping). */
  soon(): void {
    if (this.running || !this.timer) return;
    this.running = this.sweep()
      .catch((error: unknown) => this.logger.warn({ err: (error as Error).message }, 'sweep failed; the next one retries'))
      .finally(() => (this.running = null));
  }

  async sweep(): Promise<SweepResult> {
    return withDatabaseScope(SYSTEM_SCOPE, async () => {
      const result = await this.overdue.asSoleSweeper(async () => {
        const redisLost = await this.checkRedis();
        const { fired } = await this.overdue.execute(this.config.reminders.sweepEveryMs);
        return { swept: true, redisLost, fired };
      });
      return result ?? { swept: false, redisLost: null, fired: 0 };
    });
  }

  private async checkRedis(): Promise<string[] | null> {
    let missing: string[];
    try {
      // The worker's connection queues commands while Redis is down (it must never give up on them): bound the wait.
      missing = await withTimeout(this.schedulers.missing(), REDIS_CHECK_TIMEOUT_MS, 'asking Redis for its schedulers');
      if (this.redisWasDown) this.logger.warn('Redis answers again');
      this.redisWasDown = false;
    } catch (error) {
      if (!this.redisWasDown) this.logger.warn({ err: (error as Error).message }, 'Redis does not answer; overdue reminders are fired from PostgreSQL meanwhile');
      this.redisWasDown = true;
      return null;
    }
    if (missing.length === 0) return missing;
    this.logger.warn({ missing }, 'Redis lost its data (flushed, or restarted without persistence): re-creating the job schedulers and reconciling reminders now');
    await this.schedulers.register();
    const report = await this.reconcile.execute();
    this.logger.warn({ report }, 'reconciled after Redis lost its data');
    return missing;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
