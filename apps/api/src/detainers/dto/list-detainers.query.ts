import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { LODGING_STATUSES } from '@app/domain';
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
}
