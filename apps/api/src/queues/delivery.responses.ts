import { ApiProperty } from '@nestjs/swagger';

export class DeliveryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) reminderId!: string;
  @ApiProperty({ enum: ['email', 'webhook', 'inbox'] }) channel!: string;
  @ApiProperty({ enum: ['pending', 'sending', 'sent', 'failed'], example: 'pending' }) status!: string;
  @ApiProperty({ type: 'integer', description: 'Attempts so far (0 after a retry)' }) attempts!: number;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) failedAt!: string | null;
}
