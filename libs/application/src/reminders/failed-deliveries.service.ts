import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DomainError } from '@app/domain';
import { Database, DeliveryRecord, DeliveryRepository, FailedDelivery, Page, WebhookRepository } from '@app/persistence';
import { JobProducer } from '@app/queue';
import { Clock } from '../clock';
import { detainerScopeOf, Principal } from '../principal';
import { deliveryJob, withTimeout } from './reminder-jobs';

/**
 * The `failed_deliveries` compliance queue: deliveries that failed after their last attempt, within
 * the caller's scope (a supervisor's AOR, an agency's own), and a retry that starts them afresh.
 */
@Injectable()
export class FailedDeliveries {
  private readonly logger = new Logger('FailedDeliveries');

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly deliveries: DeliveryRepository,
    private readonly webhooks: WebhookRepository,
    private readonly producer: JobProducer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(principal: Principal, page: { limit: number; cursor?: string }): Promise<Page<FailedDelivery>> {
    return this.db.read((sql) => this.deliveries.listFailed(sql, detainerScopeOf(principal), page));
  }

  /** A webhook's recent deliveries with their status, for admins (every agency's). */
  async ofWebhook(webhookId: string, page: { limit: number; cursor?: string }): Promise<Page<FailedDelivery>> {
    return this.db.read(async (sql) => {
      if (!(await this.webhooks.exists(sql, webhookId))) throw new DomainError('not_found', 'No webhook with this id.');
      return this.deliveries.listForWebhook(sql, webhookId, page);
    });
  }

  /** Back to pending with a new job version (the old id is held by the failed job); queued after commit. */
  async retry(principal: Principal, deliveryId: string): Promise<DeliveryRecord> {
    const reset = await this.db.transaction(async (sql) => {
      const d = await this.deliveries.resetFailed(sql, deliveryId, detainerScopeOf(principal), this.clock.now());
      if (d) sql.afterCommit(() => this.enqueue(d));
      return d;
    });
    if (!reset) throw new DomainError('not_found', 'No failed delivery in your scope has this id.');
    return reset;
  }

  private async enqueue(d: DeliveryRecord): Promise<void> {
    try {
      await withTimeout(this.producer.add(deliveryJob(d, this.config.reminders)), 2000, 'queueing the retry');
    } catch (error) {
      this.logger.warn({ err: (error as Error).message, delivery: d.id }, 'retry recorded but not queued; the reconciler will queue it');
    }
  }
}
