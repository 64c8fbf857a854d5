import { ApiProperty, ApiPropertyOptional, getSchemaPath, PathItemObject } from '@nestjs/swagger';

import { REMINDER_AUDIENCES, REMINDER_KINDS } from '@app/domain';
import { WEBHOOK_EVENTS, WEBHOOK_HEADERS } from '@app/application';

export class WebhookInstant {
  @ApiProperty({ format: 'date-time', example: '2026-03-06T22:00:00.000Z' }) utc!: string;
  @ApiProperty({ example: '2026-03-06T14:00:00', description: 'Wall-clock time at the facility' }) localTime!: string;
  @ApiProperty({ example: 'America/Los_Angeles' }) timeZone!: string;
  @ApiProperty({ example: 'PST' }) abbreviation!: string;
}

/**
 * What a webhook receives: a reminder, with the action due and the moment it is about in the
 * facility's local time. Never the subject's identity (only the booking number the agency gave).
 */
export class ReminderWebhook {
  @ApiProperty({ format: 'uuid', description: 'The delivery id (also X-Detainer-Delivery-Id): the same on every retry, so dedupe on it' })
  id!: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, example: 'reminder.release_48h' }) event!: string;
  @ApiProperty({ format: 'uuid' }) reminderId!: string;
  @ApiProperty({ format: 'uuid' }) detainerId!: string;
  @ApiProperty({ type: 'integer', example: 1, description: 'Which lodging of the detainer (1-based)' }) lodging!: number;
  @ApiProperty({ enum: REMINDER_AUDIENCES, description: 'agency: the jail holding the person; office/supervisors: the issuing federal office' }) audience!: string;
  @ApiProperty({ example: 'Release in 48 hours: confirm the release date and time, or record a change.' }) action!: string;
  @ApiProperty({ format: 'date-time', description: 'When the reminder was due to go out' }) dueAt!: string;

  @ApiPropertyOptional({ type: WebhookInstant, description: `The release (events ${kindsOf('release_48h', 'short_notice')})` }) releaseAt?: WebhookInstant;
  @ApiPropertyOptional({ type: WebhookInstant, description: `The hold deadline (events ${kindsOf('hold_12h', 'hold_2h', 'hold_expired')})` }) holdExpiresAt?: WebhookInstant;
  @ApiPropertyOptional({ type: WebhookInstant, description: `When acknowledgment was due (${kindsOf('unacknowledged_24h')})` }) acknowledgmentDueAt?: WebhookInstant;

  @ApiProperty({ format: 'uuid' }) facilityId!: string;
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty({ type: 'string', nullable: true, example: '2026-000123' }) bookingNumber!: string | null;
  @ApiProperty({ format: 'uri', example: 'https://detainers.example.gov/detainers/5b1d2c3e-9f1a-4c2b-8d7e-3a4b5c6d7e8f' }) link!: string;
}

function kindsOf(...kinds: (typeof REMINDER_KINDS)[number][]): string {
  return kinds.map((k) => `reminder.${k}`).join(', ');
}

export const WEBHOOK_MODELS = [WebhookInstant, ReminderWebhook];

const header = (name: string, description: string, example: string) => ({ name, in: 'header' as const, required: true, description, schema: { type: 'string' as const }, example });

/**
 * The OpenAPI 3.1 `webhooks` section: one entry per event an agency can subscribe to
 * (POST /api/v1/webhooks { events }), with the headers and the signature scheme.
 */
export function webhooksSection(): Record<string, PathItemObject> {
  return Object.fromEntries(
    WEBHOOK_EVENTS.map((event) => [
      event,
      {
        post: {
          operationId: `webhook_${event.replace(/\./g, '_')}`,
          summary: `Reminder ${event.slice('reminder.'.length)}`,
          description:
            `POSTed to each subscribed webhook URL when a ${event.slice('reminder.'.length)} reminder fires. Verify it: ` +
            `HMAC-SHA256 with the webhook's secret over "<${WEBHOOK_HEADERS.timestamp}>.<raw body>", hex, must equal the part after "v1=" of ` +
            `${WEBHOOK_HEADERS.signature} (compare in constant time), and refuse timestamps more than 5 minutes from your clock. ` +
            'Answer any 2xx to accept. 408, 429 and 5xx (or no answer within WEBHOOK_TIMEOUT_MS) are retried with exponential backoff, ' +
            'with the same delivery id; any other 4xx ends the delivery as failed (a supervisor can retry it).',
          tags: ['webhooks'],
          parameters: [
            header(WEBHOOK_HEADERS.deliveryId, 'The delivery id, the same on every retry: dedupe on it', '0f8fad5b-d9cb-469f-a165-70867728950e'),
            header(WEBHOOK_HEADERS.timestamp, 'Unix seconds when this attempt was signed', '1772834400'),
            header(WEBHOOK_HEADERS.signature, 'v1=hex(HMAC-SHA256(secret, "<timestamp>.<raw body>"))', 'v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd'),
            header(WEBHOOK_HEADERS.event, 'The event name', event),
          ],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: getSchemaPath(ReminderWebhook) } } } },
          responses: {
            '200': { description: 'Accepted (any 2xx)' },
            '410': { description: 'Any 4xx other than 408 and 429: refused for good, not retried' },
            '503': { description: '408, 429 or any 5xx: retried later with the same delivery id' },
          },
        },
      },
    ]),
  );
}
