import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ApiKeyService, Principal } from '@app/application';
import { DomainError } from '@app/domain';
import { ApiKeyRecord } from '@app/persistence';
import { CurrentPrincipal, Roles } from '../common/auth';
import { ErrorBody } from '../common/error-body';
import { pageOf, PageQuery } from '../common/paging.dto';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'No API key with this id.') });

export class CreateApiKeyDto {
  @ApiProperty({ description: 'The agency whose jail staff the key acts as' }) @IsUUID()
  agencyId!: string;

  @ApiProperty({ example: 'Clark County JMS' }) @IsString() @IsNotEmpty() @MaxLength(100)
  label!: string;
}

export class ListApiKeysQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID()
  agencyId?: string;

  @ApiPropertyOptional({ description: 'Include revoked keys (default false)' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  includeRevoked?: boolean;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function presentKey(k: ApiKeyRecord) {
  return {
    id: k.id,
    agencyId: k.agencyId,
    label: k.label,
    keyPrefix: k.keyPrefix,
    role: 'jail_staff' as const,
    createdAt: iso(k.createdAt),
    createdBy: k.createdBy,
    revokedAt: iso(k.revokedAt),
    revokedBy: k.revokedBy,
    lastUsedAt: iso(k.lastUsedAt),
  };
}

/** API keys of agency systems: each acts as jail staff of one agency (X-Api-Key header). */
@ApiTags('admin')
@ApiBearerAuth()
@ApiResponse({ status: 404, type: ErrorBody, description: 'No API key with this id' })
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a key for an agency system (admin). The key is in this response only; it is stored hashed.' })
  async create(@CurrentPrincipal() admin: Principal, @Body() body: CreateApiKeyDto) {
    const created = await this.keys.create(admin, body);
    return { ...presentKey(created), key: created.key };
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Keys, newest first, without the keys themselves (admin)' })
  async list(@Query() q: ListApiKeysQuery) {
    const page = await this.keys.list({ agencyId: q.agencyId, includeRevoked: q.includeRevoked }, pageOf(q));
    return { items: page.items.map(presentKey), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'One key (admin)' })
  async get(@Param('id', uuid) id: string) {
    return presentKey(await this.keys.get(id));
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Revoke a key: the next request with it is refused (admin)' })
  @ApiResponse({ status: 409, type: ErrorBody, description: 'Already revoked' })
  async revoke(@CurrentPrincipal() admin: Principal, @Param('id', uuid) id: string) {
    return presentKey(await this.keys.revoke(admin, id));
  }
}
