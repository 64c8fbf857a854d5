import { ApiProperty } from '@nestjs/swagger';
import { WEBHOOK_EVENTS } from '@app/application';

export class WebhookResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty({ format: 'uri', example: 'https://jms.example.gov/hooks/detainers' }) url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, description: 'Payloads: see the `webhooks` section' }) events!: string[];
  @ApiProperty() active!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CreatedWebhookResponse extends WebhookResponse {
  @ApiProperty({ example: 'whsec_…', description: 'The signing secret: shown in this response only' }) secret!: string;
}

export class WebhookListResponse {
  @ApiProperty({ type: [WebhookResponse] }) items!: WebhookResponse[];
}

export class WebhookDeliveryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) reminderId!: string;
  @ApiProperty({ format: 'uuid' }) detainerId!: string;
  @ApiProperty({ example: 'release_48h', description: 'The reminder it carried' }) kind!: string;
  @ApiProperty({ enum: ['pending', 'sending', 'sent', 'failed'] }) status!: string;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiProperty({ type: 'string', nullable: true, example: 'HTTP 503 from the receiver', description: 'Why the last attempt failed' }) lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) sentAt!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) failedAt!: string | null;
}
