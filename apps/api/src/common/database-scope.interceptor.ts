import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { databaseScopeOf } from '@app/application';
import { withDatabaseScope } from '@app/persistence';

/**
 * Global: every transaction a handler opens carries its caller's row-level-security scope (none for
 * anonymous requests), so the database itself refuses rows outside it even if a query forgot to.
 */
@Injectable()
export class DatabaseScopeInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const scope = databaseScopeOf(ctx.switchToHttp().getRequest<Request>().principal);
    // Subscribing inside the scope: the handler and everything it awaits see it.
    return new Observable<unknown>((subscriber) => withDatabaseScope(scope, () => next.handle().subscribe(subscriber)));
  }
}
