import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { defer, lastValueFrom, map, Observable, throwError } from 'rxjs';
import { IDEMPOTENCY_KEY_HOURS, IdempotentRequests } from '@app/application';
import { DomainError } from '@app/domain';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * A create that honours `Idempotency-Key` (IETF draft): the same key and body within 24 hours gets
 * the first answer again (status and body, with `Idempotent-Replayed: true`); the same key with
 * another body is 422; the same key while the first request is still in progress is 409 (documented
 * with the 409 in openapi-document.ts). The create, its answer and the key commit together (see IdempotentRequests).
 */
export function IdempotentCreate() {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: `1 to 255 printable ASCII characters. The same key and body within ${IDEMPOTENCY_KEY_HOURS} h returns the first response (with Idempotent-Replayed: true); another body is 422; while a request with the key is still in progress, 409`,
    }),
    ApiResponse({ status: 422, description: 'Idempotency-Key reused with another body (code idempotency_mismatch)' }),
  );
}

/** The edge of IdempotentRequests: reads the header, runs the handler once per key, replays the stored answer. */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly requests: IdempotentRequests) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const key = req.header('idempotency-key');
    const principal = req.principal;
    if (key === undefined || !principal) return next.handle();
    if (!IDEMPOTENCY_KEY.test(key)) {
      return throwError(() => DomainError.invalidInput('Idempotency-Key', 'Idempotency-Key must be 1 to 255 printable ASCII characters.'));
    }
    const res = ctx.switchToHttp().getResponse<Response>();
    const keyed = { principal, key, method: req.method, path: req.originalUrl.split('?')[0], body: req.body as unknown };
    // Subscribed inside the unit of work: every transaction the handler opens joins it.
    return defer(() =>
      this.requests.run(keyed, async () => {
        const body: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
        // The status the route declares (set before interceptors run), or the one the handler set.
        return { status: res.statusCode, body };
      }),
    ).pipe(
      map((answer) => {
        res.status(answer.status);
        if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
        return answer.body;
      }),
    );
  }
}
