import { randomUUID } from 'node:crypto';
import { Document, Spectral } from '@stoplight/spectral-core';
import { Json as JsonParser } from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { renderReminder } from '@app/application';
import { REMINDER_KINDS } from '@app/domain';
import { OpenApiContract, startTestApi, TestApi } from '@test/support';

type Json = Record<string, unknown>;
type Operation = { operationId?: string; description?: string; tags?: string[]; responses: Record<string, { content?: Record<string, { schema?: Json; example?: unknown }> }>; 'x-public'?: boolean };
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * The machine contract at /docs-json: it passes Spectral's OpenAPI ruleset, documents every status
 * and body of every operation, and its webhooks. That real responses match it is checked for every
 * request of every e2e suite (libs/testing/src/contract-recorder.ts); this file also shows that the
 * check catches what it should.
 */
describe('the OpenAPI contract (e2e)', () => {
  let api: TestApi;
  let text: string;
  let doc: Json;
  let operations: { where: string; op: Operation }[];

  beforeAll(async () => {
    api = await startTestApi();
    const res = await api.http.get('/docs-json');
    text = res.text;
    doc = res.body as Json;
    operations = Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((m) => ({ where: `${m.toUpperCase()} ${path}`, op: item[m] })),
    );
  });
  afterAll(() => api.close());

  it('passes the Spectral OpenAPI ruleset with no error and no warning', async () => {
    const spectral = new Spectral();
    spectral.setRuleset({ extends: [[oas as never, 'recommended']] });
    const results = await spectral.run(new Document(text, JsonParser, '/docs-json'));
    expect(results.map((r) => `${r.code} at ${r.path.join('.')}: ${r.message}`)).toEqual([]);
  });

  it('is OpenAPI 3.1 and every operation says what it does, for whom, and what each answer looks like', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(operations.length).toBeGreaterThan(70);
    const problems: string[] = [];
    for (const { where, op } of operations) {
      if (!op.operationId || !op.description || !op.tags?.length) problems.push(`${where}: operationId, description and tags`);
      const statuses = Object.keys(op.responses);
      const success = statuses.filter((s) => s.startsWith('2'));
      if (success.length === 0) problems.push(`${where}: no success response`);
      for (const s of success) {
        if (s !== '204' && !op.responses[s].content) problems.push(`${where} ${s}: no body schema`);
      }
      for (const s of statuses.filter((s) => Number(s) >= 400)) {
        const json = op.responses[s].content?.['application/json'];
        if (typeof json?.schema?.$ref !== 'string' || !/ErrorBody$/.test(json.schema.$ref)) problems.push(`${where} ${s}: not the error schema`);
        if (!json?.example) problems.push(`${where} ${s}: no example`);
      }
      for (const s of ['500', '503']) if (!statuses.includes(s)) problems.push(`${where}: ${s} undocumented`);
      if (!op['x-public'] && !(statuses.includes('401') && statuses.includes('403'))) problems.push(`${where}: 401/403 undocumented`);
    }
    expect(problems).toEqual([]);
  });

  it('the error body has one shape: details is a list of { field, message }', () => {
    const schemas = (doc.components as { schemas: Record<string, { properties: Record<string, Json>; required?: string[] }> }).schemas;
    expect(schemas.ErrorBody.required).toEqual(expect.arrayContaining(['statusCode', 'error', 'code', 'message']));
    expect(schemas.ErrorBody.properties.details).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/FieldProblem' } });
    expect(schemas.FieldProblem.required).toEqual(['field', 'message']);
    expect(schemas.ValidationErrorBody.required).toContain('details');
  });

  it('documents each webhook event with its signature headers, and a real payload matches it', () => {
    const webhooks = doc.webhooks as Record<string, { post: { parameters: { name: string }[]; requestBody: { content: Record<string, { schema: Json }> } } }>;
    expect(Object.keys(webhooks).sort()).toEqual(REMINDER_KINDS.map((k) => `reminder.${k}`).sort());
    const contract = new OpenApiContract(doc);
    for (const kind of REMINDER_KINDS) {
      const hook = webhooks[`reminder.${kind}`].post;
      expect(hook.parameters.map((p) => p.name)).toEqual(['x-detainer-delivery-id', 'x-detainer-timestamp', 'x-detainer-signature', 'x-detainer-event']);
      const at = new Date('2026-03-06T22:00:00Z');
      const message = renderReminder(
        {
          id: randomUUID(), detainerId: randomUUID(), lodgingSeq: 1, key: `1.${kind}.agency`, kind, audience: 'agency', dueAt: at, anchorAt: at,
          agencyId: randomUUID(), areaId: randomUUID(), facilityId: randomUUID(), timeZone: 'America/Los_Angeles', status: 'pending', jobVersion: 1,
          createdAt: at, firedAt: null,
        },
        { detainerId: randomUUID(), form: 'I-247A', facilityName: 'King County Jail', agencyName: "King County Sheriff's Office", bookingNumber: null },
        'https://detainers.example.gov',
      );
      // What SendDelivery posts: the delivery id, then the message's data.
      const body = { id: randomUUID(), ...message.data };
      expect(contract.validate(`webhook ${kind}`, hook.requestBody.content['application/json'].schema, body)).toEqual([]);
    }
  });

  it('the response check catches an undocumented field, a missing one, a wrong type and an undocumented status', () => {
    const contract = new OpenApiContract(doc);
    const area = { id: randomUUID(), code: 'SEA', name: 'Seattle' };
    const check = (status: number, body: unknown, routePattern = '/api/v1/areas/:id') =>
      contract.check({ method: 'GET', path: `/api/v1/areas/${area.id}`, routePattern, status, contentType: 'application/json; charset=utf-8', body: Buffer.from(JSON.stringify(body)) });
    expect(check(200, area)).toEqual([]);
    expect(check(200, { ...area, secret: 'x' }).join()).toMatch(/must NOT have additional properties: secret/);
    expect(check(200, { id: area.id, code: 'SEA' }).join()).toMatch(/must have required property 'name'/);
    expect(check(200, { ...area, code: 7 }).join()).toMatch(/\/code must be string/);
    expect(check(418, area).join()).toMatch(/418: this status is not documented/);
    expect(check(404, { statusCode: 404, error: 'Not Found', message: 'x' }).join()).toMatch(/required property 'code'/);
    expect(check(404, { statusCode: 404, error: 'Not Found', code: 'not_found', message: 'x', details: { state: 'issued' } }).join()).toMatch(/details must be array/);
  });
});
