import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUrl, IsUUID, MaxLength } from 'class-validator';
import { FailedDeliveries, Principal, WEBHOOK_EVENTS, WEBHOOK_HEADERS, Webhooks } from '@app/application';
import { DomainError } from '@app/domain';
import { WebhookRecord } from '@app/persistence';
import { CurrentPrincipal, Roles } from '../common/auth';
import { pageOf, PageQuery } from '../common/paging.dto';
import { PageBody, PageOf } from '../common/responses';
import { CreatedWebhookResponse, WebhookDeliveryResponse, WebhookListResponse, WebhookResponse } from './webhook.responses';

const webhookId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'No webhook with this id.') });

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://jms.example.gov/hooks/detainers' })
  @IsString() @MaxLength(2000) @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'url must be an absolute http(s) URL' })
  url!: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENTS, isArray: true, description: 'Default: release_48h, hold_expired, unacknowledged_24h reminders' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsIn(WEBHOOK_EVENTS, { each: true })
  events?: string[];

  @ApiPropertyOptional({ description: 'Admins only: the agency whose system this is' }) @IsOptional() @IsUUID()
  agencyId?: string;
}

const present = (w: WebhookRecord): WebhookResponse => ({ id: w.id, agencyId: w.agencyId, url: w.url, events: w.events, active: w.active, createdAt: w.createdAt.toISOString() });

/** Agency systems' webhooks: each delivery is signed (HMAC-SHA256 over `<timestamp>.<body>`) and carries a delivery id to dedupe on. */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: Webhooks,
    private readonly deliveries: FailedDeliveries,
  ) {}

  @Get(':id/deliveries')
  @Roles('admin')
  @ApiOperation({ summary: "A webhook's deliveries, newest first, with status and the last error (admin); a failed one is retried with POST /api/v1/deliveries/:id/retry" })
  @ApiOkResponse({ type: PageOf(WebhookDeliveryResponse) })
  async listDeliveries(@Param('id', webhookId) id: string, @Query() q: PageQuery): Promise<PageBody<WebhookDeliveryResponse>> {
    const page = await this.deliveries.ofWebhook(id, pageOf(q));
    return {
      items: page.items.map((d) => ({
        id: d.id, reminderId: d.reminderId, detainerId: d.detainerId, kind: d.kind, status: d.status, attempts: d.attempts, lastError: d.lastError,
        createdAt: d.createdAt.toISOString(), sentAt: d.sentAt?.toISOString() ?? null, failedAt: d.failedAt?.toISOString() ?? null,
      })),
      nextCursor: page.nextCursor,
    };
  }

  @Get()
  @Roles('jail_staff', 'admin')
  @ApiOperation({ summary: "Your agency's webhooks (admins: all); secrets are never listed" })
  @ApiOkResponse({ type: WebhookListResponse })
  async list(@CurrentPrincipal() principal: Principal): Promise<WebhookListResponse> {
    return { items: (await this.webhooks.list(principal)).map(present) };
  }

  @Post()
  @Roles('jail_staff', 'admin')
  @ApiOperation({
    summary: 'Register a webhook; the signing secret is returned once',
    description:
      `Headers on each delivery: ${WEBHOOK_HEADERS.deliveryId} (the same on every retry: dedupe on it), ${WEBHOOK_HEADERS.timestamp} (unix seconds), ` +
      `${WEBHOOK_HEADERS.signature}: v1=hex(HMAC-SHA256(secret, "<timestamp>.<raw body>")). Any 2xx accepts; 5xx, 408 and 429 are retried with exponential backoff. ` +
      'Idempotency-Key is not honoured here: a replay would have to store the secret in clear; after a lost answer, list the webhooks before registering again.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookResponse })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    const created = await this.webhooks.create(principal, body);
    return { ...present(created), secret: created.secret };
  }
}
