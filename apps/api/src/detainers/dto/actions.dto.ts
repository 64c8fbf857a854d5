import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, Min, ValidateIf } from 'class-validator';
import { ACK_RESPONSES, AckResponse, CANCEL_REASONS, CancelReason, OUTCOME_KINDS, OutcomeKind, RELEASE_DESTINATIONS, ReleaseDestination } from '@app/domain';
import { IsInstant } from '../../common/validators';

const INSTANT_DOC = 'ISO 8601; without an offset, local time at the facility (rejected when DST makes it missing or ambiguous)';

/** Every state-changing action accepts the version the caller last saw. */
export class VersionedDto {
  @ApiPropertyOptional({ description: 'The detainer version you last read; a stale one is a 409' })
  @IsOptional() @IsInt() @Min(1)
  expectedVersion?: number;
}

export class AcknowledgeDto extends VersionedDto {
  @ApiProperty({ enum: ACK_RESPONSES }) @IsIn(ACK_RESPONSES)
  response!: AckResponse;

  @ApiPropertyOptional({ description: 'Why, for will_notify_only or will_not_comply' }) @IsOptional() @IsString() @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ description: 'The jurisdiction policy the response relies on' }) @IsOptional() @IsUUID()
  policyId?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(40)
  bookingNumber?: string;

  @ApiPropertyOptional({ description: `When the subject was served. ${INSTANT_DOC}` }) @IsOptional() @IsInstant()
  servedAt?: string;
}

export class NotInCustodyDto extends VersionedDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000)
  note?: string;
}

export class ScheduleReleaseDto extends VersionedDto {
  @ApiProperty({ example: '2017-02-03T17:00:00-05:00', description: INSTANT_DOC }) @IsInstant()
  releaseAt!: string;
}

export class AtDto extends VersionedDto {
  @ApiProperty({ example: '2017-02-03T17:00:00-05:00', description: INSTANT_DOC }) @IsInstant()
  at!: string;
}

export class StartHoldDto extends VersionedDto {
  @ApiProperty({ example: '2017-02-03T17:00:00-05:00', description: INSTANT_DOC }) @IsInstant()
  since!: string;
}

export class ReleaseDto extends VersionedDto {
  @ApiProperty({ description: INSTANT_DOC }) @IsInstant()
  at!: string;

  @ApiProperty({ enum: RELEASE_DESTINATIONS }) @IsIn(RELEASE_DESTINATIONS)
  destination!: ReleaseDestination;

  @ApiPropertyOptional({ description: 'Required for other_agency: the receiving facility' })
  @ValidateIf((o: ReleaseDto) => o.destination === 'other_agency' || o.toFacilityId !== undefined) @IsUUID()
  toFacilityId?: string;
}

export class RefuseDto extends VersionedDto {
  @ApiProperty({ description: INSTANT_DOC }) @IsInstant()
  at!: string;

  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000)
  reason!: string;

  @ApiPropertyOptional() @IsOptional() @IsUUID()
  policyId?: string;
}

export class RecordDeclineDto extends VersionedDto {
  @ApiProperty({ description: `When the person was released against the request. ${INSTANT_DOC}` }) @IsInstant()
  at!: string;

  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000)
  reason!: string;

  @ApiProperty({ enum: ['lea_reported', 'ice_observed'] }) @IsIn(['lea_reported', 'ice_observed'])
  source!: 'lea_reported' | 'ice_observed';
}

export class NoteDto extends VersionedDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000)
  note!: string;
}

export class DecideIdentityClaimDto extends VersionedDto {
  @ApiProperty({ enum: ['upheld', 'rejected'], description: 'upheld cancels the detainer (us_citizen or wrong_subject); rejected restores it' })
  @IsIn(['upheld', 'rejected'])
  decision!: 'upheld' | 'rejected';

  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000)
  note!: string;
}

export class CancelDto extends VersionedDto {
  @ApiProperty({ enum: CANCEL_REASONS }) @IsIn(CANCEL_REASONS)
  reason!: CancelReason;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000)
  note?: string;
}

export class OutcomeDto extends VersionedDto {
  @ApiProperty({ enum: OUTCOME_KINDS }) @IsIn(OUTCOME_KINDS)
  kind!: OutcomeKind;

  @ApiProperty({ description: INSTANT_DOC }) @IsInstant()
  at!: string;

  @ApiPropertyOptional({ description: 'For rearrested: the new detainer' }) @IsOptional() @IsUUID()
  relatedDetainerId?: string;
}
