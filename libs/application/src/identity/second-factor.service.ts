import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@app/domain';
import { AccountRepository, Database, SessionRepository } from '@app/persistence';
import { Principal } from '../principal';
import { SECURITY_CLOCK, SecurityClock } from '../security-clock';
import { SecretBox } from './secret-box';
import { matchTotp, newTotpSecret, TOTP_ISSUER, totpUri } from './totp';

export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
  issuer: string;
  algorithm: 'SHA1';
  digits: 6;
  period: 30;
}

/** TOTP (RFC 6238) enrolment for the signed-in user: start (a new secret), then confirm with a code. */
@Injectable()
export class SecondFactorService {
  constructor(
    private readonly db: Database,
    private readonly accounts: AccountRepository,
    private readonly sessions: SessionRepository,
    private readonly box: SecretBox,
    @Inject(SECURITY_CLOCK) private readonly clock: SecurityClock,
  ) {}

  async startTotp(principal: Principal): Promise<TotpEnrolment> {
    requireUser(principal);
    const secret = newTotpSecret();
    await this.db.transaction(async (sql) => {
      const held = await this.accounts.lockRow(sql, principal.id);
      if (!held) throw new DomainError('not_found', 'No such account.');
      if (held.secrets.totpSecret) throw new DomainError('conflict', 'A second factor is already enrolled; an administrator can reset it.');
      await this.accounts.setPendingTotp(sql, principal.id, this.box.seal(secret, principal.id));
    });
    return { secret, otpauthUri: totpUri(secret, principal.name), issuer: TOTP_ISSUER, algorithm: 'SHA1', digits: 6, period: 30 };
  }

  /** A code from the new device proves it works; the current session then counts as signed in with two factors. */
  async confirmTotp(principal: Principal, code: string): Promise<{ id: string; enabledAt: string }> {
    const session = requireUser(principal);
    const now = this.clock.now();
    return this.db.transaction(async (sql) => {
      const held = await this.accounts.lockRow(sql, principal.id);
      if (!held) throw new DomainError('not_found', 'No such account.');
      if (held.secrets.totpSecret) throw new DomainError('conflict', 'A second factor is already enrolled.');
      if (!held.secrets.totpPendingSecret) throw DomainError.invalidInput('totpCode', 'Start enrolment first: POST /api/v1/auth/mfa/totp.');
      const sealed = held.secrets.totpPendingSecret;
      const step = matchTotp(this.box.open(sealed, principal.id), held.account.username, code, now);
      if (step === null) throw DomainError.invalidInput('totpCode', "The code does not match; check the device's clock and enter a fresh code.");
      await this.accounts.enableTotp(sql, principal.id, sealed, now, step);
      await this.sessions.markAuthenticated(sql, session.id, now, true);
      return { id: principal.id, enabledAt: now.toISOString() };
    });
  }
}

function requireUser(p: Principal) {
  if (p.kind !== 'user' || !p.session) throw new DomainError('forbidden', 'A second factor belongs to a signed-in user; API keys have none.');
  return p.session;
}
