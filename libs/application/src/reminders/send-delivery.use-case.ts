import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { Database, DeliveryRecord, DeliveryRepository, RecipientRepository, ReminderRepository, WebhookRepository } from '@app/persistence';
import { Clock } from '../clock';
import { SecretBox } from '../identity/secret-box';
import { DeliveryInProgressError, Mailer, PermanentDeliveryError, WebhookClient } from './channels';
import { renderReminder } from './reminder-message';
import { signatureHeader, WEBHOOK_HEADERS, webhookSecretContext } from './webhook-signature';
import { webhookAddressPolicy } from './webhooks.service';

export type SendOutcome = 'sent' | 'already_done' | 'stale' | 'missing';

/** Webhook statuses worth retrying; any other 4xx means the request itself is refused. */
const RETRYABLE_4XX = new Set([408, 409, 425, 429]);

/**
 * One e-mail or webhook delivery attempt. The row is claimed with a lease before sending, marked
 * sent after; a failure is recorded and rethrown so BullMQ retries with backoff, and the last
 * attempt (or a permanent failure) marks it failed for the failed-deliveries queue.
 *
 * Guarantee: a delivery is recorded sent at most once, and never sent by two runners at once. If
 * the process dies after the remote side accepted and before "sent" is committed, the retry sends
 * again with the same delivery id (webhook header) / Message-ID (e-mail), on which receivers dedupe.
 */
@Injectable()
export class SendDelivery {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly deliveries: DeliveryRepository,
    private readonly reminders: ReminderRepository,
    private readonly recipients: RecipientRepository,
    private readonly webhooks: WebhookRepository,
    private readonly mailer: Mailer,
    private readonly webhookClient: WebhookClient,
    private readonly box: SecretBox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(deliveryId: string, version: number, opts: { finalAttempt: boolean }): Promise<SendOutcome> {
    // Longer than a job lock: a second runner exists only if the first lost its lock (a stall).
    const leaseMs = 2 * this.config.reminders.jobLockMs;
    const claim = await this.db.transaction((sql) => this.deliveries.claim(sql, deliveryId, version, this.clock.now(), leaseMs));
    switch (claim.outcome) {
      case 'missing':
        return 'missing';
      case 'stale':
        return 'stale';
      case 'done':
        return 'already_done';
      case 'leased':
        throw new DeliveryInProgressError(
          `delivery ${deliveryId} is being sent by another runner until ${claim.delivery.leaseUntil?.toISOString()}`,
          claim.delivery.leaseUntil ?? this.clock.now(),
        );
      case 'claimed':
        break;
      default: {
        const never: never = claim;
        return never;
      }
    }
    try {
      await this.send(claim.delivery);
    } catch (error) {
      const final = opts.finalAttempt || error instanceof PermanentDeliveryError;
      const reason = error instanceof Error ? error.message : String(error);
      await this.db.transaction((sql) => this.deliveries.recordFailure(sql, deliveryId, reason, final, this.clock.now()));
      throw error;
    }
    await this.db.transaction((sql) => this.deliveries.markSent(sql, deliveryId, this.clock.now()));
    return 'sent';
  }

  private async send(delivery: DeliveryRecord): Promise<void> {
    const { message, reminder } = await this.db.read(async (sql) => {
      const r = await this.reminders.find(sql, delivery.reminderId);
      if (!r) throw new PermanentDeliveryError(`reminder ${delivery.reminderId} not found`);
      const context = await this.recipients.context(sql, r.detainerId, r.lodgingSeq);
      if (!context) throw new PermanentDeliveryError(`detainer ${r.detainerId} not found`);
      return { message: renderReminder(r, context, this.config.publicUrl), reminder: r };
    });
    switch (delivery.channel) {
      case 'email': {
        if (!delivery.address) throw new PermanentDeliveryError('no e-mail address');
        await this.mailer.send({
          to: delivery.address,
          subject: message.title,
          text: message.text,
          messageId: `<${delivery.id}@detainer-workflow>`,
          headers: { 'X-Detainer-Delivery-Id': delivery.id, 'X-Detainer-Event': `reminder.${reminder.kind}` },
        });
        return;
      }
      case 'webhook': {
        const hook = await this.db.read((sql) => this.webhooks.findWithSecret(sql, delivery.recipient));
        if (!hook || !hook.active) throw new PermanentDeliveryError('the webhook was removed');
        const policy = webhookAddressPolicy(this.config);
        if (policy.requireHttps && !hook.url.startsWith('https:')) throw new PermanentDeliveryError('webhooks go over https only');
        const body = JSON.stringify({ id: delivery.id, ...message.data });
        const timestamp = Math.floor(this.clock.now().getTime() / 1000);
        const response = await this.webhookClient.post({
          url: hook.url,
          body,
          timeoutMs: this.config.reminders.webhookTimeoutMs,
          allowPrivateAddresses: policy.allowPrivateAddresses,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'detainer-workflow-webhooks/1',
            [WEBHOOK_HEADERS.deliveryId]: delivery.id,
            [WEBHOOK_HEADERS.timestamp]: String(timestamp),
            [WEBHOOK_HEADERS.signature]: signatureHeader(this.box.open(hook.sealedSecret, webhookSecretContext(hook.id)), timestamp, body),
            [WEBHOOK_HEADERS.event]: `reminder.${reminder.kind}`,
          },
        });
        if (response.status >= 200 && response.status < 300) return;
        if (response.status >= 400 && response.status < 500 && !RETRYABLE_4XX.has(response.status)) {
          throw new PermanentDeliveryError(`webhook answered HTTP ${response.status}`);
        }
        throw new Error(`webhook answered HTTP ${response.status}`);
      }
      case 'inbox':
        // Inbox deliveries are written, delivered, when the reminder fires; there is nothing to send.
        return;
      default: {
        const never: never = delivery.channel;
        throw new Error(`unknown channel ${String(never)}`);
      }
    }
  }
}
