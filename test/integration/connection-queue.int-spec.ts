import { AddressInfo, connect, createServer, Socket } from 'node:net';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { connectionQueueOf, createDataSource, Database, DatabaseBusyError, isConnectionFailure } from '@app/persistence';
import { createTestDatabase, TestDatabase } from '@app/testing';
import { buildWorld, eventually, startTestApi, TestApi, tokenFor } from '@test/support';

/** A promise and its resolve, to hold a connection until the test lets go. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * The queue in front of the pool on a real PostgreSQL: a busy pool makes callers wait their turn
 * (longer than pg's own connect timeout, which would have failed them), a caller past the bound is
 * refused as busy at once or after its wait, and a database that is down still fails fast.
 */
describe('waiting for a pooled connection (integration, real PostgreSQL)', () => {
  let database: TestDatabase;
  const opened: DataSource[] = [];
  const dataSource = async (poolSize: number, queue: { limit: number; timeoutMs: number }, url = database.url) => {
    const ds = createDataSource({ url, applicationName: 'connection-queue-test', poolSize, queue });
    opened.push(ds);
    return ds.initialize();
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const ds of opened) if (ds.isInitialized) await ds.destroy();
    await database?.drop();
  });

  it('10 units of work on a pool of 2, each 1.5 s: all succeed, 2 at a time, in order, past pg\'s 5 s connect timeout', async () => {
    const ds = await dataSource(2, { limit: 100, timeoutMs: 20_000 });
    const db = new Database(ds);
    const pool = (ds.driver as unknown as { master: { waitingCount: number } }).master;
    let running = 0;
    let most = 0;
    let poolWaiters = 0;
    const started: number[] = [];
    const calls = Array.from({ length: 10 }, (_, i) =>
      db.unitOfWork(async (sql) => {
        started.push(i);
        running += 1;
        most = Math.max(most, running);
        poolWaiters = Math.max(poolWaiters, pool.waitingCount);
        try {
          await sql.query('SELECT pg_sleep(1.5)');
          const [row] = await sql.query<{ n: string }>('SELECT count(*) AS n FROM detainers');
          return Number(row.n);
        } finally {
          running -= 1;
        }
      }),
    );
    const t0 = Date.now();
    const results = await Promise.allSettled(calls);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThan(5 * 1500 - 200); // the last ones waited longer than pg's 5 s
    expect(most).toBe(2);
    expect(poolWaiters).toBe(0); // nobody waited inside pg's pool, where its timeout would apply
    expect([...started].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Turns are granted in order; two granted at once (the pool's width) may begin their work in either
    // order (each connects and begins on its own), but none before a caller a whole pool ahead of it.
    started.forEach((caller, position) => expect(Math.abs(caller - position)).toBeLessThan(2));
    expect(connectionQueueOf(ds)).toMatchObject({ inUse: 0, waiting: 0 });
  });

  it('a caller past the bound is refused as busy at once; one that waits too long, after its wait; then the queue serves again', async () => {
    const ds = await dataSource(1, { limit: 1, timeoutMs: 400 });
    const db = new Database(ds);
    const hold = gate();
    const holder = db.unitOfWork(() => hold.opened);
    await eventually(() => connectionQueueOf(ds).inUse === 1, 'the connection taken');

    const t0 = Date.now();
    const waiter = db.read((sql) => sql.query('SELECT 1')).then(() => null, (e: unknown) => e);
    const refused = await db.transaction((sql) => sql.query('SELECT 1')).then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(DatabaseBusyError);
    expect(refused).toMatchObject({ code: 'unavailable', why: 'queue_full' });
    expect(Date.now() - t0).toBeLessThan(200);

    const timedOut = await waiter;
    expect(timedOut).toBeInstanceOf(DatabaseBusyError);
    expect(timedOut).toMatchObject({ why: 'timed_out' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(390);
    expect(isConnectionFailure(timedOut)).toBe(true);

    hold.open();
    await holder;
    await expect(db.read((sql) => sql.query<{ one: number }>('SELECT 1 AS one'))).resolves.toEqual([{ one: 1 }]);
    expect(connectionQueueOf(ds)).toMatchObject({ inUse: 0, waiting: 0 });
  });

  it('a statement that fails hands its turn on: a pool of 1 serves the next caller', async () => {
    const ds = await dataSource(1, { limit: 10, timeoutMs: 5_000 });
    const db = new Database(ds);
    const outcomes = await Promise.all([
      db.transaction((sql) => sql.query('SELECT 1/0')).then(() => 'ok', () => 'failed'),
      db.unitOfWork((sql) => sql.query('SELECT * FROM no_such_table')).then(() => 'ok', () => 'failed'),
      db.read((sql) => sql.query('SELECT 1')).then(() => 'ok', () => 'failed'),
    ]);
    expect(outcomes).toEqual(['failed', 'failed', 'ok']);
    expect(connectionQueueOf(ds)).toMatchObject({ inUse: 0, waiting: 0 });
  });

  it('a database that stops answering fails every waiter once a connect fails: after pg\'s connect timeout, not the queue\'s 30 s each in turn', async () => {
    // In front of PostgreSQL: forwards, until it goes silent (accepts connections, never answers).
    let silent = false;
    const sockets = new Set<Socket>();
    const target = new URL(database.url);
    const proxy = createServer((client) => {
      sockets.add(client);
      client.on('error', () => undefined);
      if (silent) return;
      const upstream = connect(Number(target.port || 5432), target.hostname);
      sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const url = new URL(database.url);
      url.hostname = '127.0.0.1';
      url.port = String((proxy.address() as AddressInfo).port);
      const ds = await dataSource(1, { limit: 100, timeoutMs: 30_000 }, url.toString());
      const db = new Database(ds);
      await db.read((sql) => sql.query('SELECT 1'));
      silent = true;
      for (const socket of sockets) socket.destroy();
      const pool = (ds.driver as unknown as { master: { totalCount: number } }).master;
      await eventually(() => pool.totalCount === 0, 'the dropped connection gone from the pool');

      const t0 = Date.now();
      const errors = await Promise.all(Array.from({ length: 5 }, () => db.read((sql) => sql.query('SELECT 1')).then(() => null, (e: unknown) => e)));
      const took = Date.now() - t0;
      expect(errors.map((e) => isConnectionFailure(e) && !(e instanceof DatabaseBusyError))).toEqual([true, true, true, true, true]);
      expect((errors[4] as Error).message).toMatch(/connection timeout/);
      expect(took).toBeLessThan(9_000); // one connect timeout (5 s) for all five, not five in a row
      expect(connectionQueueOf(ds)).toMatchObject({ inUse: 0, waiting: 0 });
      await ds.destroy();
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  }, 20_000);
});

describe('the API when every connection is taken (integration)', () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    // No room to wait: a request that finds every connection taken is refused at once.
    api = await startTestApi({ env: { DATABASE_QUEUE_LIMIT: '0' } });
    const world = await buildWorld(api.app);
    // One sign-in, not every user of the world at once: with no room to wait, those would be refused as busy too.
    token = await tokenFor(api.http, world.users.officerSea.username);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('answers 503 "busy" with Retry-After, and the audit entry is spooled, then written', async () => {
    // api.db shares the service's pool, and so its queue: hold all ten of its connections.
    const queue = connectionQueueOf(api.db.dataSource);
    const hold = gate();
    const holders = Array.from({ length: queue.options.connections }, () => api.db.unitOfWork(() => hold.opened));
    await eventually(() => queue.inUse === queue.options.connections, 'every connection taken');
    const res = await api.http.get('/api/v1/detainers').set('Authorization', `Bearer ${token}`).set('X-Request-Id', 'busy-read');
    hold.open();
    await Promise.all(holders);

    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'unavailable', retryAfterSeconds: 1 });
    expect(res.body.message).toMatch(/^The service is busy: .*Nothing was saved; retry shortly\.$/);
    expect(res.headers['retry-after']).toBe('1');

    const written = await eventually(async () => {
      const client = new Client({ connectionString: api.database.adminUrl });
      await client.connect();
      try {
        const rows = (await client.query<{ status: number; outcome: string }>(`SELECT status, outcome FROM audit_log WHERE request_id = 'busy-read'`)).rows;
        return rows.length ? rows : undefined;
      } finally {
        await client.end();
      }
    }, 'the spooled audit entry written', 15_000);
    expect(written).toEqual([{ status: 503, outcome: 'failure' }]);
    expect((await api.http.get('/api/v1/detainers').set('Authorization', `Bearer ${token}`)).status).toBe(200);
  });
});
