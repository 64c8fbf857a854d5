import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuthenticationService, Principal } from '@app/application';
import { DomainError, Role } from '@app/domain';

const ROLES_KEY = 'dw:roles';
const PUBLIC_KEY = 'dw:public';

/** Declares who may call an endpoint. Every non-public endpoint must say. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** Marks an endpoint that needs no credentials (sign-in, health, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const ALL_ROLES: Role[] = ['officer', 'jail_staff', 'supervisor', 'admin', 'analyst'];

declare module 'express' {
  interface Request {
    principal?: Principal;
  }
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<Request>().principal;
  if (!principal) throw new DomainError('unauthenticated', 'Sign in first.');
  return principal;
});

/** Authenticates every request (Bearer token) and checks the endpoint's declared roles. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthenticationService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles) throw new Error(`${ctx.getClass().name}.${ctx.getHandler().name} declares no roles`);

    const req = ctx.switchToHttp().getRequest<Request>();
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw new DomainError('unauthenticated', 'Send a token: Authorization: Bearer <token> (POST /api/v1/auth/token).');
    const principal = await this.auth.principalFromToken(match[1]);
    req.principal = principal;
    if (!roles.includes(principal.role)) {
      throw new DomainError('forbidden', `Your role (${principal.role}) may not do this; it is for: ${roles.join(', ')}.`);
    }
    return true;
  }
}
