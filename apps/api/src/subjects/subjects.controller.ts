import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { Principal, SubjectQueries } from '@app/application';
import { formatANumber } from '@app/domain';
import { CurrentPrincipal, Roles } from '../common/auth';
import { SubjectMatchList } from './subject.responses';

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
}
