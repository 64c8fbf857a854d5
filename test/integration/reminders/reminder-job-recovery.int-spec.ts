import { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { buildWorld, eventually, ReminderStack, serverUrl, startPrivateRedis, startReminderStack, tokensFor, UserKey, World } from '@test/support';
import { client, deliveriesOf, HOUR, iso, remindersOf } from './helpers';

type Spawned = ChildProcess & { output?: string };

/**
 * A worker process holding a reminder job when it dies, or when Redis loses the job under it. The
 * job is held in the middle of firing by a row lock the test takes on the reminder (FireReminder
 * waits for it), so the moment of the fault is exact. The sweep is set ten minutes apart: what is
 * measured is BullMQ's hand-over and the worker's own reaction.
 */
describe('reminder jobs held by a worker that dies or loses Redis (integration, worker processes, private redis-server)', () => {
  let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
  let stack: ReminderStack;
  let world: World;
  let tokens: Record<UserKey, string>;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    // JOB_LOCK_MS at its production default: only reminder jobs get the short lock (REMINDER_LOCK_MS, default 5 s).
    stack = await startReminderStack({ env: { REDIS_URL: redis.url, JOB_LOCK_MS: '30000', SWEEP_EVERY_MS: '600000' } });
    world = await buildWorld(stack.api);
    tokens = await tokensFor(stack.http, world);
  });
  afterAll(async () => {
    await stack?.close();
    await redis?.stop();
  });

  const running = (worker: Spawned) =>
    eventually(() => /Worker running/.test(worker.output ?? ''), 'the worker process to start', 60_000, 100).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${worker.output}`);
    });

  /** A detainer whose two release reminders come due in about a second, with their rows locked by the test: firing them waits. */
  async function heldReminders(): Promise<{ detainerId: string; release: () => Promise<void> }> {
    const api = client(stack, tokens);
    const d = await api.issue(world.facilities.kingJail.id, { subject: { aNumber: `A0920${String(Date.now()).slice(-5)}`, familyName: 'Held', givenName: 'H', dateOfBirth: '1980-01-01', citizenship: 'MX' } });
    await api.act('jailKing', d.id, 'acknowledge', { response: 'will_comply' });
    const holder = new Client({ connectionString: serverUrl(stack.database.name) });
    holder.on('error', () => undefined);
    await holder.connect();
    await api.act('jailKing', d.id, 'schedule-release', { releaseAt: iso(Date.now() + 48 * HOUR + 1000) });
    await holder.query('BEGIN');
    await holder.query(`SELECT id FROM reminders WHERE detainer_id = $1 AND status = 'pending' FOR UPDATE`, [d.id]);
    // A worker's FireReminder now waits on the row lock, its job active: seen from another connection.
    await eventually(async () => {
      const probe = new Client({ connectionString: serverUrl(stack.database.name) });
      await probe.connect();
      try {
        const rows = (await probe.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows as { n: number }[];
        return rows[0].n >= 1;
      } finally {
        await probe.end();
      }
    }, 'a worker firing the reminder, waiting on its row', 15_000, 100);
    return {
      detainerId: d.id,
      release: async () => {
        await holder.query('ROLLBACK');
        await holder.end();
      },
    };
  }

  const firedCount = async (detainerId: string) => (await remindersOf(stack, detainerId)).filter((r) => r.status === 'fired').length;

  it('a worker killed (SIGKILL) holding a reminder job: another worker delivers it within 10 s, once', async () => {
    const first: Spawned = stack.spawnWorker();
    await running(first);
    const held = await heldReminders();
    const second: Spawned = stack.spawnWorker();
    await running(second);

    first.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise<void>((r) => first.once('exit', () => r()));
    await held.release();
    await eventually(async () => (await firedCount(held.detainerId)) === 2, 'the reminders fired by the second worker', 20_000, 100).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${second.output}`);
    });
    const handedOnMs = Date.now() - killedAt;
    expect(handedOnMs).toBeLessThan(10_000);
    const inbox = (await deliveriesOf(stack, held.detainerId)).filter((x) => x.channel === 'inbox');
    expect(inbox.map((x) => x.recipient).sort()).toEqual([world.users.jailKing.id, world.users.officerSea.id].sort());
    second.kill('SIGKILL');
  }, 120_000);

  it('Redis loses a job the worker holds (FLUSHALL): "Missing key for job" is a warning, and the worker reconciles at once', async () => {
    const worker: Spawned = stack.spawnWorker();
    await running(worker);
    const held = await heldReminders();
    const admin = new IORedis(redis.url, { maxRetriesPerRequest: 1 });
    const reports = new Queue('reports', { connection: new IORedis(redis.url, { maxRetriesPerRequest: null }), prefix: stack.config.queuePrefix });
    try {
      await admin.flushall();
      await held.release();
      // The firing commits (PostgreSQL), then BullMQ cannot finish a job Redis no longer has.
      await eventually(async () => (await firedCount(held.detainerId)) === 2, 'the reminders fired', 15_000, 100);
      await eventually(() => /Missing key for job/.test(worker.output ?? ''), '"Missing key for job" in the worker log', 15_000, 100).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\n${worker.output}`);
      });
      // Reconciled at once, not at the next sweep (ten minutes away): the schedulers are back.
      await eventually(async () => (await reports.getJobScheduler('report.rollup')) !== undefined, 'the schedulers re-created', 10_000, 100);
      const lines = (worker.output ?? '').split('\n').filter((l) => /Missing key for job/.test(l));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(JSON.parse(line).level).toBe(40); // pino: 40 warn, 50 error
      expect(worker.exitCode).toBeNull();
      const inbox = (await deliveriesOf(stack, held.detainerId)).filter((x) => x.channel === 'inbox');
      expect(inbox).toHaveLength(2);
    } finally {
      admin.disconnect();
      await reports.close();
      await reports.disconnect();
      worker.kill('SIGKILL');
    }
  }, 120_000);
});
