import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CUSTODY_EVENT_KINDS, CUSTODY_OUTCOMES } from '@app/domain';
import { ErrorBody } from '../common/error-body';

export class CustodyEventResultResponse {
  @ApiProperty({ example: '8812' }) eventId!: string;

  @ApiProperty({
    enum: CUSTODY_OUTCOMES,
    description: 'applied: done, as over the detainer endpoints; duplicate: you sent this eventId before (nothing changed); no_open_detainer: no open request at your facilities has this booking number (kept for the audit); rejected: refused, `error` says why',
  })
  outcome!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The detainer it applied to (applied, duplicate of an applied event, rejected by its rules)' })
  detainerId?: string;

  @ApiPropertyOptional({ type: ErrorBody, description: 'rejected: the error a person taking the same action would get (400 bad input, 409 invalid transition, ...)' })
  error?: ErrorBody;
}

export class CustodyEventResultsResponse {
  @ApiProperty({ type: [CustodyEventResultResponse], description: 'One per event, in the order sent' }) results!: CustodyEventResultResponse[];
  @ApiProperty({ description: 'true when this was a preview: nothing was written' }) preview!: boolean;
}

export class CustodyEventRecordResponse {
  @ApiProperty({ example: '8812' }) eventId!: string;
  @ApiProperty({ enum: CUSTODY_EVENT_KINDS }) kind!: string;
  @ApiProperty({ example: 'KC-2017-004711' }) bookingNumber!: string;
  @ApiProperty({ enum: ['applied', 'no_open_detainer', 'rejected'] }) outcome!: string;
  @ApiPropertyOptional({ format: 'uuid' }) detainerId?: string;
  @ApiPropertyOptional({ type: ErrorBody }) error?: ErrorBody;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The event as you sent it' }) event!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'The X-Request-Id of the request that brought it' }) requestId!: string | null;
}
