import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Principal, WorklistQueries } from '@app/application';
import { WORKLIST_SECTIONS } from '@app/persistence';
import { CurrentPrincipal, Roles } from '../common/auth';
import { presentDetainer } from '../detainers/detainer.presenter';
import { WorklistResponse } from './worklist.responses';

export class WorklistQuery {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200, description: 'How many of each list to return (the totals count them all)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;
}

/** The jail's worklist: a read of its own, apart from the detainer list and its filters. */
@ApiTags('detainers')
@ApiBearerAuth()
@Controller('api/v1/worklist')
export class WorklistController {
  constructor(private readonly worklist: WorklistQueries) {}

  @Get()
  @Roles('jail_staff')
  @ApiOperation({
    summary: "Your agency's work, in four lists each ordered by what is due first",
    description: 'Awaiting acknowledgment, awaiting a release date, releases in the next 48 hours, holds ending. Only detainers whose current lodging is with your agency.',
  })
  @ApiOkResponse({ type: WorklistResponse })
  async get(@CurrentPrincipal() principal: Principal, @Query() q: WorklistQuery): Promise<WorklistResponse> {
    const list = await this.worklist.get(principal, q.limit ?? 50);
    const body = { asOf: list.asOf.toISOString() } as WorklistResponse;
    for (const section of WORKLIST_SECTIONS) body[section] = { total: list[section].total, items: list[section].items.map(presentDetainer) };
    return body;
  }
}
