import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { AuditChain, AuditLog } from '@app/application';
import { parseInstant } from '@app/domain';
import { AUDIT_ACTOR_KINDS, AUDIT_CATEGORIES, AuditActorKind, AuditCategory, AuditEntryRecord } from '@app/persistence';
import { Roles } from '../common/auth';
import { pageOf, PageQuery } from '../common/paging.dto';
import { PageBody, PageOf } from '../common/responses';
import { AuditChainReportResponse, AuditEntryResponse } from './audit.responses';

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

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Audit entries, newest first, with filters and cursor paging (admin)' })
  @ApiOkResponse({ type: PageOf(AuditEntryResponse) })
  async list(@Query() q: AuditQuery): Promise<PageBody<AuditEntryResponse>> {
    const page = await this.audit.list(
      {
        category: q.category,
        action: q.action,
        outcome: q.outcome,
        actorKind: q.actorKind,
        actorId: q.actorId,
        agencyId: q.agencyId,
        targetType: q.targetType,
        targetId: q.targetId,
        requestId: q.requestId,
        clientAddress: q.clientAddress,
        from: q.from ? parseInstant(q.from, 'from') : undefined,
        to: q.to ? parseInstant(q.to, 'to') : undefined,
      },
      pageOf(q),
    );
    return { items: page.items.map(presentEntry), nextCursor: page.nextCursor };
  }
}
