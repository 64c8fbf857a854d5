import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, DomainErrorCode } from '@app/domain';
import { isConnectionFailure } from '@app/persistence';
import { codeForStatus, ErrorBody } from './error-body';
import { HttpAudit } from './http-audit';

export function statusOf(code: DomainErrorCode): number {
  switch (code) {
    case 'invalid_input':
      return HttpStatus.BAD_REQUEST;
    case 'unauthenticated':
      return HttpStatus.UNAUTHORIZED;
    case 'forbidden':
      return HttpStatus.FORBIDDEN;
    case 'not_found':
      return HttpStatus.NOT_FOUND;
    case 'invalid_transition':
    case 'version_conflict':
    case 'conflict':
    case 'identity_mismatch':
    case 'idempotency_in_progress':
      return HttpStatus.CONFLICT;
    case 'idempotency_mismatch':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'unavailable':
      return HttpStatus.SERVICE_UNAVAILABLE;
    case 'rate_limited':
      return HttpStatus.TOO_MANY_REQUESTS;
    case 'unsupported_media_type':
      return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    default: {
      const never: never = code;
      return never;
    }
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 413: 'Payload Too Large',
  415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

const TRANSIENT_PG_CODES = new Set(['40P01', '40001', '55P03']);

/**
 * Maps every error to the contract's shape. Stack traces and internals never leave the process.
 * Every failed API request is audited here before the answer goes out (refusals by the guard too).
 */
@Catch()
@Injectable()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly audit: HttpAudit) {}

  async catch(error: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    const body = completed(withFieldDetails(this.toBody(error, req)));
    if (body.statusCode >= 500) this.logger.error({ err: error, requestId: req.id }, `${req.method} ${req.url} failed`);
    // Sign-in and re-authentication audit their own attempts (what the lockout and rate limits count): no second entry.
    // A service that audits its own attempts (sign-in) cannot when the database is down: this entry (spooled) stands for it.
    if (this.audit.audits(req) && (!req.auditContext?.isHandled || isConnectionFailure(error))) await this.audit.recordFailure(req, body.statusCode, error);
    if (res.headersSent) return;
    const retryAfter = error instanceof DomainError ? (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds : undefined;
    if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    else if (body.statusCode === 503) res.setHeader('Retry-After', '1');
    res.status(body.statusCode).json(body);
  }

  private toBody(error: unknown, req: Request): ErrorDraft {
    if (error instanceof DomainError) {
      const statusCode = statusOf(error.code);
      // The contract names this one conflict in `error` itself (api.md: `409 { error: "identity_mismatch", details }`).
      const reason = error.code === 'identity_mismatch' ? error.code : (REASONS[statusCode] ?? 'Error');
      return withDetails({ statusCode, error: reason, code: error.code, message: error.message }, error.details);
    }
    const parserError = bodyParserError(error);
    if (parserError) return parserError;
    if (error instanceof HttpException) {
      const statusCode = error.getStatus();
      const response = error.getResponse();
      const fromResponse = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
      const message = typeof fromResponse.message === 'string' ? fromResponse.message : statusCode === 404 ? `No route ${req.method} ${req.path}` : error.message;
      // Only a list of field problems passes through from a framework exception; anything else it carries stays inside.
      return withDetails({ statusCode, error: REASONS[statusCode] ?? 'Error', message }, Array.isArray(fromResponse.details) ? fromResponse.details : undefined);
    }
    const constraint = constraintViolation(error);
    if (constraint) return constraint;
    const e = error as { code?: string };
    if (e.code === '22P02' || e.code === '22007' || e.code === '22008') {
      return unplacedInput('A value in the request is not in the expected format (an id is a UUID, an instant ISO 8601).');
    }
    // A NUL or another character PostgreSQL cannot store, in any filter or id: bad input, not our failure.
    if (e.code === '22021' || e.code === '22P05') {
      return unplacedInput('A value in the request contains a character that is not allowed (e.g. NUL).');
    }
    // Deadlock, serialization failure, lock timeout: PostgreSQL rolled the transaction back; a retry succeeds.
    if (e.code && TRANSIENT_PG_CODES.has(e.code)) {
      return { statusCode: 503, error: REASONS[503], message: 'This request collided with concurrent work and was rolled back. Nothing was saved; retry it.' };
    }
    // A dependency is down (restart, dropped or refused connection, a runner released under us): retryable, nothing was committed.
    if (isConnectionFailure(error)) {
      return { statusCode: 503, error: REASONS[503], message: 'A service this request depends on is unavailable. Nothing was saved; retry shortly.' };
    }
    return { statusCode: 500, error: REASONS[500], message: 'Something went wrong on our side. Nothing was saved; quote the request id when you report it.' };
  }
}

/** body-parser errors (Nest wraps them in an HttpException with the original as `cause`). */
function bodyParserError(error: unknown): ErrorDraft | null {
  const raw = (error instanceof HttpException && error.cause ? error.cause : error) as { type?: string };
  switch (raw?.type) {
    case 'entity.too.large':
      return { statusCode: 413, error: REASONS[413], message: 'The request body is too large.' };
    case 'entity.parse.failed':
      return { statusCode: 400, error: REASONS[400], message: 'The request body is not valid JSON.', details: [{ field: 'body', message: 'not valid JSON' }] };
    case 'entity.too.deep': {
      const message = (raw as unknown as Error).message;
      return { statusCode: 400, error: REASONS[400], message, details: [{ field: 'body', message }] };
    }
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { statusCode: 415, error: REASONS[415], message: 'Unsupported body encoding.' };
    default:
      return null;
  }
}

/** Every 400 says what was wrong with which part of the request, even when only the message could. */
function withFieldDetails(body: ErrorDraft): ErrorDraft {
  if (body.statusCode !== 400 || body.details !== undefined) return body;
  return { ...body, details: [{ field: 'body', message: body.message }] };
}

/**
 * A constraint of the database refused the request's data (a unique code, an id that refers to
 * nothing): 409 or 400, naming the field (camelCase, as the API calls it), never the value on file.
 */
export function constraintViolation(error: unknown): ErrorDraft | null {
  const e = error as { code?: string; detail?: string; column?: string; constraint?: string; table?: string };
  // The service's own records (the audit log and its chain) refusing a write is our failure, not the request's.
  if (e.table && /^audit_/.test(e.table)) return null;
  const field = (name: string | undefined) => (name ?? 'body').replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  // "Key (code)=(SEA) already exists." / "Key (lower(username))=(x) ..." / "Key (detainer_id, seq)=(...)"
  const keyColumns = () => {
    const match = /^Key \((.+?)\)=\(/.exec(e.detail ?? '');
    return match ? match[1].split(',').map((c) => c.trim().replace(/^[a-z_]+\((.+)\)$/, '$1')) : [];
  };
  switch (e.code) {
    case '23505': {
      const fields = keyColumns().map(field);
      const named = fields.length ? fields : [field(e.constraint?.replace(/^[a-z]+_|_key$/g, ''))];
      return {
        statusCode: 409, error: REASONS[409], message: `A record with this ${named.join(' and ')} already exists.`,
        details: named.map((f) => ({ field: f, message: 'already in use by another record' })),
      };
    }
    case '23503': {
      const [column] = keyColumns();
      if (/is still referenced/.test(e.detail ?? '')) {
        return { statusCode: 409, error: REASONS[409], message: 'Other records still refer to this one.', details: [{ field: field(column), message: 'still referred to' }] };
      }
      return { statusCode: 400, error: REASONS[400], message: `No record has this ${field(column)}.`, details: [{ field: field(column), message: 'refers to no existing record' }] };
    }
    case '23502':
      return { statusCode: 400, error: REASONS[400], message: `${field(e.column)} is required.`, details: [{ field: field(e.column), message: 'is required' }] };
    case '23514': {
      // <table>_<column>_check, as PostgreSQL names column checks
      const column = e.constraint && e.table && e.constraint.startsWith(`${e.table}_`) ? e.constraint.slice(e.table.length + 1).replace(/(^|_)check\d*$/, '') || undefined : undefined;
      return { statusCode: 400, error: REASONS[400], message: `A value is not allowed here${column ? `: ${field(column)}` : ''}.`, details: [{ field: field(column), message: 'is not an allowed value' }] };
    }
    case '23P01':
      return { statusCode: 409, error: REASONS[409], message: 'This overlaps a record on file.', details: [{ field: field(keyColumns()[0]), message: 'overlaps another record' }] };
    default:
      return null;
  }
}

/** A 400 found by the database rather than by validation: which field it was is not known here. */
function unplacedInput(message: string): ErrorDraft {
  return { statusCode: 400, error: REASONS[400], message, details: [{ field: 'request', message }] };
}

/** An error body before `code` is filled in from the status (cases added here need not set it). */
type ErrorDraft = Omit<ErrorBody, 'code'> & { code?: ErrorBody['code'] };

const BASE_MEMBERS = new Set(['statusCode', 'error', 'code', 'message', 'details']);

/**
 * `details` is always a list of `{ field, message }`. A domain error's other context (an object:
 * the state and allowed actions, who holds a claim, ...) becomes named members of the body.
 */
function withDetails(body: ErrorDraft, details: unknown): ErrorDraft {
  if (details === undefined || details === null) return body;
  if (Array.isArray(details)) return { ...body, details };
  const members = Object.entries(details as Record<string, unknown>).filter(([k]) => !BASE_MEMBERS.has(k) && k !== '__proto__');
  return { ...body, ...Object.fromEntries(members) };
}

function completed(body: ErrorDraft): ErrorBody {
  return { ...body, code: body.code ?? codeForStatus(body.statusCode) };
}

/** The body a domain error is answered with over HTTP (also the `error` of a rejected custody event). */
export function domainErrorBody(error: DomainError): ErrorBody {
  const statusCode = statusOf(error.code);
  return completed(withFieldDetails(withDetails({ statusCode, error: REASONS[statusCode] ?? 'Error', code: error.code, message: error.message }, error.details)));
}
