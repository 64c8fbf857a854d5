import { Controller, Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags, getSchemaPath, ApiExtraModels } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ImportQueries, Principal } from '@app/application';
import { DomainError } from '@app/domain';
import { MAX_PAGE_SIZE } from '@app/persistence';
import { CurrentPrincipal, Roles } from '../common/auth';
import { pageOf, PageQuery } from '../common/paging.dto';
import { ImportRunPage, ImportRunResponse, presentQuarantineRow, presentRun, QuarantinePage } from './imports.responses';
import { quarantineCsvHeader, quarantineCsvLine } from './quarantine-csv';

const runId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'No import run with this id.') });

/** CSV when the path ends in .csv or the client asks for text/csv first. */
function wantsCsv(req: Request, suffix: boolean): boolean {
  return suffix || req.accepts(['application/json', 'text/csv']) === 'text/csv';
}

/** The runs of the federal-release import and the rows each did not import (admins and analysts: the public record, de-identified). */
@ApiTags('imports')
@ApiExtraModels(QuarantinePage)
@ApiBearerAuth()
@Controller('api/v1/imports')
export class ImportsController {
  constructor(private readonly queries: ImportQueries) {}

  @Get()
  @Roles('admin', 'analyst')
  @ApiOperation({ summary: 'Runs of the federal-release import, newest first: file, sha256, rows read, imported, quarantined by reason' })
  @ApiOkResponse({ type: ImportRunPage })
  @ApiResponse({ status: 400, description: 'Bad limit or cursor (details name the field)' })
  @ApiResponse({ status: 401, description: 'No or bad credentials' })
  @ApiResponse({ status: 403, description: 'Not an admin or analyst' })
  async list(@CurrentPrincipal() principal: Principal, @Query() q: PageQuery): Promise<ImportRunPage> {
    const page = await this.queries.listRuns(principal, pageOf(q));
    return { items: page.items.map(presentRun), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Roles('admin', 'analyst')
  @ApiOperation({ summary: 'One import run and its counts' })
  @ApiOkResponse({ type: ImportRunResponse })
  @ApiResponse({ status: 401, description: 'No or bad credentials' })
  @ApiResponse({ status: 403, description: 'Not an admin or analyst' })
  @ApiResponse({ status: 404, description: 'No such run' })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', runId) id: string): Promise<ImportRunResponse> {
    return presentRun(await this.queries.run(principal, id));
  }

  @Get(':id/quarantine.csv')
  @Roles('admin', 'analyst')
  @ApiOperation({ summary: 'Every row the run did not import, and why, as CSV (the release\'s columns as read after the reason)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV with a header line', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 401, description: 'No or bad credentials' })
  @ApiResponse({ status: 403, description: 'Not an admin or analyst' })
  @ApiResponse({ status: 404, description: 'No such run' })
  async quarantineCsv(@CurrentPrincipal() principal: Principal, @Param('id', runId) id: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    return this.csv(principal, id, res);
  }

  @Get(':id/quarantine')
  @Roles('admin', 'analyst')
  @ApiOperation({
    summary: 'Rows the run did not import and why (unmapped facility, bad date, unknown form, ...), in file order',
    description: 'JSON pages; the whole list as CSV with .csv or Accept: text/csv.',
  })
  @ApiResponse({
    status: 200,
    description: 'A page of quarantined rows with the run, or the whole list as CSV',
    content: { 'application/json': { schema: { $ref: getSchemaPath(QuarantinePage) } }, 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiResponse({ status: 400, description: 'Bad limit or cursor (details name the field)' })
  @ApiResponse({ status: 401, description: 'No or bad credentials' })
  @ApiResponse({ status: 403, description: 'Not an admin or analyst' })
  @ApiResponse({ status: 404, description: 'No such run' })
  async quarantine(
    @CurrentPrincipal() principal: Principal, @Param('id', runId) id: string, @Query() q: PageQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response,
  ): Promise<QuarantinePage | string> {
    if (wantsCsv(req, false)) return this.csv(principal, id, res);
    const page = await this.queries.quarantine(principal, id, pageOf(q));
    return { items: page.items.map(presentQuarantineRow), nextCursor: page.nextCursor, run: presentRun(page.run) };
  }

  private async csv(principal: Principal, id: string, res: Response): Promise<string> {
    const lines = [quarantineCsvHeader()];
    let cursor: string | undefined;
    let fileName = '';
    do {
      const page = await this.queries.quarantine(principal, id, { limit: MAX_PAGE_SIZE, cursor });
      fileName = page.run.fileName;
      for (const row of page.items) lines.push(quarantineCsvLine(row));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="quarantine-${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}-${id}.csv"`);
    return `${lines.join('\r\n')}\r\n`;
  }
}
