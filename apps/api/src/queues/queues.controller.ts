import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ClaimQueueItem, ClaimRequest, ClaimResult, Principal, QueueQueries } from '@app/application';
import { CLAIM_ROLES, DomainError } from '@app/domain';
import { QueueFilters } from '@app/persistence';
import { CurrentPrincipal, Roles } from '../common/auth';
import { pageOf } from '../common/paging.dto';
import { PageBody, PageOf } from '../common/responses';
import { ClaimResultResponse, QueueItemResponse, QueueSummaryResponse } from './queue.responses';
import { requestIdOf } from '../detainers/detainers.controller';
import { presentClaim, presentQueueItem, presentQueueSummary } from './queue.presenter';
import { AssignDto, QueueFiltersQuery, QueuePageQuery } from './queues.dto';

const detainerId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'No detainer with this id.') });

const filtersOf = (q: QueueFiltersQuery): QueueFilters => ({
  facilityId: q.facilityId,
  agencyId: q.agencyId,
  jurisdictionId: q.jurisdictionId,
  form: q.type,
});

/**
 * The supervisors' compliance queues: what needs a person now in the caller's AOR (admins: the
 * whole country), ordered by what is due first, as of the server's clock.
 */
@ApiTags('queues')
@ApiBearerAuth()
@ApiResponse({ status: 404, description: 'Unknown queue, or a detainer unknown or outside your scope' })
@Controller('api/v1/queues')
export class QueuesController {
  constructor(
    private readonly queries: QueueQueries,
    private readonly claims: ClaimQueueItem,
  ) {}

  @Get()
  @Roles('officer', 'supervisor', 'admin')
  @ApiOperation({ summary: 'Each queue with its count and oldest due time (local time of that item\'s facility)' })
  @ApiOkResponse({ type: [QueueSummaryResponse] })
  async summary(@CurrentPrincipal() principal: Principal, @Query() q: QueueFiltersQuery): Promise<QueueSummaryResponse[]> {
    return (await this.queries.summary(principal, filtersOf(q))).map(presentQueueSummary);
  }

  @Get(':name')
  @Roles('officer', 'supervisor', 'admin')
  @ApiOperation({ summary: 'Items of one queue, earliest due first, cursor-paged (keyset on due time and detainer id)' })
  @ApiOkResponse({ type: PageOf(QueueItemResponse) })
  @ApiResponse({ status: 400, description: 'Invalid filter, or a cursor of another queue or filter' })
  async page(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Query() q: QueuePageQuery): Promise<PageBody<QueueItemResponse>> {
    const page = await this.queries.page(principal, name, filtersOf(q), pageOf(q));
    return { items: page.items.map((i) => presentQueueItem(i, principal)), nextCursor: page.nextCursor };
  }

  @Post(':name/items/:detainerId/claim') @HttpCode(200) @Roles(...CLAIM_ROLES.claim)
  @ApiOperation({ summary: 'Take the item: others see you hold it. Held by someone else: 409 (a supervisor can reassign)' })
  @ApiOkResponse({ type: ClaimResultResponse })
  @ApiResponse({ status: 409, description: 'Held by someone else (holderId, holderUsername), or no longer in the queue' })
  claim(@CurrentPrincipal() p: Principal, @Param('name') name: string, @Param('detainerId', detainerId) id: string, @Req() req: Request) {
    return this.run(p, name, id, { type: 'claim' }, req);
  }

  @Post(':name/items/:detainerId/assign') @HttpCode(200) @Roles(...CLAIM_ROLES.assign)
  @ApiOperation({ summary: 'Give the item to an officer or supervisor of the AORs concerned, taking it over from its holder' })
  @ApiOkResponse({ type: ClaimResultResponse })
  @ApiResponse({ status: 409, description: 'expectedHolderId is stale (holderId says who holds it), or the item is no longer in the queue' })
  assign(@CurrentPrincipal() p: Principal, @Param('name') name: string, @Param('detainerId', detainerId) id: string, @Body() b: AssignDto, @Req() req: Request) {
    return this.run(p, name, id, { type: 'assign', assigneeId: b.assigneeId, ...(b.expectedHolderId !== undefined && { expectedHolderId: b.expectedHolderId }) }, req);
  }

  @Post(':name/items/:detainerId/release-claim') @HttpCode(200) @Roles(...CLAIM_ROLES.release_claim)
  @ApiOperation({ summary: 'Let go of the item (the holder, or any supervisor); also once it has left the queue' })
  @ApiOkResponse({ type: ClaimResultResponse })
  releaseClaim(@CurrentPrincipal() p: Principal, @Param('name') name: string, @Param('detainerId', detainerId) id: string, @Req() req: Request) {
    return this.run(p, name, id, { type: 'release_claim' }, req);
  }

  private async run(principal: Principal, name: string, id: string, request: ClaimRequest, req: Request): Promise<ClaimResultResponse> {
    const result: ClaimResult = await this.claims.execute(principal, name, id, request, { requestId: requestIdOf(req) });
    return {
      queue: result.queue,
      detainerId: result.detainerId,
      claim: presentClaim(result.claim, result.timeZone),
      item: result.item ? presentQueueItem(result.item, principal) : null,
    };
  }
}
