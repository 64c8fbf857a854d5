import { performance } from 'node:perf_hooks';
import type { Server } from 'node:http';
import request from 'supertest';
import { UserAdminService } from '@app/application';
import { loadConfig } from '@app/config';
import { AuditRepository, createDataSource, Database, migrationSessionOptions, roleOf } from '@app/persistence';
import { createApiApp } from '../../../api/src/create-api-app';
import { BenchPart, BenchTable, percentile } from '../bench';
import { rowSecurityTables } from './row-security';

const PASSWORD = 'violet-harbor-lantern-42';

/**
 * What identity and auditing cost: per request (session check + audit entry) against an endpoint
 * with neither, sign-in against the argon2id verification it is made of, and the sign-in limit
 * queries on a large audit log against a trivial query.
 */
export const securityPart: BenchPart = {
  name: 'security',
  description: 'cost of sessions + audit per request, sign-in, sign-in limits on a large audit log, and row-level security on the hottest reads',
  async run(ctx) {
    const url = await ctx.scratchDatabase('security');
    const ds = createDataSource({ url, poolSize: 2, sessionOptions: migrationSessionOptions(roleOf(url)) });
    await ds.initialize();
    await ds.runMigrations();
    const config = loadConfig({ ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent', LOGIN_RATE_PER_ADDRESS: '1000000', LOGIN_RATE_PER_USERNAME: '1000000' });
    const app = await createApiApp(config);
    await app.init();
    const tables: BenchTable[] = [];
    try {
      const http = request(app.getHttpServer() as Server);
      await app.get(UserAdminService).create({ username: 'bench.analyst', password: PASSWORD, role: 'analyst' });
      const token = ((await http.post('/api/v1/auth/token').send({ username: 'bench.analyst', password: PASSWORD })).body as { accessToken: string }).accessToken;

      const sample = async (n: number, work: () => Promise<unknown>) => {
        for (let i = 0; i < Math.min(20, n); i += 1) await work();
        const times: number[] = [];
        for (let i = 0; i < n; i += 1) {
          const start = performance.now();
          await work();
          times.push(performance.now() - start);
        }
        return times;
      };
      const row = (name: string, t: number[]) => [name, t.length, percentile(t, 50), percentile(t, 95), percentile(t, 99)];

      ctx.log('per-request overhead');
      const health = await sample(400, () => http.get('/health'));
      const me = await sample(400, () => http.get('/api/v1/me').set('Authorization', `Bearer ${token}`));
      const areas = await sample(400, () => http.get('/api/v1/areas').set('Authorization', `Bearer ${token}`));
      tables.push({
        title: 'Per request, in-process HTTP (ms)',
        columns: ['request', 'n', 'p50', 'p95', 'p99'],
        rows: [row('GET /health (baseline: no auth, no audit)', health), row('GET /api/v1/me (token + session + audit entry)', me), row('GET /api/v1/areas (same + a query)', areas)],
        notes: ['The difference between the first two rows is what authentication and auditing add to every request.'],
      });

      ctx.log('sign-in');
      const { verify, hash } = await import('@node-rs/argon2');
      const hashed = await hash(PASSWORD, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
      const argon = await sample(40, () => verify(hashed, PASSWORD));
      const login = await sample(40, () => http.post('/api/v1/auth/token').send({ username: 'bench.analyst', password: PASSWORD }));
      tables.push({
        title: 'Sign-in (ms)',
        columns: ['operation', 'n', 'p50', 'p95', 'p99'],
        rows: [row('argon2id verify alone (baseline)', argon), row('POST /api/v1/auth/token (limits + verify + session + audit)', login)],
      });

      ctx.log('filling the audit log with 300,000 entries');
      await ds.query(`
        INSERT INTO audit_log (at, category, action, outcome, status, reason, actor_kind, actor_id, actor_name, client_address, details)
        SELECT now() - (g || ' seconds')::interval, CASE WHEN g % 3 = 0 THEN 'authentication' ELSE 'read' END,
               CASE WHEN g % 3 = 0 THEN 'auth.login' ELSE 'GET /api/v1/areas' END, CASE WHEN g % 7 = 0 THEN 'failure' ELSE 'success' END, 200,
               CASE WHEN g % 21 = 0 THEN 'bad_credentials' END, 'user', gen_random_uuid(), 'user' || (g % 5000), '10.0.' || (g % 250) || '.' || (g % 200), '{}'
        FROM generate_series(1, 300000) g`);
      await ds.query('ANALYZE audit_log');
      const db = new Database(ds);
      const repo = new AuditRepository();
      const now = new Date();
      const since = new Date(now.getTime() - 300_000);
      const trivial = await sample(200, () => db.read((sql) => sql.query('SELECT 1')));
      const byAddress = await sample(200, () => db.read((sql) => repo.recentLogonAttempts(sql, { clientAddress: '10.0.7.7' }, since, 30)));
      const byUser = await sample(200, () => db.read((sql) => repo.recentLogonAttempts(sql, { username: 'user77' }, since, 10)));
      const failures = await sample(200, () => db.read((sql) => repo.countBadCredentials(sql, '00000000-0000-4000-8000-000000000000', since)));
      const page = await sample(100, () => db.read((sql) => repo.list(sql, { category: 'authentication', outcome: 'failure' }, { limit: 50 })));
      tables.push({
        title: 'Audit log of 300,000 entries: queries run on every sign-in, and an admin page (ms)',
        columns: ['query', 'n', 'p50', 'p95', 'p99'],
        rows: [
          row('SELECT 1 (baseline: a round trip)', trivial), row('attempts from an address (rate limit)', byAddress),
          row('attempts for a username (rate limit)', byUser), row('failed proofs of an account (lockout)', failures),
          row('GET /audit page: category + outcome, 50 newest', page),
        ],
        notes: ['Partial indexes on auth.login entries keep the sign-in checks independent of the log size.'],
      });
    } finally {
      await app.close();
      await ds.destroy();
    }
    ctx.log('row-level security on the national data set');
    tables.push(...(await rowSecurityTables(ctx)));
    return tables;
  },
};
