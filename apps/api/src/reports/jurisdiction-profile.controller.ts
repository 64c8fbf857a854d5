import { Controller, Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Request, Response } from 'express';
import { JurisdictionProfile, PROFILE_MAX_WEEKS, ReadJurisdictionProfile } from '@app/application';
import { DomainError } from '@app/domain';
import { Public } from '../common/auth';
import { OptionalPrincipal } from '../common/optional-principal';
import { JurisdictionProfileResponse } from './profile.responses';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'No jurisdiction with this id.') });

export class ProfileQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: PROFILE_MAX_WEEKS, default: 12, description: 'How many report weeks, ending with the last closed week (published) or the open one (live)' })
  @IsOptional() @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'weeks must be a whole number from 1 to 52' }) @Min(1, { message: 'weeks must be from 1 to 52' }) @Max(PROFILE_MAX_WEEKS, { message: 'weeks must be from 1 to 52' })
  weeks?: number;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'true: the figures now, every week counted (supervisors, admins, and the jurisdiction\'s own jail staff)' })
  @IsOptional() @IsIn(['true', 'false'], { message: 'live must be true or false' })
  live?: 'true' | 'false';
}

function present(p: JurisdictionProfile): JurisdictionProfileResponse {
  return {
    ...p,
    notes: [...p.notes],
    declared: { ...p.declared, program287g: p.declared.program287g.map((a) => ({ ...a })) },
    disputes: p.disputes.map((d) => ({ ...d, openedAt: d.openedAt.toISOString(), resolvedAt: d.resolvedAt?.toISOString() ?? null })),
  };
}

/** A jurisdiction's cooperation as declared and as measured, side by side. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/jurisdictions')
export class JurisdictionProfileController {
  constructor(
    private readonly readProfile: ReadJurisdictionProfile,
    private readonly optional: OptionalPrincipal,
  ) {}

  @Get(':id/profile')
  @Public()
  @ApiOperation({
    summary: 'Cooperation as declared (policies, 287(g), certifications) and as measured over 1 to 52 weeks, each measure numerator / denominator',
    description: 'Public and de-identified, from published weeks only. live=true: supervisors and admins, and the jurisdiction\'s own jail staff. '
      + 'Jail staff may read their own jurisdiction\'s profile only (another is 404). A dispute\'s detainerId is given only where your scope reaches the record.',
  })
  @ApiOkResponse({ type: JurisdictionProfileResponse })
  @ApiResponse({ status: 400, description: 'weeks not 1 to 52, or live not true/false' })
  @ApiResponse({ status: 401, description: 'live=true without credentials, or bad credentials' })
  @ApiResponse({ status: 403, description: 'live=true for a role that reads published figures only' })
  @ApiResponse({ status: 404, description: 'No such jurisdiction (or, for jail staff, not their own)' })
  async profile(@Param('id', uuid) id: string, @Query() q: ProfileQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<JurisdictionProfileResponse> {
    const live = q.live === 'true';
    const profile = await this.readProfile.execute(await this.optional.of(req), id, q.weeks ?? 12, live);
    res.setHeader('Cache-Control', live ? 'no-store' : 'private, max-age=60');
    return present(profile);
  }
}
