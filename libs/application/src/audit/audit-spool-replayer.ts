import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AuditLog } from './audit-log.service';

/** How often a process looks for spooled audit entries to write (a look at a directory; nothing when there are none). */
const REPLAY_EVERY_MS = 2000;

/** Writes spooled audit entries once the database takes them again (every process that spools replays its own). */
@Injectable()
export class AuditSpoolReplayer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditSpool');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private failing = false;

  constructor(private readonly audit: AuditLog) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), REPLAY_EVERY_MS);
    this.timer.unref();
    this.tick();
  }

  private tick(): void {
    if (this.running || !this.audit.hasSpooled()) return;
    this.running = this.audit
      .replaySpool()
      .then(() => (this.failing = false))
      .catch((error: unknown) => {
        if (!this.failing) this.logger.warn({ err: (error as Error).message }, 'spooled audit entries not written yet (database still unavailable?); retrying');
        this.failing = true;
      })
      .finally(() => (this.running = null));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
