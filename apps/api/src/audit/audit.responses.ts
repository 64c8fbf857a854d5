import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AUDIT_ACTOR_KINDS, AUDIT_CATEGORIES, AuditActorKind, AuditCategory } from '@app/persistence';

const NULLABLE = { type: 'string', nullable: true } as const;

export class AuditActorResponse {
  @ApiProperty({ enum: AUDIT_ACTOR_KINDS }) kind!: AuditActorKind;
  @ApiProperty({ ...NULLABLE, format: 'uuid' }) id!: string | null;
  @ApiProperty({ ...NULLABLE, description: 'Username or API-key label; for a failed sign-in, the username tried' }) name!: string | null;
  @ApiProperty(NULLABLE) role!: string | null;
  @ApiProperty({ ...NULLABLE, format: 'uuid' }) agencyId!: string | null;
  @ApiProperty({ ...NULLABLE, format: 'uuid' }) areaId!: string | null;
}

export class AuditTargetResponse {
  @ApiProperty({ ...NULLABLE, example: 'detainers' }) type!: string | null;
  @ApiProperty(NULLABLE) id!: string | null;
}

export class AuditEntryResponse {
  @ApiProperty({ example: '1042' }) id!: string;
  @ApiProperty({ format: 'date-time', description: 'UTC, to the millisecond' }) at!: string;
  @ApiProperty({ enum: AUDIT_CATEGORIES }) category!: AuditCategory;
  @ApiProperty({ example: 'POST /api/v1/detainers/:id/acknowledge' }) action!: string;
  @ApiProperty({ enum: ['success', 'failure'] }) outcome!: 'success' | 'failure';
  @ApiProperty({ type: 'integer', nullable: true, example: 200 }) status!: number | null;
  @ApiProperty({ ...NULLABLE, example: 'invalid_transition' }) reason!: string | null;
  @ApiProperty({ type: AuditActorResponse }) actor!: AuditActorResponse;
  @ApiProperty({ ...NULLABLE, format: 'uuid' }) sessionId!: string | null;
  @ApiProperty({ type: AuditTargetResponse, nullable: true }) target!: AuditTargetResponse | null;
  @ApiProperty(NULLABLE) method!: string | null;
  @ApiProperty(NULLABLE) path!: string | null;
  @ApiProperty(NULLABLE) requestId!: string | null;
  @ApiProperty(NULLABLE) clientAddress!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Parameters, the query of a read, subjects whose identity was read, a failure\'s message' })
  details!: Record<string, unknown>;
}

export class AuditChainReportResponse {
  @ApiProperty({ description: 'Every link of the hash chain matches the entry it stands for' }) ok!: boolean;
  @ApiProperty({ type: 'integer', description: 'Entries verified before the first broken link (all of them when ok)' }) rows!: number;
  @ApiPropertyOptional({ description: 'The first audit entry changed or removed after it was written' }) firstBrokenId?: string;
  @ApiPropertyOptional({ description: 'What is wrong, in words' }) problem?: string;
}
