import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Role, ROLES } from '@app/domain';

const NULLABLE_INSTANT = { type: 'string', format: 'date-time', nullable: true } as const;

export class SecondFactorStatus {
  @ApiProperty({ enum: ['totp'] }) kind!: 'totp';
  @ApiProperty({ ...NULLABLE_INSTANT }) enabledAt!: string | null;
}

export class AccountResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'jail.king' }) username!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) agencyId!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) areaId!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) displayName!: string | null;
  @ApiProperty({ enum: ['active', 'locked', 'disabled'] }) status!: 'active' | 'locked' | 'disabled';
  @ApiProperty(NULLABLE_INSTANT) createdAt!: string | null;
  @ApiProperty(NULLABLE_INSTANT) disabledAt!: string | null;
  @ApiProperty({ ...NULLABLE_INSTANT, description: 'Locked after 5 failed sign-ins in 15 minutes' }) lockedAt!: string | null;
  @ApiProperty(NULLABLE_INSTANT) lastLogonAt!: string | null;
  @ApiProperty(NULLABLE_INSTANT) passwordChangedAt!: string | null;
  @ApiProperty({ type: SecondFactorStatus, nullable: true }) secondFactor!: SecondFactorStatus | null;
  @ApiPropertyOptional({ type: 'integer', description: 'GET /users/:id only' }) openSessions?: number;
}

export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'The agency whose jail staff the key acts as' }) agencyId!: string;
  @ApiProperty({ example: 'King County JMS' }) label!: string;
  @ApiProperty({ example: 'dwk_3f9a', description: 'The first characters of the key, to tell keys apart' }) keyPrefix!: string;
  @ApiProperty({ enum: ['jail_staff'] }) role!: 'jail_staff';
  @ApiProperty(NULLABLE_INSTANT) createdAt!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) createdBy!: string | null;
  @ApiProperty(NULLABLE_INSTANT) revokedAt!: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true }) revokedBy!: string | null;
  @ApiProperty(NULLABLE_INSTANT) lastUsedAt!: string | null;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({ example: 'dwk_3f9a…', description: 'The key itself: shown in this response only (only its SHA-256 is stored). Send it as X-Api-Key.' })
  key!: string;
}
