import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { LODGING_STATUSES } from '@app/domain';
import { DETAINER_SORTS, DetainerSort } from '@app/persistence';
import { PageQuery } from '../../common/paging.dto';
import { IsInstant } from '../../common/validators';

const DETAINER_STATUSES = LODGING_STATUSES;

export class ListDetainersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DETAINER_STATUSES }) @IsOptional() @IsIn(DETAINER_STATUSES)
  status?: (typeof DETAINER_STATUSES)[number];

  @ApiPropertyOptional() @IsOptional() @IsUUID() facilityId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() agencyId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() jurisdictionId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() areaId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() subjectId?: string;

  @ApiPropertyOptional({ description: 'issued at or after (ISO 8601 with offset)' }) @IsOptional() @IsInstant()
  issuedFrom?: string;

  @ApiPropertyOptional({ description: 'issued before (ISO 8601 with offset)' }) @IsOptional() @IsInstant()
  issuedTo?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false'])
  declined?: 'true' | 'false';

  @ApiPropertyOptional({
    example: 'rosa mendosa',
    description: 'A name (words in any order; accents and case ignored; partial and misspelt words found), or exactly an A-number, FBI number, state ID or booking number',
    minLength: 2,
    maxLength: 100,
  })
  @IsOptional() @MinLength(2) @MaxLength(100) @Matches(/\S.*\S|\S{2}/, { message: 'q must hold at least two characters besides spaces' })
  q?: string;

  @ApiPropertyOptional({ enum: DETAINER_SORTS, default: '-issuedAt', description: 'Order of the list (a leading - is newest or latest first); releases not yet scheduled come last' })
  @IsOptional() @IsIn(DETAINER_SORTS)
  sort?: DetainerSort;
}
