import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { AuditChain } from '@app/application';
import { isConnectionFailure } from '@app/persistence';
import { buildWorld, eventually, i247aBody, serverUrl, startTcpProxy, startTestApi, TcpProxy, TestApi, tokensFor, UserKey, World } from '@test/support';

/**
 * PostgreSQL going away under the API, without touching the shared server: the API reaches its
 * database through a TCP proxy the test takes down (dropped connections, then ECONNREFUSED), and a
 * superuser terminates backends (57P01) or closes the database to new connections.
 */
describe('the API during a database outage (integration, proxy in front of PostgreSQL)', () => {
  let proxy: TcpProxy;
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;

  beforeAll(async () => {
    const server = new URL(serverUrl());
    proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    api = await startTestApi({ databaseUrl: (url) => proxy.via(url) });
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
  });
  afterAll(async () => {
    await proxy?.up();
    await api?.close();
    await proxy?.close();
  });
  afterEach(async () => {
    await proxy.up();
    await superuser(`ALTER DATABASE "${api.database.name}" ALLOW_CONNECTIONS true`, 'postgres');
  });

  const post = (user: UserKey, path: string, body: object = {}) => api.http.post(path).set('Authorization', `Bearer ${tokens[user]}`).send(body);
  const get = (user: UserKey, path: string) => api.http.get(path).set('Authorization', `Bearer ${tokens[user]}`);
  async function superuser<T>(statement: string, database = api.database.name): Promise<T[]> {
    const client = new Client({ connectionString: serverUrl(database) });
    await client.connect();
    try {
      return (await client.query(statement)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const detainersOf = async (aNumber: string) =>
    Number((await superuser<{ n: string }>(`SELECT count(*) AS n FROM detainers d JOIN subjects s ON s.id = d.subject_id WHERE s.a_number = '${aNumber}'`))[0].n);
  let n = 0;
  /** A create of a new subject: it inserts into subjects, where holdCreates() makes it wait. */
  const newCreate = () =>
    i247aBody(world.facilities.kingJail.id, { subject: { aNumber: `A12346${String((n += 1)).padStart(4, '0')}`, familyName: 'New', givenName: 'Person', dateOfBirth: '1970-01-01', citizenship: 'MX' } });
  const expectUnavailable = (res: { status: number; headers: Record<string, string>; body: { code?: string } }) => {
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('unavailable');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  };

  /** Holds the subjects table so that a create waits inside its transaction; resolves with the waiting backend's pid. */
  async function holdCreates(): Promise<{ blocked: () => Promise<number>; release: () => Promise<void> }> {
    const holder = new Client({ connectionString: serverUrl(api.database.name) });
    holder.on('error', () => undefined); // dropping the database at the end of the file may end it
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE subjects IN SHARE ROW EXCLUSIVE MODE');
    return {
      blocked: () =>
        // From another connection each time: inside a transaction, pg_stat_activity is a snapshot taken at its first read.
        eventually(async () => {
          const rows = await superuser<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
          return rows[0]?.pid;
        }, 'a create waiting inside its transaction', 10_000),
      release: async () => {
        await holder.query('ROLLBACK');
        await holder.end();
      },
    };
  }

  it('a create cut off by a dropped connection answers 503, and its retry with the same Idempotency-Key succeeds at once, once', async () => {
    const key = `outage-${Date.now()}`;
    const body = i247aBody(world.facilities.kingJail.id, { subject: { aNumber: 'A123450001', familyName: 'Cut', givenName: 'Off', dateOfBirth: '1970-01-01', citizenship: 'MX' } });
    const hold = await holdCreates();
    const pending = post('officerSea', '/api/v1/detainers', body).set('Idempotency-Key', key).then((r) => r);
    const pid = await hold.blocked();
    // The database goes away: every connection of the service drops, new ones are refused, the backend is ended.
    await proxy.down();
    await superuser(`SELECT pg_terminate_backend(${pid})`);
    const cut = await pending;
    expectUnavailable(cut);
    await hold.release();
    await proxy.up();

    const retry = await post('officerSea', '/api/v1/detainers', body).set('Idempotency-Key', key);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    const again = await post('officerSea', '/api/v1/detainers', body).set('Idempotency-Key', key);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(retry.body.id);
    expect(await detainersOf('123450001')).toBe(1);
  });

  it('20 identical creates in parallel with one key: one detainer, every answer the same 201', async () => {
    const key = `parallel-${Date.now()}`;
    const body = i247aBody(world.facilities.kingJail.id, { subject: { aNumber: 'A123450002', familyName: 'Many', givenName: 'Same', dateOfBirth: '1970-01-01', citizenship: 'MX' } });
    const results = await Promise.all(Array.from({ length: 20 }, () => post('officerSea', '/api/v1/detainers', body).set('Idempotency-Key', key)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect(await detainersOf('123450002')).toBe(1);
  });

  it('every connection-class failure answers 503 with Retry-After, never 500', async () => {
    // Connections refused (ECONNREFUSED): reads and writes.
    await proxy.down();
    expectUnavailable(await get('officerSea', '/api/v1/detainers'));
    expectUnavailable(await post('officerSea', '/api/v1/detainers', newCreate()));
    await proxy.up();

    // A backend terminated by an administrator mid-statement (57P01).
    const hold = await holdCreates();
    const pending = post('officerSea', '/api/v1/detainers', newCreate()).then((r) => r);
    await superuser(`SELECT pg_terminate_backend(${await hold.blocked()})`);
    expectUnavailable(await pending);
    await hold.release();

    // A connection dropped mid-statement ("Connection terminated unexpectedly").
    const hold2 = await holdCreates();
    const pending2 = post('officerSea', '/api/v1/detainers', newCreate()).then((r) => r);
    await hold2.blocked();
    await proxy.down();
    expectUnavailable(await pending2);
    await hold2.release();
    await proxy.up();

    // The database closed to new connections (maintenance): "is not currently accepting connections".
    await superuser(`ALTER DATABASE "${api.database.name}" ALLOW_CONNECTIONS false`, 'postgres');
    await superuser(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${api.database.name}' AND pid <> pg_backend_pid()`, 'postgres');
    expectUnavailable(await get('officerSea', '/api/v1/detainers'));
    await superuser(`ALTER DATABASE "${api.database.name}" ALLOW_CONNECTIONS true`, 'postgres');

    expect((await get('officerSea', '/api/v1/detainers')).status).toBe(200);
  });

  it('audit entries the database cannot take (a failed sign-in among them) are spooled, then written in order, and chained, when it is back', async () => {
    const chain = api.app.get(AuditChain);
    const spoolFiles = () => (existsSync(api.config.auditSpoolDir) ? readdirSync(api.config.auditSpoolDir) : []);
    await eventually(() => spoolFiles().length === 0, 'what the earlier outages spooled written');
    await proxy.down();
    const signIn = await api.http.post('/api/v1/auth/token').set('X-Request-Id', 'spool-sign-in').send({ username: world.users.jailKing.username, password: 'not the password' });
    expectUnavailable(signIn);
    expectUnavailable(await get('officerSea', '/api/v1/detainers').set('X-Request-Id', 'spool-read'));
    const spooled = spoolFiles().map((f) => readFileSync(path.join(api.config.auditSpoolDir, f), 'utf8')).join('');
    expect(spooled.trim().split('\n').map((l) => JSON.parse(l).requestId)).toEqual(['spool-sign-in', 'spool-read']);
    const outageEnded = new Date();
    await proxy.up();

    const written = await eventually(async () => {
      const rows = await superuser<{ id: string; at: Date; action: string; outcome: string; status: number; actor_name: string | null; request_id: string }>(
        `SELECT id, at, action, outcome, status, actor_name, request_id FROM audit_log WHERE request_id IN ('spool-sign-in', 'spool-read') ORDER BY id`,
      );
      return rows.length === 2 ? rows : undefined;
    }, 'the spooled entries written', 15_000);
    expect(written.map((r) => r.request_id)).toEqual(['spool-sign-in', 'spool-read']);
    expect(written[0]).toMatchObject({ action: 'POST /api/v1/auth/token', outcome: 'failure', status: 503, actor_name: world.users.jailKing.username });
    for (const r of written) expect(r.at.getTime()).toBeLessThanOrEqual(outageEnded.getTime()); // when it happened, not when it was written
    await eventually(() => spoolFiles().length === 0, 'the spool emptied');

    const report = await chain.verify();
    expect(report.ok).toBe(true);
    const linked = await superuser<{ n: string }>(`SELECT count(*) AS n FROM audit_chain WHERE audit_id IN (${written.map((r) => r.id).join(',')})`);
    expect(Number(linked[0].n)).toBe(2);
  });

  it('a transaction whose connection died between two statements fails with "Query runner already released", a connection failure', async () => {
    const error = await api.db
      .transaction(async (sql) => {
        await sql.query('SELECT 1');
        await proxy.down();
        await new Promise((r) => setTimeout(r, 300));
        await sql.query('SELECT 2');
      })
      .then(() => null, (e: unknown) => e);
    expect((error as Error).message).toMatch(/Query runner already released/);
    expect(isConnectionFailure(error)).toBe(true);
    await proxy.up();
    // Faults of the request or the code are not connection failures.
    const constraint = await api.db.read((sql) => sql.query(`SELECT 1/0`)).then(() => null, (e: unknown) => e);
    expect(isConnectionFailure(constraint)).toBe(false);
    expect(isConnectionFailure(new Error('Cannot read properties of undefined'))).toBe(false);
  });
});
