import { applyDecorators, Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ActionRequest, AmendDetainer, DetainerQueries, IssueDetainer, Principal, RecordDetainerAction } from '@app/application';
import { ACTION_ROLES, DomainError, parseInstant } from '@app/domain';
import { DetainerFilters } from '@app/persistence';
import { CurrentPrincipal, Roles } from '../common/auth';
import { IdempotentCreate } from '../common/idempotency';
import { pageOf } from '../common/paging.dto';
import { PageBody, PageOf } from '../common/responses';
import { presentDetainer } from './detainer.presenter';
import { DetainerResponse, DetainerWithActionsResponse } from './dto/detainer.response';
import {
  AcknowledgeDto, AtDto, CancelDto, DecideIdentityClaimDto, NoteDto, NotInCustodyDto, OutcomeDto, RecordDeclineDto, RefuseDto, ReleaseDto,
  ScheduleReleaseDto, StartHoldDto, VersionedDto,
} from './dto/actions.dto';
import { AmendDetainerDto } from './dto/amend-detainer.dto';
import { IssueDetainerDto } from './dto/issue-detainer.dto';
import { ListDetainersQuery } from './dto/list-detainers.query';

const id = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'No detainer with this id.') });

/** Detainers: thin HTTP over the use cases. Roles per action come from the domain's table. */
@ApiTags('detainers')
@ApiBearerAuth()
@Controller('api/v1/detainers')
export class DetainersController {
  constructor(
    private readonly issueDetainer: IssueDetainer,
    private readonly recordAction: RecordDetainerAction,
    private readonly queries: DetainerQueries,
    private readonly amendDetainer: AmendDetainer,
  ) {}

  @Post()
  @Roles(...ACTION_ROLES.issue)
  @IdempotentCreate()
  @ApiOperation({ summary: 'Lodge a detainer with a facility (officer)' })
  @ApiCreatedResponse({ type: DetainerResponse, description: 'The detainer, issued (a replay of the same Idempotency-Key and body returns the first answer, with Idempotent-Replayed: true)' })
  @ApiConflictResponse({
    description:
      'identity_mismatch: the A-number or FBI number is on file for a person whose family name, given name, date of birth, citizenship, sex or FBI number differ ' +
      '(details name the fields, never the values on file; nothing is written); or the A-number and FBI number belong to different people on file',
  })
  async issue(@CurrentPrincipal() principal: Principal, @Body() body: IssueDetainerDto, @Req() req: Request): Promise<DetainerResponse> {
    return presentDetainer(await this.issueDetainer.execute(principal, body, { requestId: requestIdOf(req) }));
  }

  @Get()
  @Roles('officer', 'supervisor', 'jail_staff', 'admin')
  @ApiOperation({ summary: 'Detainers in your scope, newest issued first (or as `sort` says); `q` finds a person by name or identifier' })
  @ApiOkResponse({ type: PageOf(DetainerResponse) })
  async list(@CurrentPrincipal() principal: Principal, @Query() q: ListDetainersQuery): Promise<PageBody<DetainerResponse>> {
    const page = await this.queries.list(
      principal,
      detainerFiltersOf(q),
      pageOf(q),
    );
    return { items: page.items.map(presentDetainer), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Roles('officer', 'supervisor', 'jail_staff', 'admin')
  @ApiOperation({ summary: 'One detainer with its timeline (events, oldest first), the actions you may take on it now (allowedActions) and which of them are the expected next step (nextSteps)' })
  @ApiOkResponse({ type: DetainerWithActionsResponse })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', id) detainerId: string): Promise<DetainerWithActionsResponse> {
    const detainer = presentDetainer(await this.queries.get(principal, detainerId));
    return { ...detainer, ...(await this.queries.actions(principal, detainerId)) };
  }

  @Post(':id/acknowledge') @HttpCode(200) @Roles(...ACTION_ROLES.acknowledge)
  @ApiOperation({ summary: 'Jail staff acknowledge receipt and say whether they will comply' })
  @ActionResponses()
  acknowledge(@CurrentPrincipal() p: Principal, @Param('id', id) detainerId: string, @Body() b: AcknowledgeDto, @Req() req: Request) {
    const { expectedVersion, ...rest } = b;
    return this.act(p, detainerId, { type: 'acknowledge', ...rest }, expectedVersion, req);
  }

  @Post(':id/not-in-custody') @HttpCode(200) @Roles(...ACTION_ROLES.report_not_in_custody)
  @ApiOperation({ summary: 'The person is not held here: the detainer is misdirected and never counts against this agency' })
  @ActionResponses()
  notInCustody(@CurrentPrincipal() p: Principal, @Param('id', id) detainerId: string, @Body() b: NotInCustodyDto, @Req() req: Request) {
    return this.act(p, detainerId, { type: 'report_not_in_custody', note: b.note }, b.expectedVersion, req);
  }

  @Post(':id/schedule-release') @HttpCode(200) @Roles(...ACTION_ROLES.schedule_release)
  @ApiOperation({ summary: 'Give (or change) the release date and time; under 48 hours ahead is short notice' })
  @ActionResponses()
  scheduleRelease(@CurrentPrincipal() p: Principal, @Param('id', id) detainerId: string, @Body() b: ScheduleReleaseDto, @Req() req: Request) {
    return this.act(p, detainerId, { type: 'schedule_release', releaseAt: b.releaseAt }, b.expectedVersion, req);
  }

  @Post(':id/plan-pickup') @HttpCode(200) @Roles(...ACTION_ROLES.plan_pickup)
  @ApiOperation({ summary: 'When the federal office will assume custody' })
  @ActionResponses()
  planPickup(@CurrentPrincipal() p: Principal, @Param('id', id) detainerId: string, @Body() b: AtDto, @Req() req: Request) {
    return this.act(p, detainerId, { type: 'plan_pickup', at: b.at }, b.expectedVersion, req);
  }

  @Post(':id/start-hold') @HttpCode(200) @Roles(...ACTION_ROLES.start_hold)
  @ApiOperation({ summary: 'Start the hold of up to 48 hours (hold-asking forms, with a warrant on file)' })
  @ActionResponses()
  startHold(@CurrentPrincipal() p: Principal, @Param('id', id) detainerId: string, @Body() b: StartHoldDto, @Req() req: Request) {
    return this.act(p, detainerId, { type: 'start_hold', since: b.since }, b.expectedVersion, req);
  }

  @Post(':id/transfer-to-ice') @HttpCode(200) @Roles(...ACTION_ROLES.transfer_to_ice)
  @ApiOperation({ summary: 'Custody passed to the federal office: the request was honored' })
  @ActionResponses()
  transferToIce(@CurrentPrincipal() p: Principal, @Param('id', id) detainerId: string, @Body() b: AtDto, @Req() req: Request) {
    return this.act(p, detainerId, { type: 'transfer_to_ice', at: b.at }, b.expectedVersion, req);
  }

  @Post(':id/release') @HttpCode(200) @Roles(...ACTION_ROLES.release)
  @ApiOperation({ summary: 'Released to the community, or to another agency (the detainer follows and is lodged anew there)' })
  @ActionResponses()
  release(@CurrentPrincipal() p: Principal, @Param('id', id) detainerId: string, @Body() b: ReleaseDto, @Req() req: Request) {
    const request: ActionRequest =
      b.destination === 'other_agency'
        ? { type: 'release', at: b.at, destination: 'other_agency', toFacilityId: b.toFacilityId! }
        : { type: 'release', at: b.at, destination: 'community' };
    return this.act(p, detainerId, request, b.expectedVersion, req);
  }

  @Post(':id/refuse') @HttpCode(200) @Roles(...ACTION_ROLES.refuse)
  @ApiOperation({ summary: 'The agency will not honor the request while still holding the person (a decline, recorded now)' })
  @ActionResponses()
  refuse(@CurrentPrincipal() p: Principal, @Param('id', id) detainerId: string, @Body() b: RefuseDto, @Req() req: Request) {
    return this.act(p, detainerId, { type: 'refuse', at: b.at, reason: b.reason, policyId: b.policyId }, b.expectedVersion, req);
  }

  @Post(':id/record-decline') @HttpCode(200) @Roles(...ACTION_ROLES.record_decline)
  @ApiOperation({ summary: 'A release against the request learned after the fact' })
  @ActionResponses()
  recordDecline(@CurrentPrincipal() p: Principal, @Param('id', id) detainerId: string, @Body() b: RecordDeclineDto, @Req() req: Request) {
    return this.act(p, detainerId, { type: 'record_decline', at: b.at, reason: b.reason, source: b.source }, b.expectedVersion, req);
  }

  @Post(':id/claim-citizenship') @HttpCode(200) @Roles(...ACTION_ROLES.claim_citizenship)
  @ApiOperation({ summary: 'The subject claims U.S. citizenship: disputed, any hold suspended, a supervisor decides' })
  @ActionResponses()
  claimCitizenship(@CurrentPrincipal() p: Principal, @Param('id', id) detainerId: string, @Body() b: NoteDto, @Req() req: Request) {
    return this.act(p, detainerId, { type: 'claim_citizenship', note: b.note }, b.expectedVersion, req);
  }

  @Post(':id/dispute-identity') @HttpCode(200) @Roles(...ACTION_ROLES.dispute_identity)
  @ApiOperation({ summary: 'The person held is not the subject: disputed, any hold suspended, a supervisor decides' })
  @ActionResponses()
  disputeIdentity(@CurrentPrincipal() p: Principal, @Param('id', id) detainerId: string, @Body() b: NoteDto, @Req() req: Request) {
    return this.act(p, detainerId, { type: 'dispute_identity', note: b.note }, b.expectedVersion, req);
  }

  @Post(':id/decide-identity-claim') @HttpCode(200) @Roles(...ACTION_ROLES.decide_identity_claim)
  @ApiOperation({ summary: 'Supervisor decides a citizenship or identity claim: upheld cancels, rejected restores' })
  @ActionResponses()
  decideIdentityClaim(@CurrentPrincipal() p: Principal, @Param('id', id) detainerId: string, @Body() b: DecideIdentityClaimDto, @Req() req: Request) {
    return this.act(p, detainerId, { type: 'decide_identity_claim', decision: b.decision, note: b.note }, b.expectedVersion, req);
  }

  @Post(':id/cancel') @HttpCode(200) @Roles(...ACTION_ROLES.cancel)
  @ApiOperation({ summary: 'Cancel (issued_in_error, wrong_subject and us_citizen mean it never counted)' })
  @ActionResponses()
  cancel(@CurrentPrincipal() p: Principal, @Param('id', id) detainerId: string, @Body() b: CancelDto, @Req() req: Request) {
    return this.act(p, detainerId, { type: 'cancel', reason: b.reason, note: b.note }, b.expectedVersion, req);
  }

  @Post(':id/outcome') @HttpCode(200) @Roles(...ACTION_ROLES.record_outcome)
  @ApiOperation({ summary: 'What happened after release or transfer to federal custody' })
  @ActionResponses()
  outcome(@CurrentPrincipal() p: Principal, @Param('id', id) detainerId: string, @Body() b: OutcomeDto, @Req() req: Request) {
    return this.act(p, detainerId, { type: 'record_outcome', kind: b.kind, at: b.at, relatedDetainerId: b.relatedDetainerId }, b.expectedVersion, req);
  }

  @Post(':id/amend') @HttpCode(200) @Roles(...ACTION_ROLES.amend)
  @ApiOperation({
    summary: 'Correct a record: the person and charges (issuing AOR), the booking number (the agency holding the person)',
    description: 'Appends a `record_amended` event with the fields before and after and the reason; nothing is overwritten without trace. Changes no report figure. The person on file is one for every detainer on them (one A-number, one person): a correction of the person is also appended to each other detainer on them, in any AOR, as a `record_amended` with the person only and `correctedOn` naming this detainer (their versions move on by one).',
  })
  @ActionResponses()
  amend(@CurrentPrincipal() p: Principal, @Param('id', id) detainerId: string, @Body() b: AmendDetainerDto, @Req() req: Request): Promise<DetainerResponse> {
    const { expectedVersion, ...request } = b;
    return this.amendDetainer.execute(p, detainerId, request, { expectedVersion, requestId: requestIdOf(req) }).then(presentDetainer);
  }

  private async act(principal: Principal, detainerId: string, request: ActionRequest, expectedVersion: VersionedDto['expectedVersion'], req: Request): Promise<DetainerResponse> {
    const record = await this.recordAction.execute(principal, detainerId, request, { expectedVersion, requestId: requestIdOf(req) });
    return presentDetainer(record);
  }
}

/** What every action on a detainer answers besides the errors every operation has. */
function ActionResponses() {
  return applyDecorators(
    ApiOkResponse({ type: DetainerResponse, description: 'The detainer after the action, with its new version' }),
    ApiConflictResponse({ description: 'Not allowed in the current state (code invalid_transition: state and allowedActions say what is), or expectedVersion is stale (version_conflict)' }),
  );
}

/** The list's filters from its query (shared with the CSV export). */
export function detainerFiltersOf(q: Omit<ListDetainersQuery, 'limit' | 'cursor'>): DetainerFilters {
  return {
    status: q.status,
    facilityId: q.facilityId,
    agencyId: q.agencyId,
    jurisdictionId: q.jurisdictionId,
    areaId: q.areaId,
    subjectId: q.subjectId,
    issuedFrom: q.issuedFrom ? parseInstant(q.issuedFrom, 'issuedFrom') : undefined,
    issuedTo: q.issuedTo ? parseInstant(q.issuedTo, 'issuedTo') : undefined,
    declined: q.declined === undefined ? undefined : q.declined === 'true',
    q: q.q,
    sort: q.sort,
  };
}

export function requestIdOf(req: Request): string | null {
  return typeof req.id === 'string' ? req.id : null;
}
