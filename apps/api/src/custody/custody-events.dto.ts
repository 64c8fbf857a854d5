import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { CUSTODY_EVENT_KINDS, CustodyEventKind, MAX_CUSTODY_EVENTS_PER_BATCH, RELEASE_DESTINATIONS, ReleaseDestination } from '@app/domain';
import { IsInstant } from '../common/validators';

const INSTANT_DOC = 'ISO 8601; without an offset, local time at the facility holding the person';
export const EVENT_ID = /^[\x21-\x7e]{1,100}$/;

export class CustodySubjectDto {
  @ApiPropertyOptional({ example: 'A012345678' }) @IsOptional() @IsString() @MaxLength(20)
  aNumber?: string;

  @ApiPropertyOptional({ example: '123456AB1' }) @IsOptional() @IsString() @MaxLength(20)
  fbiNumber?: string;

  @ApiPropertyOptional({ example: 'WA12345678' }) @IsOptional() @IsString() @MaxLength(20)
  stateId?: string;
}

export class CustodyEventDto {
  @ApiProperty({ example: '8812', description: "The JMS's own id of the event (1 to 100 printable ASCII characters): sending it again changes nothing" })
  @IsString() @Matches(EVENT_ID, { message: 'eventId must be 1 to 100 printable ASCII characters' })
  eventId!: string;

  @ApiProperty({
    enum: CUSTODY_EVENT_KINDS,
    description: 'booked (no change to the request; a person wanted elsewhere alerts the issuing office), release_scheduled (needs releaseAt), released (to the community, or with destination other_agency and toFacilityId), transferred (to another agency: toFacilityId), released_to_ice',
  })
  @IsIn(CUSTODY_EVENT_KINDS)
  kind!: CustodyEventKind;

  @ApiProperty({ example: '2017-02-03T17:00:00-05:00', description: `When it happened. ${INSTANT_DOC}` }) @IsInstant()
  at!: string;

  @ApiProperty({ example: 'KC-2017-004711', description: 'The booking number on the request at your facility' })
  @IsString() @IsNotEmpty() @MaxLength(40)
  bookingNumber!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Your facility, when booking numbers repeat across your facilities' }) @IsOptional() @IsUUID()
  facilityId?: string;

  @ApiPropertyOptional({ enum: RELEASE_DESTINATIONS, description: 'released: community (default) or other_agency' }) @IsOptional() @IsIn(RELEASE_DESTINATIONS)
  destination?: ReleaseDestination;

  @ApiPropertyOptional({ format: 'uuid', description: 'transferred, or released to other_agency: the receiving facility' }) @IsOptional() @IsUUID()
  toFacilityId?: string;

  @ApiPropertyOptional({ description: `release_scheduled: the release date and time. ${INSTANT_DOC}` }) @IsOptional() @IsInstant()
  releaseAt?: string;

  @ApiPropertyOptional({ type: CustodySubjectDto, description: 'Identifiers of the person (booked)' }) @IsOptional() @IsObject() @ValidateNested() @Type(() => CustodySubjectDto)
  subject?: CustodySubjectDto;
}

export class CustodyEventsDto {
  @ApiProperty({ type: [CustodyEventDto], description: `1 to ${MAX_CUSTODY_EVENTS_PER_BATCH} events, applied in this order` })
  @IsDefined() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_CUSTODY_EVENTS_PER_BATCH) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => CustodyEventDto)
  events!: CustodyEventDto[];
}

export class CustodyEventQuery {
  @ApiProperty({ example: '8812', description: 'The eventId you sent' })
  @IsString() @Matches(EVENT_ID, { message: 'eventId must be 1 to 100 printable ASCII characters' })
  eventId!: string;
}

export class CustodyPreviewQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: decide every event as it would be applied and answer the same results, writing nothing' })
  @IsOptional() @IsIn(['true', 'false'])
  preview?: 'true' | 'false';
}
