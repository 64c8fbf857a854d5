import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DomainError } from '@app/domain';
import { Database, ReferenceRepository, WebhookRecord, WebhookRepository } from '@app/persistence';
import { Clock } from '../clock';
import { SecretBox } from '../identity/secret-box';
import { Principal } from '../principal';
import { AGENCY_WEBHOOK_EVENTS, WEBHOOK_EVENTS, WebhookEvent } from './reminder-message';
import { newWebhookSecret, webhookSecretContext } from './webhook-signature';
import { assertWebhookUrlAllowed, WebhookAddressPolicy } from './webhook-address';

export interface NewWebhook {
  url: string;
  events?: string[];
  /** Admins name the agency; jail staff and agency systems register for their own. */
  agencyId?: string;
}

/** Agency systems' webhook endpoints. The signing secret is shown once, at creation. */
@Injectable()
export class Webhooks {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly webhooks: WebhookRepository,
    private readonly references: ReferenceRepository,
    private readonly box: SecretBox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(principal: Principal): Promise<WebhookRecord[]> {
    return this.db.read((sql) => this.webhooks.list(sql, principal.role === 'admin' ? null : agencyOf(principal)));
  }

  async create(principal: Principal, input: NewWebhook): Promise<WebhookRecord & { secret: string }> {
    let agencyId: string;
    if (principal.role === 'admin') {
      if (!input.agencyId) throw DomainError.invalidInput('agencyId', 'Name the agency whose system receives these webhooks.');
      agencyId = input.agencyId;
    } else {
      agencyId = agencyOf(principal);
      if (input.agencyId !== undefined && input.agencyId !== agencyId) throw DomainError.invalidInput('agencyId', 'You can register webhooks for your own agency only.');
    }
    const events = input.events ?? AGENCY_WEBHOOK_EVENTS;
    const unknown = events.filter((e) => !WEBHOOK_EVENTS.includes(e as WebhookEvent));
    if (unknown.length > 0 || events.length === 0) {
      throw DomainError.invalidInput('events', `events must be among ${WEBHOOK_EVENTS.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`);
    }
    const url = await assertWebhookUrlAllowed(input.url, webhookAddressPolicy(this.config));
    return this.db.transaction(async (sql) => {
      if (!(await this.references.findAgency(sql, agencyId))) throw DomainError.invalidInput('agencyId', 'No agency has this id.');
      const id = randomUUID();
      const secret = newWebhookSecret();
      const created = await this.webhooks.insert(
        sql,
        { id, agencyId, url: url.toString(), sealedSecret: this.box.seal(secret, webhookSecretContext(id)), events: [...new Set(events)], createdBy: principal.kind === 'user' ? principal.id : null },
        this.clock.now(),
      );
      return { ...created, secret };
    });
  }
}

function agencyOf(principal: Principal): string {
  if (principal.role !== 'jail_staff' || !principal.agencyId) throw new DomainError('forbidden', 'Webhooks belong to an agency: jail staff, agency systems or admins manage them.');
  return principal.agencyId;
}

export function webhookAddressPolicy(config: AppConfig): WebhookAddressPolicy {
  return { allowPrivateAddresses: config.reminders.webhookAllowPrivateAddresses, requireHttps: config.nodeEnv === 'production' };
}
