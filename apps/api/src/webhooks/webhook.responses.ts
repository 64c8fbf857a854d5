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
