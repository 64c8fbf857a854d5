import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

export interface ObservedResponse {
  method: string;
  /** The URL path (no query). */
  path: string;
  /** Express's route pattern when a route matched (`/api/v1/detainers/:id`). */
  routePattern?: string;
  status: number;
  contentType: string | undefined;
  body: Buffer;
}

const OPENAPI_ONLY_KEYWORDS = ['example', 'discriminator', 'xml', 'externalDocs'];
const DOCUMENT_ID = 'openapi.json';

/**
 * Checks real responses against the OpenAPI document the app serves: the operation and its status
 * must be documented, the media type declared, and a JSON body must match the documented schema.
 * Objects are closed (no member the schema does not name) unless the schema says
 * `additionalProperties`, so an undocumented field fails as surely as a missing one.
 */
export class OpenApiContract {
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly templates: { method: string; template: string; pattern: RegExp; params: number }[] = [];

  constructor(private readonly document: Json) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    for (const keyword of OPENAPI_ONLY_KEYWORDS) this.ajv.addKeyword({ keyword });
    const components = closed((document.components) ?? {}) as Json;
    this.ajv.addSchema({ $id: DOCUMENT_ID, components }, DOCUMENT_ID);
    for (const [template, item] of Object.entries((document.paths as Record<string, Json>) ?? {})) {
      for (const method of Object.keys(item)) {
        const params = (template.match(/\{[^}]+\}/g) ?? []).length;
        const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
        this.templates.push({ method: method.toUpperCase(), template, pattern, params });
      }
    }
    // A literal segment wins over a parameter (`/reports/weekly/{week}` vs a longer literal path).
    this.templates.sort((a, b) => a.params - b.params);
  }

  /** Which documented operation a request is, by its route pattern or else its path. */
  operationOf(method: string, path: string, routePattern?: string): { template: string; operation: Json } | null {
    const paths = this.document.paths as Record<string, Record<string, Json>>;
    if (routePattern) {
      const template = routePattern.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const operation = paths[template]?.[method.toLowerCase()];
      if (operation) return { template, operation };
    }
    const match = this.templates.find((t) => t.method === method.toUpperCase() && t.pattern.test(path));
    return match ? { template: match.template, operation: paths[match.template][method.toLowerCase()] } : null;
  }

  /** The problems with one response; empty when it is as documented. */
  check(r: ObservedResponse): string[] {
    const where = `${r.method} ${r.routePattern ?? r.path} -> ${r.status}`;
    const found = this.operationOf(r.method, r.path, r.routePattern);
    const mediaType = (r.contentType ?? '').split(';')[0].trim().toLowerCase();
    if (!found) {
      // An unknown route or method, or a body refused before routing: still the one error shape.
      if (r.status < 400) return [`${where}: no documented operation answers this`];
      return this.checkBody(`${where} (undocumented route)`, 'ErrorBody', { $ref: `#/components/schemas/ErrorBody` }, mediaType, r.body);
    }
    const responses = (found.operation.responses as Record<string, Json>) ?? {};
    const documented = responses[String(r.status)] ?? responses[`${String(r.status)[0]}XX`] ?? responses.default;
    if (!documented) return [`${r.method} ${found.template} -> ${r.status}: this status is not documented (documented: ${Object.keys(responses).join(', ')})`];
    const content = documented.content as Record<string, { schema?: Json }> | undefined;
    if (r.status === 204 || r.body.length === 0) {
      return content && r.status !== 204 && r.method !== 'HEAD' ? [`${where}: empty body, but the document describes one`] : [];
    }
    if (!content) return [`${where}: a body (${mediaType}) the document does not describe`];
    const media = content[mediaType];
    if (!media) return [`${where}: media type ${mediaType || '(none)'} is not documented (documented: ${Object.keys(content).join(', ')})`];
    if (mediaType !== 'application/json') return [];
    if (!media.schema) return [`${where}: no schema for the JSON body`];
    return this.checkBody(where, `${r.method} ${found.template} ${r.status}`, media.schema, mediaType, r.body);
  }

  /** Validates a value against a schema of the document (e.g. a webhook payload). */
  validate(key: string, schema: Json, value: unknown): string[] {
    const validate = this.validatorFor(key, schema);
    return validate(value) ? [] : (validate.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`);
  }

  private checkBody(where: string, key: string, schema: Json, mediaType: string, body: Buffer): string[] {
    if (mediaType !== 'application/json') return [`${where}: expected an application/json error body, got ${mediaType || 'no media type'}`];
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      return [`${where}: the body is not valid JSON`];
    }
    return this.validate(key, schema, value).map((problem) => `${where}: ${problem}`);
  }

  private validatorFor(key: string, schema: Json): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebased(closed(schema)) as Json);
      this.validators.set(key, validate);
    }
    return validate;
  }
}

/** Schemas that name their properties and say nothing of others allow no others. */
function closed(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closed);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = k === 'example' || k === 'examples' || k === 'enum' || k === 'const' || k === 'default' ? v : closed(v);
  if (out.properties && typeof out.properties === 'object' && out.additionalProperties === undefined && !out.allOf && !out.anyOf && !out.oneOf) {
    out.additionalProperties = false;
  }
  return out;
}

/** `#/components/...` refs of an operation's schema point into the document registered with ajv. */
function rebased(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebased);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node as Json).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${DOCUMENT_ID}${v}` : rebased(v)]),
  );
}

const violations: string[] = [];

/** Problems seen since the last call (the Jest setup fails the test that caused them). */
export function takeContractViolations(): string[] {
  return violations.splice(0, violations.length);
}

export function reportContractViolations(problems: string[]): void {
  for (const p of problems) if (!violations.includes(p)) violations.push(p);
}
