import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { DomainErrorCode } from '@app/domain';

const DOMAIN_ERROR_CODES: Record<DomainErrorCode, true> = {
  invalid_input: true, unauthenticated: true, forbidden: true, not_found: true, invalid_transition: true, version_conflict: true,
  conflict: true, identity_mismatch: true, idempotency_mismatch: true, idempotency_in_progress: true, unavailable: true, rate_limited: true, unsupported_media_type: true,
};

/** Every `code` an error body can carry: the domain's codes, plus what the HTTP edge itself refuses. */
export const ERROR_CODES = [...(Object.keys(DOMAIN_ERROR_CODES) as DomainErrorCode[]), 'payload_too_large', 'internal_error'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The `code` of an error that carries none of its own (an HTTP-level refusal). */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400: return 'invalid_input';
    case 401: return 'unauthenticated';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 409: return 'conflict';
    case 413: return 'payload_too_large';
    case 415: return 'unsupported_media_type';
    case 422: return 'idempotency_mismatch';
    case 429: return 'rate_limited';
    case 503: return 'unavailable';
    default: return status >= 500 ? 'internal_error' : 'invalid_input';
  }
}

export class FieldProblem {
  @ApiProperty({
    description: 'The offending input, as a path into the body, query or header (`subject.aNumber`, `charges[0].level`, `Idempotency-Key`); `body` for a body that is not JSON, `request` when the value could not be told',
    example: 'subject.aNumber',
  })
  field!: string;

  @ApiProperty({ example: 'aNumber is A followed by 8 or 9 digits' })
  message!: string;
}

/**
 * The one error shape of the API: `{ statusCode, error, code, message, details? }`. `details` is
 * always an array of `{ field, message }`; machine-readable context of other errors (the state and
 * allowed actions of a refused transition, who holds a claimed item, ...) is in the named members
 * below, each present only where said.
 */
export class ErrorBody {
  @ApiProperty({ type: 'integer', example: 409, description: 'The HTTP status, repeated' })
  statusCode!: number;

  @ApiProperty({ example: 'Conflict', description: 'The HTTP reason phrase; `identity_mismatch` for that 409, as the contract names it' })
  error!: string;

  @ApiProperty({
    enum: ERROR_CODES,
    example: 'invalid_transition',
    description:
      'What went wrong, for programs: invalid_input (400), unauthenticated (401), forbidden (403), not_found (404; also a record outside your scope), ' +
      'invalid_transition / version_conflict / conflict / identity_mismatch / idempotency_in_progress (409), payload_too_large (413), unsupported_media_type (415), ' +
      'idempotency_mismatch (422), rate_limited (429), unavailable (503: nothing was written, retry), internal_error (500).',
  })
  code!: ErrorCode;

  @ApiProperty({ example: "Cannot acknowledge a detainer in state 'released'. Allowed actions: record_outcome.", description: 'For people: what happened and what to do' })
  message!: string;

  @ApiPropertyOptional({ type: [FieldProblem], description: 'Each offending field and why (400; also 409 conflicts about a field, e.g. a username taken)' })
  details?: FieldProblem[];

  @ApiPropertyOptional({
    enum: ['reauthentication_required', 'totp_code_required', 'second_factor_required'],
    description:
      '401 reauthentication_required: the action needs a sign-in from the last 15 minutes (POST /api/v1/auth/reauthenticate, then retry); ' +
      '401 totp_code_required: sign-in needs the authenticator code (send totpCode); 403 second_factor_required: your role must enrol a second factor first.',
  })
  reason?: 'reauthentication_required' | 'totp_code_required' | 'second_factor_required';

  @ApiPropertyOptional({ example: 'released', description: '409 invalid_transition: the current state' })
  state?: string;

  @ApiPropertyOptional({ example: 'acknowledge', description: '409 invalid_transition, 403: the action refused' })
  action?: string;

  @ApiPropertyOptional({ type: [String], example: ['record_outcome'], description: '409 invalid_transition: the actions the state allows you now' })
  allowedActions?: string[];

  @ApiPropertyOptional({ type: [String], example: ['jail_staff'], description: '403: the roles that may take this action' })
  allowedRoles?: string[];

  @ApiPropertyOptional({ example: 'officer', description: '403: your role' })
  role?: string;

  @ApiPropertyOptional({ type: [String], description: '409 invalid_transition of a publication: the reconciliation flags to confirm first' })
  blockers?: string[];

  @ApiPropertyOptional({ type: 'integer', example: 4, description: '409 version_conflict: the version now' })
  currentVersion?: number;

  @ApiPropertyOptional({ type: 'integer', example: 3, description: '409 version_conflict: the expectedVersion you sent' })
  expectedVersion?: number;

  @ApiPropertyOptional({ example: 'unacknowledged', description: '409/403 about a queue item: the queue' })
  queue?: string;

  @ApiPropertyOptional({ format: 'uuid', description: '409 about a queue item: the detainer' })
  detainerId?: string;

  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true, description: '409/403 about a queue item: who holds it now (null: nobody)' })
  holderId?: string | null;

  @ApiPropertyOptional({ example: 'officer.sea', description: '409 about a claimed queue item: the holder\'s username' })
  holderUsername?: string;

  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true, description: '409 about a queue item: the expectedHolderId you sent' })
  expectedHolderId?: string | null;

  @ApiPropertyOptional({ format: 'date-time', description: '409 about a claimed queue item: since when' })
  claimedAt?: string;

  @ApiPropertyOptional({ type: 'integer', example: 60, description: '429, and 503 when the service is busy: seconds to wait (also in Retry-After)' })
  retryAfterSeconds?: number;
}

/** A 400: `details` names every offending field; nothing was written. */
export class ValidationErrorBody extends OmitType(ErrorBody, ['details'] as const) {
  @ApiProperty({ type: [FieldProblem], description: 'Each offending field and why' })
  details!: FieldProblem[];
}
