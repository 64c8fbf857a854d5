import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { Principal, SubjectQueries } from '@app/application';
import { DomainError, formatANumber } from '@app/domain';
import { presentDetainer } from '../detainers/detainer.presenter';
import { CurrentPrincipal, Roles } from '../common/auth';
import { SubjectMatchList, SubjectWithDetainersResponse } from './subject.responses';

const subjectId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'No subject with this id.') });

export class FindSubjectsQuery {
  @ApiProperty({ example: 'A012345678', description: 'A followed by 8 or 9 digits' })
  @IsString() @MaxLength(20)
  aNumber!: string;
}

/** Subjects, found by identifier; only through detainers the caller may read. */
@ApiTags('subjects')
@ApiBearerAuth()
@Controller('api/v1/subjects')
export class SubjectsController {
  constructor(private readonly subjects: SubjectQueries) {}

  @Get()
  @Roles('officer', 'supervisor', 'admin')
  @ApiOperation({
    summary: 'Find the subject with an A-number, to link a new detainer to the person on file',
    description: 'Finds only subjects with at least one detainer in your scope (your AOR); visibleDetainers counts those.',
  })
  @ApiOkResponse({ type: SubjectMatchList })
  @ApiResponse({ status: 400, description: 'Not an A-number' })
  async find(@CurrentPrincipal() principal: Principal, @Query() q: FindSubjectsQuery): Promise<SubjectMatchList> {
    const matches = await this.subjects.findByANumber(principal, q.aNumber);
    return {
      items: matches.map((s) => ({
        id: s.id,
        aNumber: s.aNumber ? formatANumber(s.aNumber) : undefined,
        fbiNumber: s.fbiNumber ?? undefined,
        stateId: s.stateId ?? undefined,
        familyName: s.familyName,
        givenName: s.givenName,
        dateOfBirth: s.dateOfBirth,
        sex: s.sex ?? undefined,
        citizenship: s.citizenship,
        visibleDetainers: s.visibleDetainers,
        lastIssuedAt: s.lastIssuedAt.toISOString(),
      })),
      nextCursor: null,
    };
  }

  @Get(':id')
  @Roles('officer', 'supervisor', 'jail_staff', 'admin')
  @ApiOperation({
    summary: 'A person and every detainer on them that you may see',
    description: 'Scoped like detainers: a person with no detainer in your scope is a 404, as is an unknown id.',
  })
  @ApiOkResponse({ type: SubjectWithDetainersResponse })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', subjectId) id: string): Promise<SubjectWithDetainersResponse> {
    const { subject: s, detainers } = await this.subjects.get(principal, id);
    return {
      id: s.id,
      aNumber: s.aNumber ? formatANumber(s.aNumber) : undefined,
      fbiNumber: s.fbiNumber ?? undefined,
      stateId: s.stateId ?? undefined,
      familyName: s.familyName,
      givenName: s.givenName,
      dateOfBirth: s.dateOfBirth,
      sex: s.sex ?? undefined,
      citizenship: s.citizenship,
      detainers: detainers.map(presentDetainer),
    };
  }
}
