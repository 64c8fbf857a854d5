import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ROLES } from '@app/domain';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { AuditChain, AuditLog } from '@app/application';
import { parseInstant } from '@app/domain';
import { AUDIT_ACTOR_KINDS, AUDIT_CATEGORIES, AuditActorKind, AuditCategory, AuditEntryRecord, AuditFilters } from '@app/persistence';
import { Roles } from '../common/auth';
import { pageOf, PageQuery } from '../common/paging.dto';
import { PageBody, PageOf } from '../common/responses';
import { AuditChainReportResponse, AuditEntryResponse } from './audit.responses';
import { AUDIT_CSV_COLUMNS, auditCsvLines } from './audit-csv';

/** An export stops here: narrow the filters (time, person, action) for more. */
export const AUDIT_EXPORT_MAX_ROWS = 50_000;
const EXPORT_PAGE = 1000;

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ enum: AUDIT_CATEGORIES }) @IsOptional() @IsIn(AUDIT_CATEGORIES)
  category?: AuditCategory;

  @ApiPropertyOptional({ description: 'e.g. auth.login, auth.lockout, or "POST /api/v1/detainers/:id/acknowledge"' })
  @IsOptional() @IsString() @MaxLength(200)
  action?: string;

  @ApiPropertyOptional({ enum: ['success', 'failure'] }) @IsOptional() @IsIn(['success', 'failure'])
  outcome?: 'success' | 'failure';

  @ApiPropertyOptional({ enum: AUDIT_ACTOR_KINDS }) @IsOptional() @IsIn(AUDIT_ACTOR_KINDS)
  actorKind?: AuditActorKind;

  @ApiPropertyOptional({ description: 'A user or API key id' }) @IsOptional() @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ enum: ROLES, description: "The actor's role at the time" }) @IsOptional() @IsIn(ROLES)
  actorRole?: string;

  @ApiPropertyOptional({ description: "The actor's agency" }) @IsOptional() @IsUUID()
  agencyId?: string;

  @ApiPropertyOptional({ description: 'e.g. detainers, users, api-keys' }) @IsOptional() @IsString() @Matches(/^[a-z0-9-]{1,50}$/)
  targetType?: string;

  @ApiPropertyOptional({ description: 'The id acted on or read' }) @IsOptional() @IsString() @MaxLength(200)
  targetId?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64)
  requestId?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100)
  clientAddress?: string;

  @ApiPropertyOptional({ description: 'From this instant (inclusive), ISO 8601 with offset' }) @IsOptional() @IsString() @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({ description: 'Before this instant, ISO 8601 with offset' }) @IsOptional() @IsString() @MaxLength(40)
  to?: string;
}

function presentEntry(e: AuditEntryRecord): AuditEntryResponse {
  return { ...e, at: e.at.toISOString() };
}

/** The audit log, for administrators. Reading it is itself audited (category audit_read). */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditLog,
    private readonly chain: AuditChain,
  ) {}

  @Get('verify')
  @Roles('admin')
  @ApiOperation({ summary: "Checks the audit log's hash chain (admin): { ok, rows, firstBrokenId? }; entries not chained yet are chained first" })
  @ApiOkResponse({ type: AuditChainReportResponse })
  verify(): Promise<AuditChainReportResponse> {
    return this.chain.verify();
  }

  @Get('export.csv')
  @Roles('admin')
  @ApiOperation({
    summary: `The entries the same filters select, newest first, as CSV (admin; at most ${AUDIT_EXPORT_MAX_ROWS.toLocaleString('en-US')} rows)`,
    description: 'Times are UTC. The export is itself audited (category audit_read). X-Export-Truncated: true when the filters select more rows than one export holds.',
  })
  @ApiResponse({ status: 200, description: 'CSV with a header row', content: { 'text/csv': { schema: { type: 'string' } } } })
  async exportCsv(@Query() q: AuditQuery, @Res({ passthrough: true }) res: Response): Promise<string> {
    const filters = filtersOf(q);
    let csv = `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;
    let rows = 0;
    let cursor: string | undefined;
    do {
      const page = await this.audit.list(filters, { limit: Math.min(EXPORT_PAGE, AUDIT_EXPORT_MAX_ROWS - rows), cursor });
      csv += auditCsvLines(page.items);
      rows += page.items.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor && rows < AUDIT_EXPORT_MAX_ROWS);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="audit-log-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}Z.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Export-Truncated', String(Boolean(cursor)));
    return csv;
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Audit entries, newest first, with filters and cursor paging (admin)' })
  @ApiOkResponse({ type: PageOf(AuditEntryResponse) })
  async list(@Query() q: AuditQuery): Promise<PageBody<AuditEntryResponse>> {
    const page = await this.audit.list(filtersOf(q), pageOf(q));
    return { items: page.items.map(presentEntry), nextCursor: page.nextCursor };
  }
}

function filtersOf(q: AuditQuery): AuditFilters {
  return {
    category: q.category,
    action: q.action,
    outcome: q.outcome,
    actorKind: q.actorKind,
    actorId: q.actorId,
    actorRole: q.actorRole,
    agencyId: q.agencyId,
    targetType: q.targetType,
    targetId: q.targetId,
    requestId: q.requestId,
    clientAddress: q.clientAddress,
    from: q.from ? parseInstant(q.from, 'from') : undefined,
    to: q.to ? parseInstant(q.to, 'to') : undefined,
  };
}
