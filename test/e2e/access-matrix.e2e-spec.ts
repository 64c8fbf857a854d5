import { randomUUID } from 'node:crypto';
import { Role } from '@app/domain';
import {
  buildWorld, countChanges, createApiKey, startTestApi, tableCounts, TestApi, tokenFor, World,
} from '@test/support';

type Caller = Role | 'api_key' | 'anonymous';
interface Operation {
  method: string;
  path: string;
  roles: Role[] | null;
  public: boolean;
  sessionOnly: boolean;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const CALLERS: Caller[] = ['admin', 'officer', 'supervisor', 'jail_staff', 'analyst', 'api_key', 'anonymous'];

/**
 * Each caller against each endpoint of the RUNNING app, enumerated from its OpenAPI document (so
 * endpoints added later are covered without touching this file): allowed callers are never refused
 * (401/403) nor crash (5xx); refused callers get 401/403 and write nothing but their audit entry.
 */
describe('access matrix: every role against every endpoint (e2e)', () => {
  let api: TestApi;
  let world: World;
  let operations: Operation[];
  const tokens = new Map<Caller, string>();
  const usernames: Partial<Record<Caller, string>> = {};
  let apiKey: string;

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    Object.assign(usernames, {
      admin: world.users.admin.username,
      officer: world.users.officerSea.username,
      supervisor: world.users.supervisorSea.username,
      jail_staff: world.users.jailKing.username,
      analyst: world.users.analyst.username,
    });
    for (const [caller, username] of Object.entries(usernames)) tokens.set(caller as Caller, await tokenFor(api.http, username));
    apiKey = (await createApiKey(api.http, tokens.get('admin')!, world.agencies.king.id)).key;
    const doc = (await api.http.get('/docs-json')).body as { paths: Record<string, Record<string, Record<string, unknown>>> };
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((m) => ({
        method: m.toUpperCase(),
        path,
        roles: (item[m]['x-roles'] as Role[] | undefined) ?? null,
        public: item[m]['x-public'] === true,
        sessionOnly: item[m]['x-session-only'] === true,
      })),
    );
  });
  afterAll(() => api.close());

  const concrete = (path: string) => path.replace(/\{[^}]+\}/g, () => randomUUID());
  const send = (op: Operation, caller: Caller) => {
    const url = concrete(op.path);
    let req = api.http[op.method.toLowerCase() as (typeof METHODS)[number]](url);
    if (caller === 'api_key') req = req.set('X-Api-Key', apiKey);
    else if (caller !== 'anonymous') req = req.set('Authorization', `Bearer ${tokens.get(caller)}`);
    return op.method === 'GET' || op.method === 'DELETE' ? req : req.send({});
  };
  const roleOf = (caller: Caller): Role | null => (caller === 'api_key' ? 'jail_staff' : caller === 'anonymous' ? null : caller);
  const allowed = (op: Operation, caller: Caller) => {
    if (op.public) return true;
    const role = roleOf(caller);
    if (!role || !op.roles?.includes(role)) return false;
    return !(caller === 'api_key' && op.sessionOnly);
  };

  it('the running app publishes its endpoints, and every one declares who may call it', () => {
    expect(operations.length).toBeGreaterThan(40);
    const undeclared = operations.filter((o) => !o.public && !(o.roles && o.roles.length)).map((o) => `${o.method} ${o.path}`);
    expect(undeclared).toEqual([]);
  });

  it('the declarations match the role table of the spec', () => {
    const rolesOf = (method: string, path: string) => [...(operations.find((o) => o.method === method && o.path === path)?.roles ?? ['(missing)'])].sort();
    const table: [string, string, Role[]][] = [
      ['POST', '/api/v1/users', ['admin']],
      ['GET', '/api/v1/users', ['admin']],
      ['POST', '/api/v1/users/{id}/unlock', ['admin']],
      ['POST', '/api/v1/users/{id}/disable', ['admin']],
      ['POST', '/api/v1/api-keys', ['admin']],
      ['GET', '/api/v1/api-keys', ['admin']],
      ['POST', '/api/v1/api-keys/{id}/revoke', ['admin']],
      ['GET', '/api/v1/audit', ['admin']],
      ['POST', '/api/v1/areas', ['admin']],
      ['PATCH', '/api/v1/jurisdictions/{id}', ['admin']],
      ['PATCH', '/api/v1/areas/{id}', ['admin']],
      ['PATCH', '/api/v1/agencies/{id}', ['admin']],
      ['PATCH', '/api/v1/facilities/{id}', ['admin']],
      ['POST', '/api/v1/detainers', ['officer']],
      ['GET', '/api/v1/detainers', ['admin', 'jail_staff', 'officer', 'supervisor']],
      ['GET', '/api/v1/detainers/{id}', ['admin', 'jail_staff', 'officer', 'supervisor']],
      ['POST', '/api/v1/detainers/{id}/acknowledge', ['jail_staff']],
      ['POST', '/api/v1/detainers/{id}/schedule-release', ['jail_staff']],
      ['POST', '/api/v1/custody-events', ['jail_staff']],
      ['POST', '/api/v1/custody-events.csv', ['jail_staff']],
      ['GET', '/api/v1/custody-events', ['jail_staff']],
      ['POST', '/api/v1/detainers/{id}/cancel', ['officer', 'supervisor']],
      ['GET', '/api/v1/me', ['admin', 'analyst', 'jail_staff', 'officer', 'supervisor']],
      ['GET', '/api/v1/imports', ['admin', 'analyst']],
      ['GET', '/api/v1/imports/{id}', ['admin', 'analyst']],
      ['GET', '/api/v1/imports/{id}/quarantine', ['admin', 'analyst']],
      ['GET', '/api/v1/imports/{id}/quarantine.csv', ['admin', 'analyst']],
    ];
    for (const [method, path, roles] of table) expect([method, path, rolesOf(method, path)]).toEqual([method, path, [...roles].sort()]);
    const signIn = operations.find((o) => o.path === '/api/v1/auth/token');
    expect(signIn?.public).toBe(true);
  });

  it.each(CALLERS)('%s: allowed where declared, refused elsewhere, and a refusal writes only its audit entry', async (caller) => {
    const problems: string[] = [];
    for (const op of operations) {
      const may = allowed(op, caller);
      const before = may ? null : await tableCounts(api.db);
      const res = await send(op, caller);
      const cell = `${caller} ${op.method} ${op.path} -> ${res.status}`;
      if (res.status >= 500) problems.push(`${cell}: server error ${JSON.stringify(res.body)}`);
      if (may) {
        if (res.status === 401 || res.status === 403) problems.push(`${cell}: refused though allowed (${res.body.message})`);
      } else {
        const expected = caller === 'anonymous' ? 401 : 403;
        if (res.status !== expected) problems.push(`${cell}: expected ${expected}`);
        const changes = countChanges(before!, await tableCounts(api.db));
        if (JSON.stringify(changes) !== JSON.stringify({ audit_log: 1 })) problems.push(`${cell}: wrote ${JSON.stringify(changes)}`);
        const last = await api.db.read((sql) => sql.one<Record<string, unknown>>('SELECT * FROM audit_log ORDER BY id DESC LIMIT 1'));
        if (last?.outcome !== 'failure' || last.status !== expected || last.action !== `${op.method} ${op.path.replace(/\{([^}]+)\}/g, ':$1')}`) {
          problems.push(`${cell}: audit entry ${JSON.stringify({ outcome: last?.outcome, status: last?.status, action: last?.action })}`);
        }
        if (caller !== 'anonymous' && last?.actor_kind !== (caller === 'api_key' ? 'api_key' : 'user')) problems.push(`${cell}: audit actor ${String(last?.actor_kind)}`);
      }
      // An allowed call may end the caller's session (sign-out): sign in again for the next cell.
      if (may && usernames[caller] && (await api.http.get('/api/v1/me').set('Authorization', `Bearer ${tokens.get(caller)}`)).status === 401) {
        tokens.set(caller, await tokenFor(api.http, usernames[caller]));
      }
    }
    expect(problems).toEqual([]);
  });
});
