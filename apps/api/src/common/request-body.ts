import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiConsumes } from '@nestjs/swagger';
import type { Request } from 'express';
import { DomainError, FieldProblem } from '@app/domain';

/** Deeper than any body of this API: past it, parsing stops (class-transformer would overflow its stack on thousands). */
export const MAX_BODY_DEPTH = 32;

export const CONSUMES_KEY = 'dw:consumes';
/** Media types an endpoint accepts besides JSON (e.g. text/csv for an upload). Published in the OpenAPI document. */
export const Consumes = (...types: string[]) => applyDecorators(SetMetadata(CONSUMES_KEY, types), ApiConsumes('application/json', ...types));

export class BodyTooDeepError extends Error {
  readonly type = 'entity.too.deep';
  readonly status = 400;
  constructor() {
    super(`The request body nests arrays or objects more than ${MAX_BODY_DEPTH} levels deep.`);
  }
}

/**
 * body-parser's `verify`: refuses JSON nested deeper than MAX_BODY_DEPTH before it is parsed (one
 * pass over the bytes; brackets inside strings do not count).
 */
export function refuseDeepJson(_req: unknown, _res: unknown, buf: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i += 1) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > MAX_BODY_DEPTH) throw new BodyTooDeepError();
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Keys that name an object's machinery, never a field: refused wherever they appear. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Global, before validation: a body must be JSON (or a media type the endpoint declares with
 * @Consumes): else 415. Every string in it must be well-formed Unicode (a lone surrogate would be
 * stored as U+FFFD), and no key may be __proto__, constructor or prototype (400, naming the field).
 */
@Injectable()
export class RequestBodyGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<Request>();
    if (!BODY_METHODS.has(req.method) || !hasBody(req)) return true;
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const accepted = this.reflector.getAllAndOverride<string[] | undefined>(CONSUMES_KEY, [ctx.getHandler(), ctx.getClass()]) ?? [];
    const json = type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
    if (!json && !accepted.includes(type)) {
      throw new DomainError('unsupported_media_type', `Send the body as application/json${accepted.length ? ` or ${accepted.join(', ')}` : ''}${type ? `, not ${type}` : ' (Content-Type is missing)'}.`, [
        { field: 'Content-Type', message: `must be application/json${accepted.length ? ` or ${accepted.join(', ')}` : ''}` },
      ]);
    }
    if (json) {
      const problems = bodyProblems(req.body);
      if (problems.length) throw new DomainError('invalid_input', `Invalid input: ${[...new Set(problems.map((p) => p.field))].join(', ')}.`, problems);
    }
    return true;
  }
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** Lone surrogates and forbidden keys anywhere in a parsed body, with the path of each. */
export function bodyProblems(value: unknown, path = ''): FieldProblem[] {
  if (typeof value === 'string') {
    return !LONE_SURROGATE.test(value) ? [] : [{ field: path || 'body', message: 'contains a lone surrogate (not a whole character): send well-formed Unicode' }];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => bodyProblems(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
      const field = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) return [{ field, message: 'unknown field: remove it' }];
      if (LONE_SURROGATE.test(key)) return [{ field: path || 'body', message: 'a field name contains a lone surrogate' }];
      return bodyProblems(v, field);
    });
  }
  return [];
}
