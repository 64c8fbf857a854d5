import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, OmitType } from '@nestjs/swagger';
import type { Response } from 'express';
import { DetainerQueries, mayReadIdentity, Principal } from '@app/application';
import { DomainError } from '@app/domain';
import { MAX_PAGE_SIZE } from '@app/persistence';
import { CurrentPrincipal, Roles } from '../common/auth';
import { detainerCsvHeader, detainerCsvLine } from './detainer-csv';
import { detainerFiltersOf } from './detainers.controller';
import { ListDetainersQuery } from './dto/list-detainers.query';

export class ExportDetainersQuery extends OmitType(ListDetainersQuery, ['limit', 'cursor'] as const) {}

/** More rows than this is not a list a person reads: the export asks for narrower filters instead of cutting it short. */
export const MAX_EXPORT_ROWS = 20_000;

/** The detainer list as CSV: the same filters, search and sort, scoped like the list. */
@ApiTags('detainers')
@ApiBearerAuth()
@Controller('api/v1')
export class DetainerExportController {
  constructor(private readonly queries: DetainerQueries) {}

  @Get('detainers.csv')
  @Roles('officer', 'supervisor', 'jail_staff', 'admin')
  @ApiOperation({
    summary: 'The detainer list as CSV (same filters, q and sort as the list)',
    description: `Every matching detainer in your scope, one per line, times in the facility's local time (time_zone column). Identity columns only for roles that may see identities. At most ${MAX_EXPORT_ROWS} rows: narrow the filters for more.`,
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV with a header line', content: { 'text/csv': { schema: { type: 'string' } } } })
  async export(@CurrentPrincipal() principal: Principal, @Query() q: ExportDetainersQuery, @Res({ passthrough: true }) res: Response): Promise<string> {
    const filters = detainerFiltersOf(q);
    const withIdentity = mayReadIdentity(principal);
    const lines = [detainerCsvHeader(withIdentity)];
    let cursor: string | undefined;
    do {
      const page = await this.queries.list(principal, filters, { limit: MAX_PAGE_SIZE, cursor });
      for (const d of page.items) lines.push(detainerCsvLine(d, withIdentity));
      if (lines.length - 1 > MAX_EXPORT_ROWS) {
        throw DomainError.invalidInput('filters', `More than ${MAX_EXPORT_ROWS} detainers match; narrow the filters (issuedFrom/issuedTo, status, facilityId, q) and export in parts.`);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="detainers-${new Date().toISOString().slice(0, 10)}.csv"`);
    return `${lines.join('\r\n')}\r\n`;
  }
}
