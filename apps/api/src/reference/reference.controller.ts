import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal, ReferenceDataService } from '@app/application';
import { DomainError } from '@app/domain';
import { CertificationRecord } from '@app/persistence';
import { ALL_ROLES, CurrentPrincipal, Roles } from '../common/auth';
import { IdempotentCreate } from '../common/idempotency';
import { pageOf, PageQuery } from '../common/paging.dto';
import { PageBody, PageOf } from '../common/responses';
import {
  CreateAgencyDto, CreateAreaDto, CreateCertificationDto, CreateFacilityDto, CreateJurisdictionDto, CreatePolicyDto, ListAgenciesQuery, ListFacilitiesQuery,
  ListJurisdictionsQuery, RenameJurisdictionDto, UpdateAgencyDto, UpdateAreaDto, UpdateFacilityDto, UpdatePolicyDto,
} from './reference.dto';
import { AgencyChangeResponse, AgencyResponse, AreaResponse, CertificationResponse, FacilityResponse, JurisdictionResponse, PolicyChangeResponse, PolicyResponse } from './reference.responses';

const presentCertification = (c: CertificationRecord): CertificationResponse => ({
  id: c.id, jurisdictionId: c.jurisdictionId, kind: c.kind, certifiedOn: c.certifiedOn, expiresOn: c.expiresOn, source: c.source, createdAt: c.createdAt.toISOString(),
});

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'No record with this id.') });
type Async<T> = Promise<T>;

/** Reference data is public knowledge within the system: every role reads it, admins keep it. */
@ApiTags('reference data')
@ApiBearerAuth()
@Controller('api/v1')
export class ReferenceController {
  constructor(private readonly refs: ReferenceDataService) {}

  @Get('areas') @Roles(...ALL_ROLES) @ApiOperation({ summary: 'Areas of Responsibility (federal field office regions)' })
  @ApiOkResponse({ type: PageOf(AreaResponse) })
  listAreas(@Query() q: PageQuery): Async<PageBody<AreaResponse>> { return this.refs.listAreas(pageOf(q)); }
  @Post('areas') @Roles('admin') @IdempotentCreate() @ApiOperation({ summary: 'Create an Area of Responsibility (admin)' })
  @ApiCreatedResponse({ type: AreaResponse }) @ApiConflictResponse({ description: 'The code is taken' })
  createArea(@Body() b: CreateAreaDto): Async<AreaResponse> { return this.refs.createArea(b); }
  @Get('areas/:id') @Roles(...ALL_ROLES) @ApiOperation({ summary: 'One Area of Responsibility' })
  @ApiOkResponse({ type: AreaResponse })
  getArea(@Param('id', uuid) id: string): Async<AreaResponse> { return this.refs.getArea(id); }
  @Patch('areas/:id') @Roles('admin') @ApiOperation({ summary: 'Rename an Area of Responsibility (its code never changes) (admin)' })
  @ApiOkResponse({ type: AreaResponse })
  renameArea(@Param('id', uuid) id: string, @Body() b: UpdateAreaDto): Async<AreaResponse> { return this.refs.renameArea(id, b.name); }

  @Get('jurisdictions') @Roles(...ALL_ROLES) @ApiOperation({ summary: 'Jurisdictions, by canonical code' })
  @ApiOkResponse({ type: PageOf(JurisdictionResponse) })
  listJurisdictions(@Query() q: ListJurisdictionsQuery): Async<PageBody<JurisdictionResponse>> { return this.refs.listJurisdictions({ state: q.state, kind: q.kind }, pageOf(q)); }
  @Post('jurisdictions') @Roles('admin') @IdempotentCreate() @ApiOperation({ summary: 'Create a jurisdiction; its code is derived from state + FIPS / place code / ORI (admin)' })
  @ApiCreatedResponse({ type: JurisdictionResponse }) @ApiConflictResponse({ description: 'A jurisdiction with this code exists' })
  createJurisdiction(@Body() b: CreateJurisdictionDto): Async<JurisdictionResponse> { return this.refs.createJurisdiction(b); }
  @Get('jurisdictions/:id') @Roles(...ALL_ROLES) @ApiOperation({ summary: 'One jurisdiction' })
  @ApiOkResponse({ type: JurisdictionResponse })
  getJurisdiction(@Param('id', uuid) id: string): Async<JurisdictionResponse> { return this.refs.getJurisdiction(id); }
  @Patch('jurisdictions/:id') @Roles('admin') @ApiOperation({ summary: 'Rename (the canonical code never changes) (admin)' })
  @ApiOkResponse({ type: JurisdictionResponse })
  renameJurisdiction(@Param('id', uuid) id: string, @Body() b: RenameJurisdictionDto): Async<JurisdictionResponse> { return this.refs.renameJurisdiction(id, b.name); }

  @Get('jurisdictions/:id/policies') @Roles(...ALL_ROLES) @ApiOperation({ summary: 'Cooperation policies with citations and effective dates, oldest first' })
  @ApiOkResponse({ type: [PolicyResponse] })
  listPolicies(@Param('id', uuid) id: string): Async<PolicyResponse[]> { return this.refs.listPolicies(id); }
  @Post('jurisdictions/:id/policies') @Roles('admin') @IdempotentCreate() @ApiOperation({ summary: 'Record a cooperation policy of the jurisdiction (admin); the report weeks it touches are re-rolled' })
  @ApiCreatedResponse({ type: PolicyResponse })
  createPolicy(@Param('id', uuid) id: string, @Body() b: CreatePolicyDto): Async<PolicyResponse> { return this.refs.createPolicy(id, b); }

  @Get('jurisdictions/:id/certifications') @Roles(...ALL_ROLES) @ApiOperation({ summary: 'Public Safety Partnership certifications of the jurisdiction, oldest first' })
  @ApiOkResponse({ type: [CertificationResponse] })
  async listCertifications(@Param('id', uuid) id: string): Async<CertificationResponse[]> {
    return (await this.refs.listCertifications(id)).map(presentCertification);
  }
  @Post('jurisdictions/:id/certifications') @Roles('admin') @IdempotentCreate()
  @ApiOperation({ summary: 'Record a Public Safety Partnership certification of the jurisdiction (admin): facility access, 48-hour release notice or 48-hour holds' })
  @ApiCreatedResponse({ type: CertificationResponse })
  async createCertification(@CurrentPrincipal() admin: Principal, @Param('id', uuid) id: string, @Body() b: CreateCertificationDto): Async<CertificationResponse> {
    return presentCertification(await this.refs.createCertification(id, b, admin.kind === 'user' ? admin.id : null));
  }

  @Patch('policies/:id') @Roles('admin')
  @ApiOperation({
    summary: 'Correct or end a policy (admin): its end date, citation or summary; the published report weeks it touches get a new version',
    description: 'Send at least one of effectiveTo, citation, summary. effectiveTo null: in force again without an end.',
  })
  @ApiOkResponse({ type: PolicyChangeResponse })
  async updatePolicy(@Param('id', uuid) id: string, @Body() b: UpdatePolicyDto): Async<PolicyChangeResponse> {
    if (b.effectiveTo === undefined && b.citation === undefined && b.summary === undefined) {
      throw DomainError.invalidInput('effectiveTo', 'Send at least one of effectiveTo, citation and summary.');
    }
    const { policy, weeksReRolled } = await this.refs.updatePolicy(id, { effectiveTo: b.effectiveTo, citation: b.citation, summary: b.summary });
    return { ...policy, weeksReRolled };
  }

  @Get('agencies') @Roles(...ALL_ROLES) @ApiOperation({ summary: 'Law-enforcement agencies, by name' })
  @ApiOkResponse({ type: PageOf(AgencyResponse) })
  listAgencies(@Query() q: ListAgenciesQuery): Async<PageBody<AgencyResponse>> { return this.refs.listAgencies({ jurisdictionId: q.jurisdictionId }, pageOf(q)); }
  @Post('agencies') @Roles('admin') @IdempotentCreate() @ApiOperation({ summary: 'Create an agency (its ORI must belong to the jurisdiction\'s state) (admin)' })
  @ApiCreatedResponse({ type: AgencyResponse }) @ApiConflictResponse({ description: 'An agency with this ORI exists' })
  createAgency(@Body() b: CreateAgencyDto): Async<AgencyResponse> { return this.refs.createAgency(b); }
  @Get('agencies/:id') @Roles(...ALL_ROLES) @ApiOperation({ summary: 'One agency' })
  @ApiOkResponse({ type: AgencyResponse })
  getAgency(@Param('id', uuid) id: string): Async<AgencyResponse> { return this.refs.getAgency(id); }
  @Patch('agencies/:id') @Roles('admin')
  @ApiOperation({
    summary: 'Correct an agency (admin): name, ORI (of its jurisdiction\'s state), 287(g) programme and its dates; its jurisdiction never changes',
    description: 'Send at least one field. A programme change gives the published report weeks it touches a new version (weeksReRolled).',
  })
  @ApiOkResponse({ type: AgencyChangeResponse }) @ApiConflictResponse({ description: 'An agency with this ORI exists' })
  async updateAgency(@Param('id', uuid) id: string, @Body() b: UpdateAgencyDto): Async<AgencyChangeResponse> {
    if (Object.values(b).every((v) => v === undefined)) throw DomainError.invalidInput('name', 'Send at least one of name, ori, program287g, program287gSince and program287gUntil.');
    const { agency, weeksReRolled } = await this.refs.updateAgency(id, b);
    return { ...agency, weeksReRolled };
  }

  @Get('facilities') @Roles(...ALL_ROLES) @ApiOperation({ summary: 'Facilities (jails and prisons), by name' })
  @ApiOkResponse({ type: PageOf(FacilityResponse) })
  listFacilities(@Query() q: ListFacilitiesQuery): Async<PageBody<FacilityResponse>> { return this.refs.listFacilities({ agencyId: q.agencyId, areaId: q.areaId }, pageOf(q)); }
  @Post('facilities') @Roles('admin') @IdempotentCreate() @ApiOperation({ summary: 'Create a facility of an agency, in an AOR, with its IANA time zone (admin)' })
  @ApiCreatedResponse({ type: FacilityResponse })
  createFacility(@Body() b: CreateFacilityDto): Async<FacilityResponse> { return this.refs.createFacility(b); }
  @Get('facilities/:id') @Roles(...ALL_ROLES) @ApiOperation({ summary: 'One facility' })
  @ApiOkResponse({ type: FacilityResponse })
  getFacility(@Param('id', uuid) id: string): Async<FacilityResponse> { return this.refs.getFacility(id); }
  @Patch('facilities/:id') @Roles('admin')
  @ApiOperation({
    summary: 'Correct a facility (admin): name; time zone and AOR only while nothing was ever lodged there (409 after); its agency never changes',
    description: 'Send at least one of name, timeZone, areaId.',
  })
  @ApiOkResponse({ type: FacilityResponse }) @ApiConflictResponse({ description: 'Detainers were lodged here: the time zone and area stay' })
  updateFacility(@Param('id', uuid) id: string, @Body() b: UpdateFacilityDto): Async<FacilityResponse> {
    if (b.name === undefined && b.timeZone === undefined && b.areaId === undefined) throw DomainError.invalidInput('name', 'Send at least one of name, timeZone and areaId.');
    return this.refs.updateFacility(id, b);
  }
}
