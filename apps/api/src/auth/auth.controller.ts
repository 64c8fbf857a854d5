import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { AuthenticationService, Principal } from '@app/application';
import { ALL_ROLES, CurrentPrincipal, Public, Roles } from '../common/auth';
import { ErrorBody } from '../common/error-body';

export class TokenRequestDto {
  @ApiProperty({ example: 'officer.sea' }) @IsString() @IsNotEmpty() @MaxLength(100)
  username!: string;

  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200)
  password!: string;
}

@ApiTags('auth')
@Controller('api/v1')
export class AuthController {
  constructor(private readonly auth: AuthenticationService) {}

  @Post('auth/token')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in: a short-lived bearer token' })
  @ApiResponse({ status: 401, type: ErrorBody })
  token(@Body() body: TokenRequestDto) {
    return this.auth.login(body.username, body.password);
  }

  @Get('me')
  @Roles(...ALL_ROLES)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who is signed in, with role, agency or area' })
  me(@CurrentPrincipal() principal: Principal) {
    return { id: principal.id, kind: principal.kind, username: principal.name, role: principal.role, agencyId: principal.agencyId, areaId: principal.areaId };
  }
}
