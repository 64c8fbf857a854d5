/**
 * Domain errors are codes, not HTTP statuses. The API maps them in one exception filter;
 * the worker maps them to retry or UnrecoverableError.
 */
export type DomainErrorCode =
  /** The command is not allowed in the current state (HTTP 409; names the state and the allowed actions). */
  | 'invalid_transition'
  /** `expectedVersion` is stale or a concurrent change won (HTTP 409). */
  | 'version_conflict'
  /** No or bad credentials (HTTP 401). */
  | 'unauthenticated'
  /** The caller's role may not take this action at all (HTTP 403). */
  | 'forbidden'
  /** Unknown id, or outside the caller's scope (HTTP 404). */
  | 'not_found'
  /** Input breaks a rule (form validity, missing warrant, an instant that does not exist locally...) (HTTP 400). */
  | 'invalid_input'
  /** A unique fact already exists (e.g. an A-number owned by another subject record) (HTTP 409). */
  | 'conflict'
  /** An identifier on file (A-number, FBI number) belongs to a person other than the one described; `details` names the fields, never the values on file (HTTP 409). */
  | 'identity_mismatch'
  /** An Idempotency-Key reused with a different request (HTTP 422). */
  | 'idempotency_mismatch'
  /** A request with the same Idempotency-Key is still being processed (HTTP 409). */
  | 'idempotency_in_progress'
  /** A dependency (database, Redis) is unreachable; nothing was written (HTTP 503). */
  | 'unavailable'
  /** Too many attempts (sign-in); details carry `retryAfterSeconds` (HTTP 429 with Retry-After). */
  | 'rate_limited'
  /** A request body in a media type the endpoint does not take (HTTP 415). */
  | 'unsupported_media_type';

export interface FieldProblem {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: FieldProblem[] | Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static invalidInput(field: string, message: string): DomainError {
    return new DomainError('invalid_input', message, [{ field, message }]);
  }
}

/** A command that the current state does not allow. */
export class InvalidTransitionError extends DomainError {
  constructor(
    readonly state: string,
    readonly action: string,
    readonly allowedActions: readonly string[],
  ) {
    super(
      'invalid_transition',
      `Cannot ${action} a detainer in state '${state}'. Allowed actions: ${allowedActions.length ? allowedActions.join(', ') : 'none'}.`,
      { state, action, allowedActions: [...allowedActions] },
    );
  }
}
