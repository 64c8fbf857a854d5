import { createSecretKey, KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import {
  accessTokenExpiry, DomainError, lockoutWindowStart, rateLimitDecision, reauthenticationDue, Role, sessionExpiresAt, sessionNeedsTouch,
  sessionStatus, shouldLock,
} from '@app/domain';
import { APP_CONFIG, AppConfig } from '@app/config';
import {
  AccountRecord, AccountRepository, AccountSecrets, AuditActor, AuditRepository, Database, SessionRepository, Sql, UserRecord, UserRepository,
} from '@app/persistence';
import { AuditLog } from '../audit/audit-log.service';
import { Principal } from '../principal';
import { SECURITY_CLOCK, SecurityClock } from '../security-clock';
import { AuthenticationFailure, SIGN_IN_FAILED } from './authentication-failure';
import { assertPasswordAllowed } from './password-policy';
import { dummyHash, hashPassword, verifyPassword } from './passwords';
import { SecretBox } from './secret-box';
import { matchTotp } from './totp';

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: UserRecord;
  session: { id: string; expiresAt: string; secondFactor: boolean };
  /** The user's role requires a second factor and none is enrolled: until one is, only enrolment, /me and sign-out work. */
  secondFactorEnrolmentRequired: boolean;
}

/** Where a request came from, for the audit log and the per-address sign-in limit. */
export interface ClientInfo {
  clientAddress: string | null;
  userAgent: string | null;
  requestId: string | null;
  method: string | null;
  path: string | null;
}

export interface SignInInput {
  username: string;
  password: string;
  totpCode?: string;
}

interface TokenClaims {
  sub: string;
  sid: string;
  role: Role;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN_INVALID = 'The access token is invalid or has expired; sign in again.';
const SESSION_OVER = 'Your session has ended (signed out, timed out, or closed by an administrator); sign in again.';

function accountActor(a: Pick<AccountRecord, 'id' | 'username' | 'role' | 'agencyId' | 'areaId'>): AuditActor {
  return { kind: 'user', id: a.id, name: a.username, role: a.role, agencyId: a.agencyId, areaId: a.areaId };
}

/**
 * Sign-in, sessions and proofs of identity. Passwords (argon2id) and TOTP codes in, short-lived
 * HS256 tokens bound to a server-side session out; tokens in, principals out. Every sign-in attempt
 * is audited here, and the audit log is what the lockout and rate limits count.
 */
@Injectable()
export class AuthenticationService {
  /** The HS256 key, made once: jsonwebtoken would otherwise build a KeyObject from the text on every verify. */
  private signingKey: KeyObject | undefined;

  constructor(
    private readonly db: Database,
    private readonly users: UserRepository,
    private readonly accounts: AccountRepository,
    private readonly sessions: SessionRepository,
    private readonly auditEntries: AuditRepository,
    private readonly audit: AuditLog,
    private readonly secrets: SecretBox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SECURITY_CLOCK) private readonly clock: SecurityClock,
  ) {}

  async login(input: SignInInput, client: ClientInfo = NO_CLIENT): Promise<IssuedToken> {
    this.audit.currentRequest()?.markHandled();
    const now = this.clock.now();
    const tried = input.username.trim().slice(0, 100);
    const anonymous: AuditActor = { kind: 'anonymous', id: null, name: tried, role: null, agencyId: null, areaId: null };
    const entry = (outcome: 'success' | 'failure', reason: string | null, actor: AuditActor, extra: { sessionId?: string; details?: Record<string, unknown> } = {}) =>
      this.entry('auth.login', outcome, reason, actor, client, { ...extra, status: outcome === 'success' ? 200 : reason === 'rate_limited' ? 429 : 401 });

    const limit = await this.db.read((sql) => this.signInRateLimit(sql, tried, client, now));
    if (limit) {
      await this.audit.record(entry('failure', 'rate_limited', anonymous, { details: { limitedBy: limit.by } }));
      throw new DomainError('rate_limited', `Too many sign-in attempts; try again in ${limit.retryAfterSeconds} s.`, { retryAfterSeconds: limit.retryAfterSeconds });
    }

    const found = await this.db.read((sql) => this.accounts.findByUsername(sql, tried));
    // Unknown usernames are verified against a dummy hash: the time taken does not reveal which usernames exist.
    const passwordOk = await verifyPassword(found?.secrets.passwordHash ?? (await dummyHash()), input.password);
    if (!found) {
      await this.audit.record(entry('failure', 'unknown_user', anonymous));
      throw new AuthenticationFailure(SIGN_IN_FAILED, 'unknown_user', anonymous);
    }
    const { account, secrets } = found;
    const actor = accountActor(account);
    if (!passwordOk) {
      await this.failedProof(account, 'auth.login', client, now, { factor: 'password' });
      throw new AuthenticationFailure(SIGN_IN_FAILED, 'bad_credentials', actor);
    }
    const refusal = account.disabledAt ? 'account_disabled' : account.lockedAt ? 'account_locked' : null;
    if (refusal) {
      await this.audit.record(entry('failure', refusal, actor));
      throw new AuthenticationFailure(SIGN_IN_FAILED, refusal, actor);
    }

    let secondFactor = false;
    if (secrets.totpSecret) {
      if (!input.totpCode) {
        await this.audit.record(entry('failure', 'second_factor_required', actor));
        throw new AuthenticationFailure('Enter the 6-digit code from your authenticator app as totpCode.', 'second_factor_required', actor, { reason: 'totp_code_required' });
      }
      if (!(await this.totpAccepted(account, secrets, input.totpCode, now))) {
        await this.failedProof(account, 'auth.login', client, now, { factor: 'totp' });
        throw new AuthenticationFailure(SIGN_IN_FAILED, 'bad_credentials', actor);
      }
      secondFactor = true;
    }

    const limits = this.sessionLimits();
    return this.db.transaction(async (sql) => {
      const session = await this.sessions.create(sql, {
        userId: account.id,
        at: now,
        expiresAt: sessionExpiresAt(now, limits),
        secondFactor,
        clientAddress: client.clientAddress,
        userAgent: client.userAgent,
      });
      await this.accounts.recordLogon(sql, account.id, now);
      await this.audit.record({ ...entry('success', null, actor, { sessionId: session.id, details: { secondFactor } }), at: now }, sql);
      const user = await this.users.findById(sql, account.id);
      return this.issue(user!, session.id, session.expiresAt, secondFactor, now);
    });
  }

  /**
   * Verifies a bearer token and its session; the principal carries the account's current role and
   * unit. `allowExpired` is for POST /auth/refresh only: an access token past its short TTL may be
   * exchanged while its session lives (the session's idle and 12-hour limits are what end it).
   */
  async authenticateBearer(token: string, opts: { allowExpired?: boolean } = {}): Promise<Principal> {
    const now = this.clock.now();
    const claims = this.verifyToken(token, now, opts.allowExpired === true);
    return this.authenticateSession(claims.sid, claims.sub, now);
  }

  /**
   * The principal of a live session of this user, with the same checks as a bearer token's (disabled,
   * locked, idle, over): for credentials bound to a session other than the token (the queue dashboard's cookie).
   */
  async authenticateSession(sessionId: string, userId: string, now = this.clock.now()): Promise<Principal> {
    const found = await this.db.read((sql) => this.sessions.findWithAccount(sql, sessionId));
    if (!found || found.account.id !== userId) throw new AuthenticationFailure(TOKEN_INVALID, 'invalid_token', null);
    const { session, account } = found;
    const actor = accountActor(account);
    if (account.disabledAt) throw new AuthenticationFailure(SESSION_OVER, 'account_disabled', actor);
    if (account.lockedAt) throw new AuthenticationFailure(SESSION_OVER, 'account_locked', actor);
    const status = sessionStatus(session, now, this.sessionLimits());
    if (status !== 'active') {
      // Record why the session ended the first time someone finds it so.
      if (status === 'idle_timeout' || status === 'expired') await this.db.read((sql) => this.sessions.end(sql, session.id, now, status));
      throw new AuthenticationFailure(SESSION_OVER, status === 'ended' ? `session_${session.endReason ?? 'ended'}` : `session_${status}`, actor);
    }
    if (sessionNeedsTouch(session.lastSeenAt, now)) await this.db.read((sql) => this.sessions.touch(sql, session.id, now));
    return {
      kind: 'user',
      id: account.id,
      name: account.username,
      role: account.role,
      agencyId: account.agencyId,
      areaId: account.areaId,
      session: { id: session.id, authenticatedAt: session.authenticatedAt, secondFactor: session.secondFactor, expiresAt: session.expiresAt },
    };
  }

  /** Kept for callers of the first version: the principal behind a bearer token. */
  principalFromToken(token: string): Promise<Principal> {
    return this.authenticateBearer(token);
  }

  /** Who a token names, without side effects and without failing: for attributing requests refused before authentication (413). */
  async identifyBearer(token: string): Promise<AuditActor | null> {
    try {
      const claims = this.verifyToken(token, this.clock.now());
      const found = await this.db.read((sql) => this.sessions.findWithAccount(sql, claims.sid));
      return found && found.account.id === claims.sub ? accountActor(found.account) : null;
    } catch {
      return null;
    }
  }

  /** A new access token for the same session (the session's limits still apply). */
  async refresh(principal: Principal): Promise<IssuedToken> {
    const session = requireSession(principal);
    const now = this.clock.now();
    const user = await this.db.read((sql) => this.users.findById(sql, principal.id));
    if (!user) throw new AuthenticationFailure(SESSION_OVER, 'unknown_user', null);
    return this.issue(user, session.id, session.expiresAt, session.secondFactor, now);
  }

  async logout(principal: Principal): Promise<void> {
    const session = requireSession(principal);
    await this.db.transaction((sql) => this.sessions.end(sql, session.id, this.clock.now(), 'logout'));
  }

  /** Proves again who the signed-in user is (password, and the code when enrolled): privileged actions need it recent. */
  async reauthenticate(principal: Principal, input: { password: string; totpCode?: string }, client: ClientInfo = NO_CLIENT): Promise<{ authenticatedAt: string }> {
    const session = requireSession(principal);
    this.audit.currentRequest()?.markHandled();
    const now = this.clock.now();
    const found = await this.db.read((sql) => this.accounts.findWithSecrets(sql, principal.id));
    if (!found) throw new AuthenticationFailure(SESSION_OVER, 'unknown_user', null);
    const { account, secrets } = found;
    const actor = accountActor(account);
    const passwordOk = await verifyPassword(secrets.passwordHash, input.password);
    const totpOk = !secrets.totpSecret || (passwordOk && input.totpCode !== undefined && (await this.totpAccepted(account, secrets, input.totpCode, now)));
    if (!passwordOk || !totpOk) {
      await this.failedProof(account, 'auth.reauthenticate', client, now, { factor: passwordOk ? 'totp' : 'password' }, session.id);
      throw new AuthenticationFailure(SIGN_IN_FAILED, 'bad_credentials', actor);
    }
    await this.db.transaction(async (sql) => {
      await this.sessions.markAuthenticated(sql, session.id, now, Boolean(secrets.totpSecret));
      await this.audit.record({ ...this.entry('auth.reauthenticate', 'success', null, actor, client, { sessionId: session.id, status: 200 }), at: now }, sql);
    });
    return { authenticatedAt: now.toISOString() };
  }

  /** The signed-in user changes their password; every other session of theirs ends. */
  async changePassword(principal: Principal, input: { currentPassword: string; newPassword: string }, client: ClientInfo = NO_CLIENT): Promise<void> {
    const session = requireSession(principal);
    assertPasswordAllowed(input.newPassword, principal.name, 'newPassword');
    if (input.newPassword === input.currentPassword) throw DomainError.invalidInput('newPassword', 'The new password must differ from the current one.');
    this.audit.currentRequest()?.markHandled();
    const now = this.clock.now();
    const found = await this.db.read((sql) => this.accounts.findWithSecrets(sql, principal.id));
    if (!found) throw new AuthenticationFailure(SESSION_OVER, 'unknown_user', null);
    const actor = accountActor(found.account);
    if (!(await verifyPassword(found.secrets.passwordHash, input.currentPassword))) {
      await this.failedProof(found.account, 'auth.password_change', client, now, { factor: 'password' }, session.id);
      throw new AuthenticationFailure(SIGN_IN_FAILED, 'bad_credentials', actor);
    }
    const hash = await hashPassword(input.newPassword);
    await this.db.transaction(async (sql) => {
      await this.accounts.setPassword(sql, principal.id, hash, now);
      const ended = await this.sessions.endAllOf(sql, principal.id, now, 'password_changed', session.id);
      await this.sessions.markAuthenticated(sql, session.id, now, false);
      await this.audit.record({ ...this.entry('auth.password_change', 'success', null, actor, client, { sessionId: session.id, status: 204, details: { otherSessionsEnded: ended } }), at: now }, sql);
    });
  }

  /** Whether a principal must prove themselves again before a privileged action. */
  reauthenticationDue(principal: Principal): boolean {
    if (principal.kind !== 'user' || !principal.session) return false;
    return reauthenticationDue(principal.session.authenticatedAt, this.clock.now(), this.config.security.reauthMaxAgeMinutes * 60_000);
  }

  /** Whether the principal's role must use a second factor that this session has not shown. */
  secondFactorMissing(principal: Principal): boolean {
    return principal.kind === 'user' && this.config.security.mfaRequiredRoles.includes(principal.role) && !principal.session?.secondFactor;
  }

  private verifyToken(token: string, now: Date, allowExpired = false): TokenClaims {
    let claims: jwt.JwtPayload | string;
    try {
      claims = jwt.verify(token, this.key(), {
        algorithms: ['HS256'],
        audience: this.config.jwt.audience,
        issuer: this.config.jwt.issuer,
        clockTimestamp: Math.floor(now.getTime() / 1000),
        ignoreExpiration: allowExpired,
      });
    } catch {
      throw new AuthenticationFailure(TOKEN_INVALID, 'invalid_token', null);
    }
    if (typeof claims !== 'object' || typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || !UUID.test(claims.sid) || !UUID.test(claims.sub)) {
      throw new AuthenticationFailure(TOKEN_INVALID, 'invalid_token', null);
    }
    // jsonwebtoken checks exp, aud and iss only when the token has them: a token must carry all four.
    if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number' || claims.aud === undefined || claims.iss === undefined) {
      throw new AuthenticationFailure(TOKEN_INVALID, 'invalid_token', null);
    }
    return claims as TokenClaims;
  }

  private key(): KeyObject {
    this.signingKey ??= createSecretKey(Buffer.from(this.config.jwt.secret, 'utf8'));
    return this.signingKey;
  }

  private issue(user: UserRecord, sessionId: string, sessionEnds: Date, secondFactor: boolean, now: Date): IssuedToken {
    const exp = accessTokenExpiry(now, this.config.jwt.ttlSeconds, sessionEnds);
    const iat = Math.floor(now.getTime() / 1000);
    const claims = { sub: user.id, sid: sessionId, role: user.role, iat, exp };
    const accessToken = jwt.sign(claims, this.key(), { algorithm: 'HS256', audience: this.config.jwt.audience, issuer: this.config.jwt.issuer });
    const enrolmentRequired = this.config.security.mfaRequiredRoles.includes(user.role) && !secondFactor;
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: exp - iat,
      user,
      session: { id: sessionId, expiresAt: sessionEnds.toISOString(), secondFactor },
      secondFactorEnrolmentRequired: enrolmentRequired,
    };
  }

  private sessionLimits() {
    return { idleMs: this.config.security.sessionIdleMinutes * 60_000, absoluteMs: this.config.security.sessionMaxHours * 3_600_000 };
  }

  private async signInRateLimit(sql: Sql, username: string, client: ClientInfo, now: Date): Promise<{ by: 'address' | 'username'; retryAfterSeconds: number } | null> {
    const { windowSeconds, perAddress, perUsername } = this.config.security.loginRate;
    const windowMs = windowSeconds * 1000;
    const since = new Date(now.getTime() - windowMs);
    if (client.clientAddress) {
      const recent = await this.auditEntries.recentLogonAttempts(sql, { clientAddress: client.clientAddress }, since, perAddress);
      const decision = rateLimitDecision(recent, now, { limit: perAddress, windowMs });
      if (!decision.allowed) return { by: 'address', retryAfterSeconds: decision.retryAfterSeconds };
    }
    const recent = await this.auditEntries.recentLogonAttempts(sql, { username }, since, perUsername);
    const decision = rateLimitDecision(recent, now, { limit: perUsername, windowMs });
    return decision.allowed ? null : { by: 'username', retryAfterSeconds: decision.retryAfterSeconds };
  }

  /**
   * A wrong password or code for a known account: audited as `bad_credentials`, which is what the
   * lockout counts. The account row is held meanwhile, so concurrent failures are counted in turn.
   */
  private async failedProof(account: AccountRecord, action: string, client: ClientInfo, now: Date, details: Record<string, unknown>, sessionId: string | null = null): Promise<void> {
    await this.db.transaction(async (sql) => {
      const held = await this.accounts.lockRow(sql, account.id);
      const current = held?.account ?? account;
      const actor = accountActor(current);
      await this.audit.record({ ...this.entry(action, 'failure', 'bad_credentials', actor, client, { sessionId: sessionId ?? undefined, status: 401, details }), at: now }, sql);
      const failures = await this.auditEntries.countBadCredentials(sql, current.id, lockoutWindowStart(now, current.lastLogonAt, current.unlockedAt));
      if (shouldLock(failures) && !current.lockedAt) {
        await this.accounts.lock(sql, current.id, now);
        const ended = await this.sessions.endAllOf(sql, current.id, now, 'account_locked');
        await this.audit.record({ ...this.entry('auth.lockout', 'success', 'too_many_failures', actor, client, { status: 401, details: { failures, sessionsEnded: ended } }), at: now }, sql);
      }
    });
  }

  /** A right code for a step not used before (replays are refused); the step is recorded at once. */
  private async totpAccepted(account: AccountRecord, secrets: AccountSecrets, code: string, now: Date): Promise<boolean> {
    if (!secrets.totpSecret) return false;
    const step = matchTotp(this.secrets.open(secrets.totpSecret, account.id), account.username, code, now);
    if (step === null) return false;
    return this.db.read((sql) => this.accounts.acceptTotpStep(sql, account.id, step));
  }

  private entry(
    action: string,
    outcome: 'success' | 'failure',
    reason: string | null,
    actor: AuditActor,
    client: ClientInfo,
    extra: { sessionId?: string; status: number; details?: Record<string, unknown> },
  ) {
    return {
      category: 'authentication' as const,
      action,
      outcome,
      status: extra.status,
      reason,
      actor,
      sessionId: extra.sessionId ?? null,
      target: actor.id ? { type: 'users', id: actor.id } : null,
      method: client.method,
      path: client.path,
      requestId: client.requestId,
      clientAddress: client.clientAddress,
      details: extra.details ?? {},
    };
  }
}

const NO_CLIENT: ClientInfo = { clientAddress: null, userAgent: null, requestId: null, method: null, path: null };

function requireSession(p: Principal) {
  if (p.kind !== 'user' || !p.session) throw new DomainError('forbidden', 'This needs a signed-in user; API keys have no session.');
  return p.session;
}
