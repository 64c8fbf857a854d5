import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { AuthenticationService, ClientInfo, Principal, SecondFactorService } from '@app/application';
import { MAX_PASSWORD_LENGTH } from '@app/domain';
import { AcceptExpiredToken, ALL_ROLES, AllowWithoutSecondFactor, Client, CurrentPrincipal, Public, Roles, SessionOnly } from '../common/auth';
import { IssuedTokenResponse, MeResponse, ReauthenticatedResponse, TotpConfirmedResponse, TotpEnrolmentResponse } from './auth.responses';

const TOTP_CODE = /^\d{6}$/;

export class TokenRequestDto {
  @ApiProperty({ example: 'officer.sea' }) @IsString() @IsNotEmpty() @MaxLength(100)
  username!: string;

  // Longer than any password we accept, so that an over-long attempt is a plain failed sign-in.
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(MAX_PASSWORD_LENGTH * 4)
  password!: string;

  @ApiPropertyOptional({ description: 'The 6-digit code of the authenticator app, once a second factor is enrolled', example: '123456' })
  @IsOptional() @IsString() @Matches(TOTP_CODE, { message: 'totpCode must be 6 digits' })
  totpCode?: string;
}

export class ReauthenticateDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(MAX_PASSWORD_LENGTH * 4)
  password!: string;

  @ApiPropertyOptional({ description: 'Required when a second factor is enrolled' })
  @IsOptional() @IsString() @Matches(TOTP_CODE, { message: 'totpCode must be 6 digits' })
  totpCode?: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(MAX_PASSWORD_LENGTH * 4)
  currentPassword!: string;

  @ApiProperty({ minLength: 12, maxLength: MAX_PASSWORD_LENGTH, description: 'At least 12 characters, not a common or breached password, not the username' })
  @IsString() @IsNotEmpty() @MaxLength(MAX_PASSWORD_LENGTH * 4)
  newPassword!: string;
}

export class TotpCodeDto {
  @ApiProperty({ example: '123456' }) @IsString() @Matches(TOTP_CODE, { message: 'totpCode must be 6 digits' })
  totpCode!: string;
}

@ApiTags('auth')
@Controller('api/v1')
export class AuthController {
  constructor(
    private readonly auth: AuthenticationService,
    private readonly secondFactor: SecondFactorService,
  ) {}

  @Post('auth/token')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in: a short-lived bearer token bound to a new session',
    description:
      'Sessions end after 30 minutes idle and 12 hours in all; refresh the token with POST /auth/refresh. After 5 failed sign-ins in 15 minutes ' +
      'the account is locked until an administrator unlocks it. Every failure gets the same message. With a second factor enrolled, send totpCode.',
  })
  @ApiOkResponse({ type: IssuedTokenResponse })
  @ApiResponse({ status: 401, description: 'Sign-in failed (the same message whatever the cause); reason totp_code_required: send the authenticator code as totpCode' })
  @ApiResponse({ status: 429, description: 'Too many attempts from this address or for this username; see Retry-After' })
  token(@Body() body: TokenRequestDto, @Client() client: ClientInfo): Promise<IssuedTokenResponse> {
    return this.auth.login(body, client);
  }

  @Post('auth/refresh')
  @SessionOnly()
  @HttpCode(200)
  @Roles(...ALL_ROLES)
  @AllowWithoutSecondFactor()
  @AcceptExpiredToken()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'A fresh access token for the same session',
    description: 'Accepts the current token even past its expiry while the session lives: sessions end after 30 minutes without use and 12 hours after sign-in.',
  })
  @ApiOkResponse({ type: IssuedTokenResponse })
  refresh(@CurrentPrincipal() principal: Principal): Promise<IssuedTokenResponse> {
    return this.auth.refresh(principal);
  }

  @Post('auth/logout')
  @SessionOnly()
  @HttpCode(204)
  @Roles(...ALL_ROLES)
  @AllowWithoutSecondFactor()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out: the session ends and its tokens stop working' })
  @ApiNoContentResponse({ description: 'Signed out' })
  async logout(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.auth.logout(principal);
  }

  @Post('auth/reauthenticate')
  @SessionOnly()
  @HttpCode(200)
  @Roles(...ALL_ROLES)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Confirm your password (and code) again: privileged actions need a sign-in from the last 15 minutes' })
  @ApiOkResponse({ type: ReauthenticatedResponse })
  @ApiResponse({ status: 401, description: 'Wrong password or code (counts towards the lockout), or the session ended' })
  reauthenticate(@CurrentPrincipal() principal: Principal, @Body() body: ReauthenticateDto, @Client() client: ClientInfo): Promise<ReauthenticatedResponse> {
    return this.auth.reauthenticate(principal, body, client);
  }

  @Post('auth/password')
  @SessionOnly()
  @HttpCode(204)
  @Roles(...ALL_ROLES)
  @AllowWithoutSecondFactor()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change your password; your other sessions end' })
  @ApiNoContentResponse({ description: 'Changed; your other sessions ended' })
  @ApiResponse({ status: 401, description: 'The current password is wrong, or the session ended' })
  async changePassword(@CurrentPrincipal() principal: Principal, @Body() body: ChangePasswordDto, @Client() client: ClientInfo): Promise<void> {
    await this.auth.changePassword(principal, body, client);
  }

  @Post('auth/mfa/totp')
  @SessionOnly()
  @HttpCode(200)
  @Roles(...ALL_ROLES)
  @AllowWithoutSecondFactor()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Start enrolling a TOTP second factor: a secret and an otpauth:// URI for the authenticator app (shown once)' })
  @ApiOkResponse({ type: TotpEnrolmentResponse })
  @ApiResponse({ status: 409, description: 'A second factor is already enrolled (an administrator can reset it)' })
  startTotp(@CurrentPrincipal() principal: Principal): Promise<TotpEnrolmentResponse> {
    return this.secondFactor.startTotp(principal);
  }

  @Post('auth/mfa/totp/confirm')
  @SessionOnly()
  @HttpCode(200)
  @Roles(...ALL_ROLES)
  @AllowWithoutSecondFactor()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Finish enrolment with a code from the app; from now on sign-in asks for a code' })
  @ApiOkResponse({ type: TotpConfirmedResponse })
  @ApiResponse({ status: 409, description: 'A second factor is already enrolled' })
  confirmTotp(@CurrentPrincipal() principal: Principal, @Body() body: TotpCodeDto): Promise<TotpConfirmedResponse> {
    return this.secondFactor.confirmTotp(principal, body.totpCode);
  }

  @Get('me')
  @Roles(...ALL_ROLES)
  @AllowWithoutSecondFactor()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who is signed in, with role, agency or area, and the session' })
  @ApiOkResponse({ type: MeResponse })
  me(@CurrentPrincipal() principal: Principal): MeResponse {
    const s = principal.session;
    return {
      id: principal.id,
      kind: principal.kind,
      username: principal.name,
      role: principal.role,
      agencyId: principal.agencyId,
      areaId: principal.areaId,
      ...(s ? { session: { id: s.id, expiresAt: s.expiresAt.toISOString(), authenticatedAt: s.authenticatedAt.toISOString(), secondFactor: s.secondFactor } } : {}),
      secondFactorEnrolmentRequired: this.auth.secondFactorMissing(principal),
    };
  }
}
