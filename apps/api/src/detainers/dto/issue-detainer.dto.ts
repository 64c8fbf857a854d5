import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsObject, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested,
} from 'class-validator';
import {
  CHANNELS, Channel, CHARGE_LEVELS, CHARGE_STATUSES, DETAINER_FORMS, DetainerForm, PROBABLE_CAUSES, ProbableCause, WARRANT_FORMS, WarrantForm,
} from '@app/domain';
import { IsCalendarDate, IsInstant } from '../../common/validators';

export class SubjectDto {
  @ApiPropertyOptional({ example: 'A012345678', description: 'A followed by 8 or 9 digits; stored as 9 digits' })
  @IsOptional() @IsString() @MaxLength(20)
  aNumber?: string;

  @ApiPropertyOptional({ example: '123456AB1' })
  @IsOptional() @IsString() @MaxLength(20)
  fbiNumber?: string;

  @ApiProperty({ example: 'Doe' }) @IsString() @IsNotEmpty() @MaxLength(100)
  familyName!: string;

  @ApiProperty({ example: 'John' }) @IsString() @IsNotEmpty() @MaxLength(100)
  givenName!: string;

  @ApiProperty({ example: '1980-05-17' }) @IsCalendarDate()
  dateOfBirth!: string;

  @ApiPropertyOptional({ enum: ['F', 'M', 'X'] }) @IsOptional() @IsIn(['F', 'M', 'X'])
  sex?: 'F' | 'M' | 'X';

  @ApiProperty({ example: 'HN', description: 'ISO 3166-1 alpha-2' }) @IsString() @Matches(/^[A-Za-z]{2}$/, { message: 'citizenship must be a two-letter ISO 3166-1 code' })
  citizenship!: string;
}

export class ChargeDto {
  @ApiProperty({ example: 'Burglary' }) @IsString() @IsNotEmpty() @MaxLength(300)
  description!: string;

  @ApiPropertyOptional({ example: '2202' }) @IsOptional() @IsString() @Matches(/^[0-9A-Z]{2,4}$/, { message: 'ncicCode must be an NCIC offense code such as 2202' })
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
