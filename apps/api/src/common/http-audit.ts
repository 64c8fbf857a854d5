import { Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { ApiKeyService, AuditEntryInput, AuditLog, auditActorOf, AuthenticationFailure, AuthenticationService, RequestAudit } from '@app/application';
import { DomainError } from '@app/domain';
import { AuditActor, AuditCategory, DatabaseBusyError, withoutWaitingForConnection } from '@app/persistence';
import { clientInfoOf, routePatternOf } from './auth';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Fields that identify a person (analysts never see them; every response that carries them is an identity read). */
const IDENTITY_FIELDS = ['aNumber', 'fbiNumber', 'stateId', 'familyName', 'givenName', 'dateOfBirth', 'bookingNumber'];
const MAX_TEXT = 200;

/** Which subjects' identities a response body reveals: walks the JSON (bounded), collecting subject ids. */
export function identitiesIn(body: unknown): { found: boolean; subjectIds: string[] } {
  const ids = new Set<string>();
  let found = false;
  let budget = 50_000;
  const walk = (node: unknown, depth: number): void => {
    if (budget-- <= 0 || depth > 12 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item, depth + 1);
      return;
    }
    const record = node as Record<string, unknown>;
    const identifying = IDENTITY_FIELDS.some((k) => record[k] !== undefined && record[k] !== null);
    if (identifying) {
      found = true;
      const isSubject = record.familyName !== undefined || record.aNumber !== undefined || record.dateOfBirth !== undefined;
      if (isSubject && typeof record.id === 'string' && ids.size < 500) ids.add(record.id);
    }
    for (const value of Object.values(record)) walk(value, depth + 1);
  };
  walk(body, 0);
  return { found, subjectIds: [...ids] };
}

function clip(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

function clippedRecord(input: unknown, maxKeys = 30): Record<string, string> {
  if (!input || typeof input !== 'object') return {};
  return Object.fromEntries(Object.entries(input as Record<string, unknown>).slice(0, maxKeys).map(([k, v]) => [clip(k), clip(v)]));
}

/** The resource a route acts on: its first segment after /api/v1, and the id from the path or the created record. */
function targetOf(pattern: string, params: Record<string, string>, result: unknown): { type: string | null; id: string | null } | null {
  const segments = pattern.split('/').filter((s) => s && s !== 'api' && !/^v\d+$/.test(s));
  const type = segments[0] && !segments[0].startsWith(':') ? segments[0] : null;
  const names = Object.keys(params);
  const idName = names.includes('id') ? 'id' : [...names].reverse().find((n) => /Id$/.test(n)) ?? names[0];
  let id: string | null = idName !== undefined ? clip(params[idName]) : null;
  if (id === null && result && typeof result === 'object' && typeof (result as { id?: unknown }).id === 'string') id = (result as { id: string }).id;
  return type || id ? { type, id } : null;
}

/**
 * Turns HTTP requests into audit entries. Every request under /api/ is audited: the interceptor
 * writes successes, the exception filter failures (including refusals before any handler ran), and
 * a changing request's entry commits inside its transaction (RequestAudit). Endpoints need not do
 * anything to be audited.
 */
@Injectable()
export class HttpAudit {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly audit: AuditLog,
    private readonly auth: AuthenticationService,
    private readonly apiKeys: ApiKeyService,
  ) {}

  audits(req: Request): boolean {
    return (req.originalUrl ?? req.url ?? '').startsWith('/api/');
  }

  /** The audit context of a request: a changing request writes its success entry inside its first transaction. */
  contextFor(req: Request, successStatus: number): RequestAudit {
    const changing = !SAFE_METHODS.has(req.method);
    return new RequestAudit(changing ? (sql, result) => this.audit.record(this.entry(req, 'success', successStatus, null, { result }), sql).then(() => undefined) : null);
  }

  async recordSuccess(req: Request, status: number, body: unknown): Promise<void> {
    await this.audit.record(this.entry(req, 'success', status, null, { result: body }));
  }

  /** Never throws: a failure to audit a failure is logged (with the entry) rather than masking the original error. */
  async recordFailure(req: Request, status: number, error: unknown): Promise<void> {
    // Refused because every connection was taken: its entry must not queue again for one (doubling
    // the wait for the 503); with none free now, it goes to the spool (written when one is).
    if (error instanceof DatabaseBusyError) return withoutWaitingForConnection(() => this.writeFailure(req, status, error));
    return this.writeFailure(req, status, error);
  }

  private async writeFailure(req: Request, status: number, error: unknown): Promise<void> {
    try {
      const reason = error instanceof AuthenticationFailure ? error.reason : error instanceof DomainError ? reasonOf(error) : `http_${status}`;
      const actor = req.principal ? auditActorOf(req.principal) : error instanceof AuthenticationFailure && error.actor ? error.actor : await this.claimedActor(req).catch(() => auditActorOf(null));
      const message = error instanceof Error ? error.message : undefined;
      await this.audit.record(this.entry(req, 'failure', status, reason, { actor, message }));
    } catch (auditError) {
      this.logger.error({ err: auditError, requestId: req.id, method: req.method, path: req.path, status }, 'could not write the audit entry of a failed request');
    }
  }

  private entry(
    req: Request,
    outcome: 'success' | 'failure',
    status: number,
    reason: string | null,
    extra: { result?: unknown; actor?: AuditActor; message?: string },
  ): AuditEntryInput {
    const pattern = req.routeAccess?.pattern ?? routePatternOf(req);
    const params = clippedRecord(req.params);
    const identity = outcome === 'success' ? identitiesIn(extra.result) : { found: false, subjectIds: [] };
    const details: Record<string, unknown> = {};
    if (Object.keys(params).length) details.params = params;
    if (SAFE_METHODS.has(req.method) && req.query && Object.keys(req.query).length) details.query = clippedRecord(req.query);
    if (identity.subjectIds.length) details.subjects = identity.subjectIds;
    if (extra.message && outcome === 'failure') details.message = clip(extra.message);
    const client = clientInfoOf(req);
    return {
      category: this.categoryOf(req, pattern, identity.found),
      action: `${req.method} ${req.routeAccess ? pattern : clip(req.path)}`,
      outcome,
      status,
      reason,
      actor: extra.actor ?? auditActorOf(req.principal),
      sessionId: req.principal?.session?.id ?? null,
      target: targetOf(req.routeAccess ? pattern : '', params, extra.result),
      method: req.method,
      path: clip(req.originalUrl?.split('?')[0] ?? req.path),
      requestId: client.requestId,
      clientAddress: client.clientAddress,
      details,
    };
  }

  private categoryOf(req: Request, pattern: string, identityFound: boolean): AuditCategory {
    if (pattern.startsWith('/api/v1/auth/')) return 'authentication';
    if (pattern === '/api/v1/audit' || pattern.startsWith('/api/v1/audit/')) return 'audit_read';
    const roles = req.routeAccess?.roles ?? [];
    if (roles.length === 1 && roles[0] === 'admin') return 'admin';
    if (!SAFE_METHODS.has(req.method)) return 'change';
    return identityFound ? 'identity_read' : 'read';
  }

  /** For requests refused before authentication ran (a body too large, the database down): whose credentials they carried, if valid. */
  private async claimedActor(req: Request): Promise<AuditActor> {
    const header = req.headers.authorization;
    const apiKey = req.headers['x-api-key'];
    const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    if (bearer) return (await this.auth.identifyBearer(bearer)) ?? auditActorOf(null);
    if (typeof apiKey === 'string') return auditActorOf(await this.apiKeys.identify(apiKey));
    // A sign-in the service could not audit itself (database down): the username that was tried, as it would record.
    const tried = (req.body as { username?: unknown } | undefined)?.username;
    if (req.method === 'POST' && /\/auth\/token$/.test(req.path) && typeof tried === 'string') return { ...auditActorOf(null), name: tried.trim().slice(0, 100) };
    return auditActorOf(null);
  }
}

function reasonOf(error: DomainError): string {
  const details = error.details as { reason?: unknown } | undefined;
  return details && !Array.isArray(details) && typeof details.reason === 'string' ? details.reason : error.code;
}
