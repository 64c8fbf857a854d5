import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsObject, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateNested,
} from 'class-validator';
import {
  CHANNELS, Channel, CHARGE_LEVELS, CHARGE_STATUSES, citizenshipProblem, DETAINER_FORMS, DetainerForm, FIELD_LIMITS, nameProblem, ncicCodeProblem,
  PROBABLE_CAUSES, ProbableCause, stateIdProblem, textProblem, WARRANT_FORMS, WarrantForm,
} from '@app/domain';
import { IsCalendarDate, IsInstant, SatisfiesRule } from '../../common/validators';

export class SubjectDto {
  @ApiPropertyOptional({ example: 'A012345678', description: 'A followed by 8 or 9 digits; stored as 9 digits' })
  @IsOptional() @IsString() @MaxLength(20)
  aNumber?: string;

  @ApiPropertyOptional({ example: '123456AB1' })
  @IsOptional() @IsString() @MaxLength(20)
  fbiNumber?: string;

  @ApiPropertyOptional({ example: 'WA-12345678', maxLength: 20, description: 'State identification number (SID): 1 to 20 letters, digits or hyphens once trimmed; stored uppercased, never cut to fit' })
  @IsOptional() @SatisfiesRule(stateIdProblem)
  stateId?: string;

  @ApiProperty({ example: 'Doe', maxLength: FIELD_LIMITS.familyName, description: 'Not only spaces; no control characters' })
  @SatisfiesRule((v) => nameProblem('familyName', v))
  familyName!: string;

  @ApiProperty({ example: 'John', maxLength: FIELD_LIMITS.givenName, description: 'Not only spaces; no control characters' })
  @SatisfiesRule((v) => nameProblem('givenName', v))
  givenName!: string;

  @ApiProperty({ example: '1980-05-17', description: 'In the past, giving an age under 120' }) @IsCalendarDate()
  dateOfBirth!: string;

  @ApiPropertyOptional({ enum: ['F', 'M', 'X'] }) @IsOptional() @IsIn(['F', 'M', 'X'])
  sex?: 'F' | 'M' | 'X';

  @ApiProperty({ example: 'HN', description: 'ISO 3166-1 alpha-2 country code (any case)' }) @SatisfiesRule(citizenshipProblem)
  citizenship!: string;
}

export class ChargeDto {
  @ApiProperty({ example: 'Burglary', maxLength: FIELD_LIMITS.chargeDescription })
  @SatisfiesRule((v) => textProblem('description', v, FIELD_LIMITS.chargeDescription))
  description!: string;

  @ApiPropertyOptional({ example: '2202', description: 'NCIC offense code, 2 to 4 letters or digits (never cut to fit)' }) @IsOptional() @SatisfiesRule(ncicCodeProblem)
  ncicCode?: string;

  @ApiProperty({ enum: CHARGE_LEVELS }) @IsIn(CHARGE_LEVELS)
  level!: (typeof CHARGE_LEVELS)[number];

  @ApiProperty({ enum: CHARGE_STATUSES }) @IsIn(CHARGE_STATUSES)
  status!: (typeof CHARGE_STATUSES)[number];
}

export class WarrantDto {
  @ApiProperty({ enum: WARRANT_FORMS }) @IsIn(WARRANT_FORMS)
  form!: WarrantForm;

  @ApiProperty({ example: 'SEA-2024-000123' }) @IsString() @IsNotEmpty() @MaxLength(60)
  number!: string;
}

export class IssueDetainerDto {
  @ApiProperty({ enum: DETAINER_FORMS, description: 'Legacy forms only with an issuedAt inside their period' }) @IsIn(DETAINER_FORMS)
  type!: DetainerForm;

  @ApiProperty() @IsUUID()
  facilityId!: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(40)
  bookingNumber?: string;

  @ApiProperty({ type: SubjectDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => SubjectDto)
  subject!: SubjectDto;

  @ApiProperty({ type: [ChargeDto] }) @IsArray() @IsObject({ each: true }) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => ChargeDto)
  charges!: ChargeDto[];

  @ApiProperty({ enum: PROBABLE_CAUSES, isArray: true }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(4) @IsIn(PROBABLE_CAUSES, { each: true })
  probableCause!: ProbableCause[];

  @ApiPropertyOptional({ type: WarrantDto, description: 'Required for I-247A' }) @IsOptional() @IsObject() @ValidateNested() @Type(() => WarrantDto)
  warrant?: WarrantDto;

  @ApiPropertyOptional({ example: '2017-02-01T14:00:00Z', description: 'Defaults to now' }) @IsOptional() @IsInstant()
  issuedAt?: string;

  @ApiPropertyOptional({ enum: CHANNELS, default: 'electronic' }) @IsOptional() @IsIn(CHANNELS)
  channel?: Channel;
}
