import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Role, ROLES } from '@app/domain';

export class UserResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'jail.king' }) username!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'jail_staff: their agency' }) agencyId!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'officer, supervisor: their AOR' }) areaId!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: 'J. Doe' }) displayName!: string | null;
  @ApiProperty({ type: 'string', format: 'email', nullable: true, description: 'Where e-mail reminders go' }) email!: string | null;
}

export class IssuedSessionResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time', description: 'The latest the session can last (12 hours after sign-in)' }) expiresAt!: string;
  @ApiProperty({ description: 'A second factor was proved at sign-in' }) secondFactor!: boolean;
}

export class IssuedTokenResponse {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' }) accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ type: 'integer', example: 900, description: 'Seconds the token is valid; refresh it with POST /auth/refresh' }) expiresIn!: number;
  @ApiProperty({ type: UserResponse }) user!: UserResponse;
  @ApiProperty({ type: IssuedSessionResponse }) session!: IssuedSessionResponse;
  @ApiProperty({ description: 'Your role must use a second factor and none is enrolled: until it is, only enrolment, /me and sign-out work' })
  secondFactorEnrolmentRequired!: boolean;
}

export class ReauthenticatedResponse {
  @ApiProperty({ format: 'date-time', description: 'Privileged actions are open for the next 15 minutes from this' }) authenticatedAt!: string;
}

export class TotpEnrolmentResponse {
  @ApiProperty({ example: 'JBSWY3DPEHPK3PXP', description: 'Base32; shown this once' }) secret!: string;
  @ApiProperty({ example: 'otpauth://totp/detainer-workflow:jail.king?secret=JBSWY3DPEHPK3PXP&issuer=detainer-workflow&algorithm=SHA1&digits=6&period=30' }) otpauthUri!: string;
  @ApiProperty({ example: 'detainer-workflow' }) issuer!: string;
  @ApiProperty({ enum: ['SHA1'] }) algorithm!: 'SHA1';
  @ApiProperty({ enum: [6] }) digits!: 6;
  @ApiProperty({ enum: [30] }) period!: 30;
}

export class TotpConfirmedResponse {
  @ApiProperty({ format: 'uuid', description: 'Your user id' }) id!: string;
  @ApiProperty({ format: 'date-time' }) enabledAt!: string;
}

export class MeSessionResponse extends IssuedSessionResponse {
  @ApiProperty({ format: 'date-time', description: 'Last sign-in or re-authentication' }) authenticatedAt!: string;
}

export class MeResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['user', 'api_key'] }) kind!: 'user' | 'api_key';
  @ApiProperty({ example: 'jail.king', description: "Username, or the API key's label" }) username!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) agencyId!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) areaId!: string | null;
  @ApiPropertyOptional({ type: MeSessionResponse, description: 'Signed-in users only' }) session?: MeSessionResponse;
  @ApiProperty() secondFactorEnrolmentRequired!: boolean;
}
