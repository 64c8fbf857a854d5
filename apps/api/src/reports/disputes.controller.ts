import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Principal, RecordDisputes } from '@app/application';
import { DomainError } from '@app/domain';
import { RecordDisputeRecord } from '@app/persistence';
import { CurrentPrincipal, Roles } from '../common/auth';
import { IdempotentCreate } from '../common/idempotency';
import { requestIdOf } from '../detainers/detainers.controller';
import { pageOf } from '../common/paging.dto';
import { PageBody, PageOf } from '../common/responses';
import { DisputeResponse } from './reports.responses';
import { ListDisputesQuery, OpenDisputeDto, ResolveDisputeDto } from './reports.dto';

const detainerId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'No detainer with this id.') });
const disputeId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'No dispute with this id.') });

function present(d: RecordDisputeRecord): DisputeResponse {
  return {
    id: d.id,
    detainerId: d.detainerId,
    lodging: d.lodging,
    agency: d.agency,
    jurisdiction: d.jurisdiction,
    reason: d.reason,
    reasonPublic: d.reasonPublic,
    status: d.status,
    openedAt: d.openedAt.toISOString(),
    resolvedAt: d.resolvedAt?.toISOString(),
    note: d.note ?? undefined,
    notePublic: d.resolvedAt ? d.notePublic : undefined,
    correction: d.correction ?? undefined,
  };
}

/** Record disputes: an agency contests a record about it; a supervisor of the area decides. */
@ApiTags('disputes')
@ApiBearerAuth()
@Controller('api/v1')
export class DisputesController {
  constructor(private readonly disputes: RecordDisputes) {}

  @Post('detainers/:id/disputes')
  @Roles('jail_staff')
  @IdempotentCreate()
  @ApiOperation({ summary: 'Dispute a record about your agency (shown on its rows in every report output until decided)' })
  @ApiCreatedResponse({ type: DisputeResponse, description: 'The dispute, open' })
  @ApiResponse({ status: 409, description: 'This lodging already has an open dispute' })
  async open(@CurrentPrincipal() p: Principal, @Param('id', detainerId) id: string, @Body() b: OpenDisputeDto, @Req() req: Request): Promise<DisputeResponse> {
    return present(await this.disputes.open(p, id, { reason: b.reason, reasonPublic: b.reasonPublic === true, lodging: b.lodging }, requestIdOf(req)));
  }

  @Post('disputes/:id/resolve')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Uphold (correcting the record through new events) or reject a dispute, with a note' })
  @ApiOkResponse({ type: DisputeResponse, description: 'The dispute, decided' })
  @ApiResponse({ status: 409, description: 'Already decided (a decision is final)' })
  async resolve(@CurrentPrincipal() p: Principal, @Param('id', disputeId) id: string, @Body() b: ResolveDisputeDto, @Req() req: Request): Promise<DisputeResponse> {
    return present(await this.disputes.resolve(p, id, { decision: b.decision, note: b.note, notePublic: b.notePublic === true, correction: b.correction }, requestIdOf(req)));
  }

  @Get('disputes')
  @Roles('jail_staff', 'supervisor', 'officer', 'admin')
  @ApiOperation({ summary: 'Disputes in your scope, oldest first' })
  @ApiOkResponse({ type: PageOf(DisputeResponse) })
  async list(@CurrentPrincipal() p: Principal, @Query() q: ListDisputesQuery): Promise<PageBody<DisputeResponse>> {
    const page = await this.disputes.list(p, { status: q.status, detainerId: q.detainerId }, pageOf(q));
    return { items: page.items.map(present), nextCursor: page.nextCursor };
  }

  @Get('disputes/:id')
  @Roles('jail_staff', 'supervisor', 'officer', 'admin')
  @ApiOperation({ summary: 'One dispute' })
  @ApiOkResponse({ type: DisputeResponse })
  async get(@CurrentPrincipal() p: Principal, @Param('id', disputeId) id: string): Promise<DisputeResponse> {
    return present(await this.disputes.get(p, id));
  }
}
