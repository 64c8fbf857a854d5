import { Controller, Get, Module, Post } from '@nestjs/common';
import { DiscoveryModule, Reflector } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { ApiKeysController } from '../api-keys/api-keys.controller';
import { AuditController } from '../audit/audit.controller';
import { AuthController } from '../auth/auth.controller';
import { DetainersController } from '../detainers/detainers.controller';
import { HealthController } from '../health/health.controller';
import { ReferenceController } from '../reference/reference.controller';
import { UserAccountsController } from '../users/user-accounts.controller';
import { UsersController } from '../users/users.controller';
import { isPrivileged, Public, Roles } from './auth';
import { declaredRoutes, RouteDeclarationsCheck, routeDeclarationProblems } from './route-declarations';

@Controller('api/v1/things')
class ForgetfulController {
  @Get() @Roles('admin') list() { return []; }
  @Post(':id/frobnicate') frobnicate() { return {}; }
}

@Controller('api/v1/odd')
class OddController {
  @Get() @Roles() empty() { return []; }
  @Get('both') @Public() @Roles('admin') both() { return []; }
}

@Controller('api/v1/fine')
@Roles('officer')
class ClassLevelController {
  @Get() list() { return []; }
  @Post() @Roles('admin') create() { return {}; }
}

describe('every route declares who may call it', () => {
  it('start-up fails, naming the handler, when a route declares neither @Roles nor @Public', async () => {
    @Module({ imports: [DiscoveryModule], controllers: [ForgetfulController], providers: [RouteDeclarationsCheck] })
    class BadModule {}
    const moduleRef = await Test.createTestingModule({ imports: [BadModule] }).compile();
    await expect(moduleRef.init()).rejects.toThrow('ForgetfulController.frobnicate (POST /api/v1/things/:id/frobnicate) declares neither @Roles(...) nor @Public()');
  });

  it('an empty role list, or both @Public and @Roles, are refused too', () => {
    expect(routeDeclarationProblems(declaredRoutes([OddController], new Reflector()))).toEqual([
      'OddController.empty (GET /api/v1/odd) declares @Roles() with no role',
      'OddController.both (GET /api/v1/odd/both) is both @Public() and @Roles(...): choose one',
    ]);
  });

  it('class-level roles apply; a method may narrow them', () => {
    const routes = declaredRoutes([ClassLevelController], new Reflector());
    expect(routes.map((r) => [r.method, r.path, r.roles])).toEqual([
      ['GET', '/api/v1/fine', ['officer']],
      ['POST', '/api/v1/fine', ['admin']],
    ]);
  });

  it('the service\'s own controllers all declare', () => {
    const controllers = [HealthController, AuthController, UsersController, ReferenceController, DetainersController, UserAccountsController, ApiKeysController, AuditController];
    const routes = declaredRoutes(controllers, new Reflector());
    expect(routes.length).toBeGreaterThan(40);
    expect(routeDeclarationProblems(routes)).toEqual([]);
  });

  it('privileged = a change on an endpoint only admins may call', () => {
    expect(isPrivileged(['admin'], 'POST')).toBe(true);
    expect(isPrivileged(['admin'], 'patch')).toBe(true);
    expect(isPrivileged(['admin'], 'GET')).toBe(false);
    expect(isPrivileged(['admin', 'supervisor'], 'POST')).toBe(false);
    expect(isPrivileged(['officer'], 'POST')).toBe(false);
  });
});
