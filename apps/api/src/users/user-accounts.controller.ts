import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { AccountAdminService, Principal } from '@app/application';
import { DomainError, MAX_PASSWORD_LENGTH, Role, ROLES } from '@app/domain';
import { AccountRecord } from '@app/persistence';
import { CurrentPrincipal, Roles } from '../common/auth';
import { pageOf, PageQuery } from '../common/paging.dto';
import { PageBody, PageOf } from '../common/responses';
import { AccountResponse } from './user.responses';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'No user with this id.') });

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional() @IsOptional() @IsUUID()
  agencyId?: string;

  @ApiPropertyOptional() @IsOptional() @IsUUID()
  areaId?: string;

  @ApiPropertyOptional({ enum: ['active', 'locked', 'disabled'] }) @IsOptional() @IsIn(['active', 'locked', 'disabled'])
  status?: 'active' | 'locked' | 'disabled';
}

export class SetPasswordDto {
  @ApiProperty({ minLength: 12, maxLength: MAX_PASSWORD_LENGTH }) @IsString() @IsNotEmpty() @MaxLength(MAX_PASSWORD_LENGTH * 4)
  password!: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentAccount(a: AccountRecord & { openSessions?: number }): AccountResponse {
  return {
    id: a.id,
    username: a.username,
    role: a.role,
    agencyId: a.agencyId,
    areaId: a.areaId,
    displayName: a.displayName,
    status: a.disabledAt ? 'disabled' : a.lockedAt ? 'locked' : 'active',
    createdAt: iso(a.createdAt),
    disabledAt: iso(a.disabledAt),
    lockedAt: iso(a.lockedAt),
    lastLogonAt: iso(a.lastLogonAt),
    passwordChangedAt: iso(a.passwordChangedAt),
    secondFactor: a.secondFactorEnabledAt ? { kind: 'totp', enabledAt: iso(a.secondFactorEnabledAt) } : null,
    ...(a.openSessions !== undefined ? { openSessions: a.openSessions } : {}),
  };
}

/** Accounts as administrators manage them. Every change here needs a recent sign-in (re-authentication). */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UserAccountsController {
  constructor(private readonly accounts: AccountAdminService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Users, by username, with their status (admin)' })
  @ApiOkResponse({ type: PageOf(AccountResponse) })
  async list(@Query() q: ListUsersQuery): Promise<PageBody<AccountResponse>> {
    const page = await this.accounts.list({ role: q.role, agencyId: q.agencyId, areaId: q.areaId, status: q.status }, pageOf(q));
    return { items: page.items.map(presentAccount), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'One user with status and open sessions (admin)' })
  @ApiOkResponse({ type: AccountResponse })
  async get(@Param('id', uuid) id: string): Promise<AccountResponse> {
    return presentAccount(await this.accounts.get(id));
  }

  @Post(':id/unlock')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Release an account locked after 5 failed sign-ins (admin)' })
  @ApiOkResponse({ type: AccountResponse, description: 'The account after the change' })
  @ApiResponse({ status: 409, description: 'The account is not locked' })
  async unlock(@Param('id', uuid) id: string) {
    return presentAccount(await this.accounts.unlock(id));
  }

  @Post(':id/disable')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Disable an account: its sessions end at once (admin)' })
  @ApiOkResponse({ type: AccountResponse, description: 'The account after the change' })
  @ApiResponse({ status: 409, description: 'Already disabled, or your own account' })
  async disable(@CurrentPrincipal() admin: Principal, @Param('id', uuid) id: string) {
    return presentAccount(await this.accounts.disable(admin, id));
  }

  @Post(':id/enable')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Enable a disabled account (admin)' })
  @ApiOkResponse({ type: AccountResponse, description: 'The account after the change' })
  @ApiResponse({ status: 409, description: 'The account is not disabled' })
  async enable(@Param('id', uuid) id: string) {
    return presentAccount(await this.accounts.enable(id));
  }

  @Post(':id/password')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: "Set a user's password (a forgotten one); their sessions end (admin)" })
  @ApiOkResponse({ type: AccountResponse, description: 'The account after the change' })
  async setPassword(@Param('id', uuid) id: string, @Body() body: SetPasswordDto) {
    return presentAccount(await this.accounts.setPassword(id, body.password));
  }

  @Post(':id/mfa/reset')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: "Remove a user's second factor (a lost device); their sessions end and they enrol anew (admin)" })
  @ApiOkResponse({ type: AccountResponse, description: 'The account after the change' })
  @ApiResponse({ status: 409, description: 'The account has no second factor' })
  async resetSecondFactor(@Param('id', uuid) id: string) {
    return presentAccount(await this.accounts.resetSecondFactor(id));
  }
}
