import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import type { Request, Response } from 'express';
import { Observable, from, mergeMap } from 'rxjs';
import { AuditLog } from '@app/application';
import { HttpAudit } from './http-audit';

/**
 * Global: runs each handler inside its request's audit context and, on success, writes the entry
 * before the response leaves (unless a transaction or the service already did). Failures are
 * written by the exception filter.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly audit: AuditLog,
    private readonly http: HttpAudit,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<Request>();
    if (!this.http.audits(req)) return next.handle();
    const declared = Reflect.getMetadata(HTTP_CODE_METADATA, ctx.getHandler()) as number | undefined;
    const successStatus = declared ?? (req.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    const context = this.http.contextFor(req, successStatus);
    req.auditContext = context;
    // Subscribing inside the context: the handler and everything it awaits see it.
    const handled = new Observable<unknown>((subscriber) => this.audit.runForRequest(context, () => next.handle().subscribe(subscriber)));
    return handled.pipe(
      mergeMap((body) =>
        from(
          (async () => {
            if (!context.isHandled && !context.wroteInTransaction) {
              const res = ctx.switchToHttp().getResponse<Response>();
              // A handler that set the status itself (res.status) wins over the declared one.
              await this.http.recordSuccess(req, res.statusCode !== (HttpStatus.OK as number) ? res.statusCode : successStatus, body);
            }
            return body;
          })(),
        ),
      ),
    );
  }
}
