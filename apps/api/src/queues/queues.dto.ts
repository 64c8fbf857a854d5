import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import { DETAINER_FORMS, DetainerForm } from '@app/domain';
import { PageQuery } from '../common/paging.dto';

/** Filters of a queue (the facility, agency and jurisdiction of the lodging that holds the person now). */
export class QueueFiltersQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() facilityId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() agencyId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() jurisdictionId?: string;
  @ApiPropertyOptional({ enum: DETAINER_FORMS, description: 'detainer type (form)' }) @IsOptional() @IsIn(DETAINER_FORMS)
  type?: DetainerForm;
}

export class QueuePageQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() facilityId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() agencyId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() jurisdictionId?: string;
  @ApiPropertyOptional({ enum: DETAINER_FORMS, description: 'detainer type (form)' }) @IsOptional() @IsIn(DETAINER_FORMS)
  type?: DetainerForm;
}

export class AssignDto {
  @ApiProperty({ description: 'An officer or supervisor of the AOR that issued the detainer or holds the facility' }) @IsUUID()
  assigneeId!: string;

  @ApiPropertyOptional({ nullable: true, description: 'Who you saw holding the item (null: nobody); a different holder now is a 409' })
  @IsOptional() @ValidateIf((o: AssignDto) => o.expectedHolderId !== null) @IsUUID()
  expectedHolderId?: string | null;
}
