import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import { AGE_BUCKETS, AgeBucket, DECLINE_KINDS, DeclineKind, EXCLUSION_REASONS, ExclusionReason, Measure, MEASURES, RECORD_CORRECTION_KINDS, RecordCorrectionKind } from '@app/domain';
import { PageQuery } from '../common/paging.dto';

const VERSION = /^(latest|live|[1-9][0-9]{0,5})$/;
const VERSION_DOC = 'N (a published version), latest (default), or live (supervisors and admins: the figures now, may be an open week)';

export class ReportVersionQuery {
  @ApiPropertyOptional({ description: VERSION_DOC, example: 'latest' })
  @IsOptional() @Matches(VERSION, { message: 'version must be a version number, latest or live' })
  version?: string;
}

export class DrillDownQuery extends PageQuery {
  @ApiPropertyOptional({ description: VERSION_DOC })
  @IsOptional() @Matches(VERSION, { message: 'version must be a version number, latest or live' })
  version?: string;

  @ApiPropertyOptional({ enum: MEASURES }) @IsOptional() @IsIn(MEASURES)
  measure?: Measure;

  @ApiPropertyOptional() @IsOptional() @IsUUID()
  jurisdictionId?: string;

  @ApiPropertyOptional({ example: 'TX' }) @IsOptional() @Matches(/^[A-Z]{2}$/, { message: 'state must be a USPS state code' })
  state?: string;

  @ApiPropertyOptional() @IsOptional() @IsUUID()
  agencyId?: string;

  @ApiPropertyOptional({ enum: DECLINE_KINDS }) @IsOptional() @IsIn(DECLINE_KINDS)
  declineKind?: DeclineKind;

  @ApiPropertyOptional({ enum: AGE_BUCKETS }) @IsOptional() @IsIn(AGE_BUCKETS)
  ageBucket?: AgeBucket;

  @ApiPropertyOptional({ enum: EXCLUSION_REASONS }) @IsOptional() @IsIn(EXCLUSION_REASONS)
  exclusion?: ExclusionReason;
}

export class ConfirmReconciliationDto {
  @ApiProperty({ description: 'What the agency confirmed, or why the surplus stands' })
  @IsString() @IsNotEmpty() @MaxLength(2000)
  note!: string;

  @ApiPropertyOptional({ description: 'Publish this text with the weekly report (JSON, CSV, PDF, change lists). Default false: the report prints only the structured facts, and the text stays with the record.' })
  @IsOptional() @IsBoolean()
  notePublic?: boolean;
}

export class OpenDisputeDto {
  @ApiProperty({ description: "The agency's side of it. Published with the weekly report only when reasonPublic is true: then include no names or identifiers." })
  @IsString() @IsNotEmpty() @MaxLength(2000)
  reason!: string;

  @ApiPropertyOptional({ description: 'Publish this text with the weekly report (JSON, CSV, PDF, change lists). Default false: the report prints only the structured facts, and the text stays with the record.' })
  @IsOptional() @IsBoolean()
  reasonPublic?: boolean;

  @ApiPropertyOptional({ description: "The lodging disputed (1-based); defaults to your agency's latest lodging of this detainer" })
  @IsOptional() @IsInt() @Min(1)
  lodging?: number;
}

export class ResolveDisputeDto {
  @ApiProperty({ enum: ['upheld', 'rejected'] }) @IsIn(['upheld', 'rejected'])
  decision!: 'upheld' | 'rejected';

  @ApiProperty({ description: 'Why; published with the report only when notePublic is true (the decision and correction always are)' }) @IsString() @IsNotEmpty() @MaxLength(2000)
  note!: string;

  @ApiPropertyOptional({ description: 'Publish this text with the weekly report (JSON, CSV, PDF, change lists). Default false: the report prints only the structured facts, and the text stays with the record.' })
  @IsOptional() @IsBoolean()
  notePublic?: boolean;

  @ApiPropertyOptional({ enum: RECORD_CORRECTION_KINDS, description: 'Required when upheld: retract_decline (the lodging no longer counts as declined) or exclude_record (the detainer counts in no figure)' })
  @IsOptional() @IsIn(RECORD_CORRECTION_KINDS)
  correction?: RecordCorrectionKind;
}

export class ListDisputesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['open', 'upheld', 'rejected'] }) @IsOptional() @IsIn(['open', 'upheld', 'rejected'])
  status?: 'open' | 'upheld' | 'rejected';

  @ApiPropertyOptional() @IsOptional() @IsUUID()
  detainerId?: string;
}
