import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReferenceDataService } from '@app/application';
import { DomainError } from '@app/domain';
import { ALL_ROLES, Roles } from '../common/auth';
import { pageOf, PageQuery } from '../common/paging.dto';
import {
  CreateAgencyDto, CreateAreaDto, CreateFacilityDto, CreateJurisdictionDto, CreatePolicyDto, ListAgenciesQuery, ListFacilitiesQuery,
  ListJurisdictionsQuery, RenameJurisdictionDto,
} from './reference.dto';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'No record with this id.') });

/** Reference data is public knowledge within the system: every role reads it, admins keep it. */
@ApiTags('reference data')
@ApiBearerAuth()
@Controller('api/v1')
export class ReferenceController {
  constructor(private readonly refs: ReferenceDataService) {}

  @Get('areas') @Roles(...ALL_ROLES) @ApiOperation({ summary: 'Areas of Responsibility' })
  listAreas(@Query() q: PageQuery) { return this.refs.listAreas(pageOf(q)); }
  @Post('areas') @Roles('admin')
  createArea(@Body() b: CreateAreaDto) { return this.refs.createArea(b); }
  @Get('areas/:id') @Roles(...ALL_ROLES)
  getArea(@Param('id', uuid) id: string) { return this.refs.getArea(id); }

  @Get('jurisdictions') @Roles(...ALL_ROLES) @ApiOperation({ summary: 'Jurisdictions, by canonical code' })
  listJurisdictions(@Query() q: ListJurisdictionsQuery) { return this.refs.listJurisdictions({ state: q.state, kind: q.kind }, pageOf(q)); }
  @Post('jurisdictions') @Roles('admin') @ApiOperation({ summary: 'Create a jurisdiction; its code is derived from state + FIPS / place code / ORI' })
  createJurisdiction(@Body() b: CreateJurisdictionDto) { return this.refs.createJurisdiction(b); }
  @Get('jurisdictions/:id') @Roles(...ALL_ROLES)
  getJurisdiction(@Param('id', uuid) id: string) { return this.refs.getJurisdiction(id); }
  @Patch('jurisdictions/:id') @Roles('admin') @ApiOperation({ summary: 'Rename (the canonical code never changes)' })
  renameJurisdiction(@Param('id', uuid) id: string, @Body() b: RenameJurisdictionDto) { return this.refs.renameJurisdiction(id, b.name); }

  @Get('jurisdictions/:id/policies') @Roles(...ALL_ROLES) @ApiOperation({ summary: 'Cooperation policies with citations and effective dates' })
  listPolicies(@Param('id', uuid) id: string) { return this.refs.listPolicies(id); }
  @Post('jurisdictions/:id/policies') @Roles('admin')
  createPolicy(@Param('id', uuid) id: string, @Body() b: CreatePolicyDto) { return this.refs.createPolicy(id, b); }

  @Get('agencies') @Roles(...ALL_ROLES)
  listAgencies(@Query() q: ListAgenciesQuery) { return this.refs.listAgencies({ jurisdictionId: q.jurisdictionId }, pageOf(q)); }
  @Post('agencies') @Roles('admin') @ApiOperation({ summary: 'Create an agency (ORI must belong to the jurisdiction\'s state)' })
  createAgency(@Body() b: CreateAgencyDto) { return this.refs.createAgency(b); }
  @Get('agencies/:id') @Roles(...ALL_ROLES)
  getAgency(@Param('id', uuid) id: string) { return this.refs.getAgency(id); }

  @Get('facilities') @Roles(...ALL_ROLES)
  listFacilities(@Query() q: ListFacilitiesQuery) { return this.refs.listFacilities({ agencyId: q.agencyId, areaId: q.areaId }, pageOf(q)); }
  @Post('facilities') @Roles('admin')
  createFacility(@Body() b: CreateFacilityDto) { return this.refs.createFacility(b); }
  @Get('facilities/:id') @Roles(...ALL_ROLES)
  getFacility(@Param('id', uuid) id: string) { return this.refs.getFacility(id); }
}
