import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorBody, ValidationErrorBody } from '../common/error-body';
import { ERROR_EXAMPLES } from './error-examples';
import { TAGS } from './tags';
import { WEBHOOK_MODELS, webhooksSection } from './webhooks';

type Operation = {
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
  description?: string;
  summary?: string;
  'x-roles'?: string[];
  'x-public'?: boolean;
  'x-session-only'?: boolean;
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * The machine contract at /docs-json (OpenAPI 3.1). Controllers document their success bodies with
 * response DTOs and the errors particular to them; the errors every operation of a kind can answer
 * are added here, from what the operation declares (roles, parameters, body), so none is forgotten.
 */
export function buildOpenApiDocument(app: INestApplication, publicUrl: string): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('detainer-workflow API')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .setContact('detainer-workflow', `${publicUrl}/docs`, 'no-reply@detainers.localhost')
    .addServer(publicUrl, 'This server')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A token from POST /api/v1/auth/token' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'An agency system: acts as jail staff of its agency' }, 'api-key');
  for (const tag of TAGS) builder.addTag(tag.name, tag.description);
  const document = SwaggerModule.createDocument(app, { ...builder.build(), webhooks: webhooksSection() }, { extraModels: [ErrorBody, ValidationErrorBody, ...WEBHOOK_MODELS] });
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (operation) completeOperation(method, operation);
    }
  }
  return document;
}

function errorResponse(status: number, description: string) {
  const schema = status === 400 ? ValidationErrorBody : ErrorBody;
  return { description, content: { 'application/json': { schema: { $ref: getSchemaPath(schema) }, example: ERROR_EXAMPLES[status] } } };
}

/** Adds an error response with the one error schema; a description the controller gave for that status wins. */
function add(operation: Operation, status: number, description: string): void {
  const key = String(status);
  const existing = operation.responses[key] as { description?: string } | undefined;
  operation.responses[key] = errorResponse(status, existing?.description || description);
}

function completeOperation(method: string, operation: Operation): void {
  const params = operation.parameters ?? [];
  const takesBody = method === 'post' || method === 'put' || method === 'patch';
  if (takesBody || params.some((p) => p.in === 'query')) add(operation, 400, 'Invalid input: `details` names each offending field; nothing was written');
  if (!operation['x-public']) {
    add(operation, 401, 'No, bad or expired credentials, or the session ended');
    const roles = operation['x-roles'] ?? [];
    add(operation, 403, `Your role may not do this (it is for: ${roles.join(', ')})${operation['x-session-only'] ? ', or an API key (signed-in users only)' : ''}; or your role must enrol a second factor first (reason: second_factor_required)`);
  }
  if (params.some((p) => p.in === 'path')) add(operation, 404, 'Unknown id, or a record outside your scope (its existence is not revealed)');
  if (takesBody) {
    add(operation, 413, 'The body is larger than the server accepts (BODY_LIMIT)');
    add(operation, 415, 'The body is not in a media type this operation accepts, or its encoding is unsupported');
    add(operation, 409, 'Conflicts with what is on file: a duplicate of a unique fact (`details` names the field, never the value on file)');
    if (params.some((p) => p.in === 'header' && p.name === 'Idempotency-Key')) {
      const conflict = operation.responses['409'] as { description: string };
      conflict.description += '; or a request with the same Idempotency-Key is still in progress (code idempotency_in_progress: retry once it has finished)';
    }
  }
  if (method === 'get') {
    // Express answers a conditional GET whose If-None-Match matches the body's ETag with an empty 304.
    operation.responses['304'] ??= { description: 'Not modified: the If-None-Match you sent matches the current ETag; use your copy (no body)' };
  }
  add(operation, 500, 'Our failure; nothing was saved. Quote the X-Request-Id when you report it');
  // Errors a controller named (409, 422, 429, ...) with a description only: the one error schema.
  for (const status of Object.keys(operation.responses)) {
    if (Number(status) >= 400 && !(operation.responses[status] as { content?: unknown }).content) add(operation, Number(status), '');
  }
  add(operation, 503, 'A dependency (database, Redis) is down, or the request collided with concurrent work: nothing was saved; retry after Retry-After seconds');
  const roles = operation['x-roles'];
  const who = operation['x-public'] ? 'Anyone (no credentials needed).' : `Who may call: ${roles?.join(', ')}${operation['x-session-only'] ? ' (signed-in users only, not API keys)' : ''}.`;
  operation.description = [operation.description || operation.summary, who].filter(Boolean).join('\n\n');
}

const DESCRIPTION = [
  'Immigration detainers across federal, state, county and city agencies.',
  '',
  '- Instants are ISO 8601. In requests, an instant without an offset is local time at the facility concerned (refused when daylight saving makes it missing or ambiguous); responses give UTC plus `localTime` and `timeZone` where a facility is involved.',
  '- Auth: `Authorization: Bearer <token>` from `POST /api/v1/auth/token`, or `X-Api-Key: <key>` for an agency system (acts as `jail_staff` of its agency).',
  '- Errors have one shape, `ErrorBody`: `{ statusCode, error, code, message, details? }`; `details` is always an array of `{ field, message }`.',
  '  404 also answers for any record outside your scope. Every response carries `X-Request-Id`.',
  '- Lists: `?limit=` (default 50, max 500) and `?cursor=`; the answer is `{ items, nextCursor }` (null on the last page).',
  '- Creates accept `Idempotency-Key` (the operations list it as a header): the same key and body within 24 hours returns the first response, with `Idempotent-Replayed: true`; the same key with another body is 422; while a request with the key is still in progress, another with it is 409 (`idempotency_in_progress`). Not the two creates whose answer holds a secret shown once (API keys, webhooks).',
  '- Every action on a detainer accepts `expectedVersion` and returns the detainer with its new `version`; a stale version is a 409.',
  '- Webhooks (see `webhooks`) are signed: `X-Detainer-Signature: v1=hex(HMAC-SHA256(secret, "<X-Detainer-Timestamp>.<raw body>"))`.',
].join('\n');
