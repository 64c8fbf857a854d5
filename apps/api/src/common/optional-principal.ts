import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ApiKeyService, AuthenticationService, Principal } from '@app/application';
import { DomainError } from '@app/domain';

/**
 * Public endpoints still honour credentials when sent (live figures need them), with the guard's
 * rules: one credential, a live session, and the second factor the caller's role requires.
 */
@Injectable()
export class OptionalPrincipal {
  constructor(
    private readonly auth: AuthenticationService,
    private readonly apiKeys: ApiKeyService,
  ) {}

  async of(req: Request): Promise<Principal | null> {
    const header = req.headers.authorization;
    const apiKey = req.headers['x-api-key'];
    if (header === undefined && apiKey === undefined) return null;
    if (header !== undefined && apiKey !== undefined) throw new DomainError('unauthenticated', 'Send one credential: either Authorization: Bearer <token> or X-Api-Key, not both.');
    let principal: Principal;
    if (typeof apiKey === 'string') principal = await this.apiKeys.authenticate(apiKey);
    else {
      const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
      if (!match?.[1]) throw new DomainError('unauthenticated', 'Send a token: Authorization: Bearer <token> (POST /api/v1/auth/token).');
      principal = await this.auth.authenticateBearer(match[1]);
    }
    if (this.auth.secondFactorMissing(principal)) {
      throw new DomainError('forbidden', 'Your role must sign in with a second factor. Enrol one: POST /api/v1/auth/mfa/totp, then POST /api/v1/auth/mfa/totp/confirm with a code.');
    }
    req.principal = principal;
    return principal;
  }
}
