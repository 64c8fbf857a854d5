import { applyDecorators, CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiKeyService, AuthenticationFailure, AuthenticationService, ClientInfo, Principal, RequestAudit } from '@app/application';
import { DomainError, Role } from '@app/domain';

export const ROLES_KEY = 'dw:roles';
export const PUBLIC_KEY = 'dw:public';
export const WITHOUT_SECOND_FACTOR_KEY = 'dw:without-second-factor';
export const EXPIRED_TOKEN_KEY = 'dw:expired-token';
export const SESSION_ONLY_KEY = 'dw:session-only';
export const WITHOUT_REAUTHENTICATION_KEY = 'dw:without-reauthentication';

/**
 * Declares who may call an endpoint. Every endpoint must say (or be @Public()): the API refuses to
 * start otherwise. The roles are also published in the OpenAPI document as `x-roles`.
 */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension('x-roles', roles));
/** Marks an endpoint that needs no credentials (sign-in, health, docs). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension('x-public', true));
/** Reachable by a user whose role requires a second factor before one is enrolled (enrolment itself, /me, sign-out). */
export const AllowWithoutSecondFactor = () => applyDecorators(SetMetadata(WITHOUT_SECOND_FACTOR_KEY, true), ApiExtension('x-without-second-factor', true));

/** For signed-in users only (their session, password, second factor): API keys are refused with 403. Published as `x-session-only`. */
export const SessionOnly = () => applyDecorators(SetMetadata(SESSION_ONLY_KEY, true), ApiExtension('x-session-only', true));
/** Accepts an access token past its TTL while its session lives: for exchanging it (POST /auth/refresh) only. */
/** An admin-only POST that changes nothing of consequence (a password check, a dashboard ticket): no recent sign-in needed. */
export const WithoutReauthentication = () => applyDecorators(SetMetadata(WITHOUT_REAUTHENTICATION_KEY, true), ApiExtension('x-without-reauthentication', true));
export const AcceptExpiredToken = () => SetMetadata(EXPIRED_TOKEN_KEY, true);

export const ALL_ROLES: Role[] = ['officer', 'jail_staff', 'supervisor', 'admin', 'analyst'];

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Privileged actions need a recent sign-in (REAUTH_MAX_AGE_MINUTES): every change on an endpoint
 * only administrators may call (users, API keys, reference data, and whatever admin endpoints come).
 */
export function isPrivileged(roles: readonly Role[], method: string): boolean {
  return roles.length === 1 && roles[0] === 'admin' && !SAFE_METHODS.has(method.toUpperCase());
}

/** What the guard learnt about the matched route; the audit reads it even when the request is refused. */
export interface RouteAccess {
  public: boolean;
  roles: Role[];
  /** Express route pattern, e.g. /api/v1/detainers/:id/acknowledge */
  pattern: string;
}

declare module 'express' {
  interface Request {
    principal?: Principal;
    routeAccess?: RouteAccess;
    /** Set by the audit interceptor for the handler's run. */
    auditContext?: RequestAudit;
  }
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<Request>().principal;
  if (!principal) throw new DomainError('unauthenticated', 'Sign in first.');
  return principal;
});

/** Where the request came from: for the audit log and the sign-in limits. */
export function clientInfoOf(req: Request): ClientInfo {
  const agent = req.headers['user-agent'];
  return {
    clientAddress: req.ip ?? req.socket?.remoteAddress ?? null,
    userAgent: typeof agent === 'string' ? agent.slice(0, 300) : null,
    requestId: typeof req.id === 'string' ? req.id : null,
    method: req.method,
    path: routePatternOf(req),
  };
}

export function routePatternOf(req: Request): string {
  const route = (req as { route?: { path?: unknown } }).route;
  return typeof route?.path === 'string' ? route.path : req.path;
}

export const Client = createParamDecorator((_: unknown, ctx: ExecutionContext): ClientInfo => clientInfoOf(ctx.switchToHttp().getRequest<Request>()));

/**
 * Authenticates every request (a Bearer token bound to a live session, or an agency system's
 * X-Api-Key) and applies, in order: the endpoint's roles (403), the second-factor requirement of the
 * caller's role (403 until enrolled), and re-authentication before privileged actions (401).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthenticationService,
    private readonly apiKeys: ApiKeyService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    const req = ctx.switchToHttp().getRequest<Request>();
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets) === true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    req.routeAccess = { public: isPublic, roles: roles ?? [], pattern: routePatternOf(req) };
    if (isPublic) return true;
    // The start-up check (RouteDeclarationsCheck) makes this unreachable; refuse rather than allow if it ever is.
    if (!roles) throw new DomainError('forbidden', 'This endpoint declares no roles.');

    const principal = await this.authenticate(req, this.reflector.getAllAndOverride<boolean | undefined>(EXPIRED_TOKEN_KEY, targets) === true);
    req.principal = principal;
    if (!roles.includes(principal.role)) {
      throw new DomainError('forbidden', `Your role (${principal.role}) may not do this; it is for: ${roles.join(', ')}.`);
    }
    if (principal.kind !== 'user' && this.reflector.getAllAndOverride<boolean | undefined>(SESSION_ONLY_KEY, targets)) {
      throw new DomainError('forbidden', 'This is for signed-in users; API keys have no session, password or second factor.');
    }
    if (this.auth.secondFactorMissing(principal) && !this.reflector.getAllAndOverride<boolean | undefined>(WITHOUT_SECOND_FACTOR_KEY, targets)) {
      throw new DomainError('forbidden', 'Your role must sign in with a second factor. Enrol one: POST /api/v1/auth/mfa/totp, then POST /api/v1/auth/mfa/totp/confirm with a code.', {
        reason: 'second_factor_required',
      });
    }
    const reauthenticationWaived = this.reflector.getAllAndOverride<boolean | undefined>(WITHOUT_REAUTHENTICATION_KEY, targets) === true;
    if (isPrivileged(roles, req.method) && !reauthenticationWaived && this.auth.reauthenticationDue(principal)) {
      throw new DomainError('unauthenticated', 'This action needs a recent sign-in: confirm your password at POST /api/v1/auth/reauthenticate, then retry.', {
        reason: 'reauthentication_required',
      });
    }
    return true;
  }

  private authenticate(req: Request, allowExpired: boolean): Promise<Principal> {
    const header = req.headers.authorization;
    const apiKey = req.headers['x-api-key'];
    if (header !== undefined && apiKey !== undefined) {
      throw new AuthenticationFailure('Send one credential: either Authorization: Bearer <token> or X-Api-Key, not both.', 'ambiguous_credentials', null);
    }
    if (apiKey !== undefined) {
      if (typeof apiKey !== 'string') throw new AuthenticationFailure('Send one X-Api-Key header.', 'unknown_api_key', null);
      return this.apiKeys.authenticate(apiKey);
    }
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) {
      throw new AuthenticationFailure('Send a token: Authorization: Bearer <token> (POST /api/v1/auth/token), or an agency system\'s X-Api-Key.', header ? 'invalid_token' : 'no_credentials', null);
    }
    return this.auth.authenticateBearer(match[1], { allowExpired });
  }
}
