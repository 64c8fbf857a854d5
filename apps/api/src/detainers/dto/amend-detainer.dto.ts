import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { citizenshipProblem, FIELD_LIMITS, nameProblem, stateIdProblem, textProblem } from '@app/domain';
import { IsCalendarDate, SatisfiesRule } from '../../common/validators';
import { VersionedDto } from './actions.dto';
import { ChargeDto } from './issue-detainer.dto';

/** The person's fields a correction may change; only those given change. The A-number is not among them: a new number is a new person. */
export class AmendSubjectDto {
  @ApiPropertyOptional({ example: 'Doe', maxLength: FIELD_LIMITS.familyName }) @IsOptional() @SatisfiesRule((v) => nameProblem('familyName', v))
  familyName?: string;

  @ApiPropertyOptional({ example: 'John', maxLength: FIELD_LIMITS.givenName }) @IsOptional() @SatisfiesRule((v) => nameProblem('givenName', v))
  givenName?: string;

  @ApiPropertyOptional({ example: '1980-05-17', description: 'In the past, giving an age under 120' }) @IsOptional() @IsCalendarDate()
  dateOfBirth?: string;

  @ApiPropertyOptional({ enum: ['F', 'M', 'X'] }) @IsOptional() @IsIn(['F', 'M', 'X'])
  sex?: 'F' | 'M' | 'X';

  @ApiPropertyOptional({ example: 'HN', description: 'ISO 3166-1 alpha-2 country code' }) @IsOptional() @SatisfiesRule(citizenshipProblem)
  citizenship?: string;

  @ApiPropertyOptional({ example: '123456AB1' }) @IsOptional() @IsString() @MaxLength(20)
  fbiNumber?: string;

  @ApiPropertyOptional({ example: 'WA-12345678', maxLength: 20, description: 'State identification number (SID): 1 to 20 letters, digits or hyphens once trimmed; stored uppercased, never cut to fit' })
  @IsOptional() @SatisfiesRule(stateIdProblem)
  stateId?: string;
}

export class AmendDetainerDto extends VersionedDto {
  @ApiProperty({ example: 'Date of birth mistyped at lodging; corrected from the I-213', maxLength: FIELD_LIMITS.reason })
  @SatisfiesRule((v) => textProblem('reason', v, FIELD_LIMITS.reason))
  reason!: string;

  @ApiPropertyOptional({ type: AmendSubjectDto, description: 'The issuing AOR (officer, supervisor) corrects the person' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => AmendSubjectDto)
  subject?: AmendSubjectDto;

  @ApiPropertyOptional({ type: [ChargeDto], description: 'The whole list of charges as it should be (issuing AOR)' })
  @IsOptional() @IsArray() @IsObject({ each: true }) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => ChargeDto)
  charges?: ChargeDto[];

  @ApiPropertyOptional({ example: '2026-000123', maxLength: FIELD_LIMITS.bookingNumber, description: 'The agency holding the person (jail staff) corrects its booking number' })
  @IsOptional() @SatisfiesRule((v) => textProblem('bookingNumber', v, FIELD_LIMITS.bookingNumber))
  bookingNumber?: string;
}
