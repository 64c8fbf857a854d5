import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The one error shape of the API. */
export class ErrorBody {
  @ApiProperty({ example: 409 }) statusCode!: number;
  @ApiProperty({ example: 'Conflict' }) error!: string;
  @ApiProperty({ example: "Cannot acknowledge a detainer in state 'released'. Allowed actions: record_outcome." }) message!: string;
  @ApiPropertyOptional({ description: 'Per-field problems (400) or the state and allowed actions (409).' }) details?: unknown;
}
