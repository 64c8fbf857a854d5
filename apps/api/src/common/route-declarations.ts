import { Injectable, OnModuleInit, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { ROLES, Role } from '@app/domain';
import { PUBLIC_KEY, ROLES_KEY } from './auth';

export interface DeclaredRoute {
  controller: string;
  handler: string;
  method: string;
  path: string;
  public: boolean;
  roles: Role[] | null;
}

/** Every route handler of the given controllers, with what it declares about who may call it. */
export function declaredRoutes(controllers: Type<unknown>[], reflector: Reflector): DeclaredRoute[] {
  return controllers.flatMap((controller) => {
    const base = normalize(Reflect.getMetadata(PATH_METADATA, controller));
    const proto = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(proto).flatMap((name) => {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function' || !Reflect.hasMetadata(METHOD_METADATA, handler)) return [];
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod] ?? 'ALL';
      const targets = [handler, controller];
      return [{
        controller: controller.name,
        handler: name,
        method,
        path: `/${[base, normalize(Reflect.getMetadata(PATH_METADATA, handler))].filter(Boolean).join('/')}`,
        public: reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets) === true,
        roles: reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? null,
      }];
    });
  });
}

/** Problems with the declarations, each naming the handler: no roles and not public, an empty or unknown role. */
export function routeDeclarationProblems(routes: DeclaredRoute[]): string[] {
  return routes.flatMap((r) => {
    const where = `${r.controller}.${r.handler} (${r.method} ${r.path})`;
    if (r.public && r.roles) return [`${where} is both @Public() and @Roles(...): choose one`];
    if (r.public) return [];
    if (!r.roles) return [`${where} declares neither @Roles(...) nor @Public()`];
    if (r.roles.length === 0) return [`${where} declares @Roles() with no role`];
    const unknown = r.roles.filter((role) => !(ROLES as readonly string[]).includes(role));
    return unknown.length ? [`${where} names unknown role(s): ${unknown.join(', ')}`] : [];
  });
}

function normalize(path: unknown): string {
  const p = Array.isArray(path) ? String(path[0] ?? '') : typeof path === 'string' ? path : '';
  return p.replace(/^\/+|\/+$/g, '');
}

/**
 * Fails start-up, naming each offending handler, when a route does not say who may call it: a
 * forgotten @Roles is found when the service starts, not by the first caller.
 */
@Injectable()
export class RouteDeclarationsCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const controllers = this.discovery.getControllers().map((w) => w.metatype).filter((m): m is Type<unknown> => typeof m === 'function');
    const problems = routeDeclarationProblems(declaredRoutes(controllers, this.reflector));
    if (problems.length) throw new Error(`Every endpoint must declare who may call it:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
