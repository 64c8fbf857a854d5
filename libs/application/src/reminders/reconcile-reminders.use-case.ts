import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { Database, DeliveryRepository, ReminderRepository } from '@app/persistence';
import { deliveryJobId, JOB_QUEUE, JobProducer, NewJob, parseVersionedJobId, reminderJobId } from '@app/queue';
import { Clock } from '../clock';
import { deliveryJob, reminderJob } from './reminder-jobs';

export interface ReconcileReport {
  reminders: { pending: number; added: number; overdue: number; requeued: number };
  deliveries: { open: number; added: number; requeued: number };
  staleRemoved: number;
}

const PAGE = 1000;

/**
 * PostgreSQL says what is due; Redis only carries it. Runs at worker start and as a job scheduler:
 * every pending reminder and open delivery gets its job back if Redis lost it (restart without
 * persistence, flush, or down when the action was recorded), with the remaining delay or at once
 * when overdue; a job id held by a finished job gets a new version (a re-add would be a silent no-op);
 * and waiting jobs whose reminder or delivery is gone are removed. Idempotent: ids are
 * deterministic, and firing checks the row under a lock, so overdue reminders still fire once.
 */
@Injectable()
export class ReconcileReminders {
  private readonly logger = new Logger('ReconcileReminders');

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly reminders: ReminderRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly producer: JobProducer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(): Promise<ReconcileReport> {
    const report: ReconcileReport = {
      reminders: { pending: 0, added: 0, overdue: 0, requeued: 0 },
      deliveries: { open: 0, added: 0, requeued: 0 },
      staleRemoved: 0,
    };
    await this.reconcileReminders(report);
    await this.reconcileDeliveries(report);
    report.staleRemoved = await this.removeStale();
    if (report.reminders.added + report.reminders.requeued + report.deliveries.added + report.deliveries.requeued + report.staleRemoved > 0) {
      this.logger.log({ report }, 'reconciled Redis with PostgreSQL');
    }
    return report;
  }

  private async reconcileReminders(report: ReconcileReport): Promise<void> {
    const queue = JOB_QUEUE['reminder.fire'];
    let after: string | null = null;
    for (;;) {
      const page = await this.db.read((sql) => this.reminders.pendingPage(sql, after, PAGE));
      if (page.length === 0) break;
      after = page[page.length - 1].id;
      report.reminders.pending += page.length;
      const presence = await this.producer.presence(queue, page.map((r) => reminderJobId(r.id, r.jobVersion)));
      const jobs: NewJob<'reminder.fire'>[] = [];
      const now = this.clock.now();
      for (const r of page) {
        const state = presence.get(reminderJobId(r.id, r.jobVersion));
        if (state === 'queued') continue;
        let version = r.jobVersion;
        if (state === 'finished') {
          const bumped = await this.db.read((sql) => this.reminders.bumpJobVersion(sql, r.id));
          if (bumped === null) continue; // fired or cancelled meanwhile
          version = bumped;
          report.reminders.requeued += 1;
        } else {
          report.reminders.added += 1;
        }
        if (r.dueAt.getTime() <= now.getTime()) report.reminders.overdue += 1;
        jobs.push(reminderJob({ id: r.id, jobVersion: version, dueAt: r.dueAt }));
      }
      await this.producer.addBulk(jobs);
      if (page.length < PAGE) break;
    }
  }

  private async reconcileDeliveries(report: ReconcileReport): Promise<void> {
    const queue = JOB_QUEUE['delivery.send'];
    let after: string | null = null;
    for (;;) {
      const page = await this.db.read((sql) => this.deliveries.openPage(sql, after, PAGE));
      if (page.length === 0) break;
      after = page[page.length - 1].id;
      report.deliveries.open += page.length;
      const presence = await this.producer.presence(queue, page.map((d) => deliveryJobId(d.id, d.jobVersion)));
      const jobs: NewJob<'delivery.send'>[] = [];
      for (const d of page) {
        const state = presence.get(deliveryJobId(d.id, d.jobVersion));
        if (state === 'queued') continue;
        let version = d.jobVersion;
        if (state === 'finished') {
          const bumped = await this.db.read((sql) => this.deliveries.bumpJobVersion(sql, d.id));
          if (bumped === null) continue;
          version = bumped;
          report.deliveries.requeued += 1;
        } else {
          report.deliveries.added += 1;
        }
        jobs.push(deliveryJob({ id: d.id, jobVersion: version }, this.config.reminders));
      }
      await this.producer.addBulk(jobs);
      if (page.length < PAGE) break;
    }
  }

  /** Waiting or delayed jobs whose reminder is no longer pending (or delivery no longer open) at that version. */
  private async removeStale(): Promise<number> {
    let removed = 0;
    for (const kind of ['reminder', 'delivery'] as const) {
      const queue = kind === 'reminder' ? JOB_QUEUE['reminder.fire'] : JOB_QUEUE['delivery.send'];
      const refs = (await this.producer.waitingIds(queue))
        .map((id) => ({ jobId: id, parsed: parseVersionedJobId(id) }))
        .filter((j): j is { jobId: string; parsed: NonNullable<ReturnType<typeof parseVersionedJobId>> } => j.parsed?.kind === kind);
      for (let i = 0; i < refs.length; i += PAGE) {
        const chunk = refs.slice(i, i + PAGE);
        const pairs = chunk.map((j) => ({ id: j.parsed.id, version: j.parsed.version }));
        const live = await this.db.read((sql) => (kind === 'reminder' ? this.reminders.stillPending(sql, pairs) : this.deliveries.stillOpen(sql, pairs)));
        for (const j of chunk) {
          if (live.has(`${j.parsed.id}.v${j.parsed.version}`)) continue;
          await this.producer.remove(queue, j.jobId);
          removed += 1;
        }
      }
    }
    return removed;
  }
}
