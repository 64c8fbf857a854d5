import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ApiKeyService, Principal } from '@app/application';
import { DomainError } from '@app/domain';
import { ApiKeyRecord } from '@app/persistence';
import { CurrentPrincipal, Roles } from '../common/auth';
import { pageOf, PageQuery } from '../common/paging.dto';
import { PageBody, PageOf } from '../common/responses';
import { ApiKeyResponse, CreatedApiKeyResponse } from '../users/user.responses';

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
  @IsOptional() @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  includeRevoked?: boolean;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function presentKey(k: ApiKeyRecord): ApiKeyResponse {
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
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary: 'Create a key for an agency system (admin). The key is in this response only; it is stored hashed.',
    description: 'Idempotency-Key is not honoured here: a replay would have to store the key in clear. After a lost answer, list the keys and revoke the one never used.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  async create(@CurrentPrincipal() admin: Principal, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    const created = await this.keys.create(admin, body);
    return { ...presentKey(created), key: created.key };
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Keys, newest first, without the keys themselves (admin)' })
  @ApiOkResponse({ type: PageOf(ApiKeyResponse) })
  async list(@Query() q: ListApiKeysQuery): Promise<PageBody<ApiKeyResponse>> {
    const page = await this.keys.list({ agencyId: q.agencyId, includeRevoked: q.includeRevoked }, pageOf(q));
    return { items: page.items.map(presentKey), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'One key (admin)' })
  @ApiOkResponse({ type: ApiKeyResponse })
  async get(@Param('id', uuid) id: string): Promise<ApiKeyResponse> {
    return presentKey(await this.keys.get(id));
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Revoke a key: the next request with it is refused (admin)' })
  @ApiOkResponse({ type: ApiKeyResponse, description: 'The key, revoked' })
  @ApiResponse({ status: 409, description: 'Already revoked' })
  async revoke(@CurrentPrincipal() admin: Principal, @Param('id', uuid) id: string): Promise<ApiKeyResponse> {
    return presentKey(await this.keys.revoke(admin, id));
  }
}
