import { DomainError } from '@app/domain';
import { AuditActor } from '@app/persistence';

/** The one message every failed sign-in gets, whatever the cause: it tells an attacker nothing. */
export const SIGN_IN_FAILED =
  'Sign-in failed. Check your username, password and code; repeated failures lock the account until an administrator unlocks it.';

/**
 * A 401 that also says, for the audit log only, why and (where known) whose credentials they were.
 * The HTTP body carries just the generic message.
 */
export class AuthenticationFailure extends DomainError {
  constructor(
    message: string,
    /** invalid_token, session_ended, session_idle_timeout, account_disabled, unknown_api_key, api_key_revoked, ... */
    readonly reason: string,
    readonly actor: AuditActor | null,
    details?: Record<string, unknown>,
  ) {
    super('unauthenticated', message, details);
  }
}
