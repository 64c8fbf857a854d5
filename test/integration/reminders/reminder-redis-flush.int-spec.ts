import IORedis from 'ioredis';
import { Queue } from 'bullmq';
import { JobProducer } from '@app/queue';
import { buildWorld, drainQueues, eventually, ReminderStack, startPrivateRedis, startReminderStack, tokensFor, UserKey, World } from '@test/support';
import { client, deliveriesOf, HOUR, iso, remindersOf } from './helpers';

/**
 * FLUSHALL under a running worker process: the connection never drops, so nothing tells the worker
 * Redis lost its data; its PostgreSQL-driven sweep finds out (sentinel, schedulers), re-creates the
 * schedulers and reconciles, and every due reminder is delivered exactly once, without a restart.
 * Against a private redis-server (never the shared one).
 */
describe('FLUSHALL while the worker runs (integration, worker process, private redis-server)', () => {
  let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
  let admin: IORedis;
  let stack: ReminderStack;
  let world: World;
  let tokens: Record<UserKey, string>;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    admin = new IORedis(redis.url, { maxRetriesPerRequest: 1 });
    stack = await startReminderStack({ env: { REDIS_URL: redis.url } });
    world = await buildWorld(stack.api);
    tokens = await tokensFor(stack.http, world);
  });
  afterAll(async () => {
    await stack?.close();
    admin?.disconnect();
    await redis?.stop();
  });

  it('delivers every due reminder exactly once within 30 s and brings the weekly roll-up schedule back', async () => {
    const api = client(stack, tokens);
    const worker = stack.spawnWorker();
    const reports = new Queue('reports', { connection: new IORedis(redis.url, { maxRetriesPerRequest: null }), prefix: stack.config.queuePrefix });
    try {
      await eventually(async () => (await reports.getJobScheduler('report.rollup')) !== undefined, 'the worker registered its schedulers', 60_000, 200).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\n${(worker as unknown as { output: string }).output}`);
      });

      const due: string[] = [];
      const later: string[] = [];
      for (let i = 0; i < 6; i += 1) {
        const d = await api.issue(world.facilities.kingJail.id, { subject: { aNumber: `A0910000${10 + i}`, familyName: 'Flush', givenName: `N${i}`, dateOfBirth: '1980-01-01', citizenship: 'MX' } });
        await api.act('jailKing', d.id, 'acknowledge', { response: 'will_comply' });
        (i < 4 ? due : later).push(d.id);
      }
      const dueBase = Date.now() + 48 * HOUR + 4000;
      for (const [i, id] of due.entries()) await api.act('jailKing', id, 'schedule-release', { releaseAt: iso(dueBase + i * 250) });
      for (const id of later) await api.act('jailKing', id, 'schedule-release', { releaseAt: iso(Date.now() + 60 * HOUR) });
      for (const id of due) expect((await remindersOf(stack, id)).filter((r) => r.status === 'pending')).toHaveLength(2);

      // Everything goes, schedulers included, before any of them is due; the connection stays up.
      await admin.flushall();
      const flushedAt = Date.now();
      expect(await reports.getJobScheduler('report.rollup')).toBeUndefined();

      for (const id of due) {
        await eventually(async () => (await remindersOf(stack, id)).filter((r) => r.status === 'fired').length === 2, `both reminders of ${id} fired`, 30_000 - (Date.now() - flushedAt), 200).catch(
          (error: unknown) => {
            throw new Error(`${(error as Error).message}\n${(worker as unknown as { output: string }).output.slice(-4000)}`);
          },
        );
      }
      expect(Date.now() - flushedAt).toBeLessThan(30_000);
      expect(worker.exitCode).toBeNull();
      expect(await reports.getJobScheduler('report.rollup')).toBeDefined();

      // Every job due has run (a duplicate, if there were one, among them).
      await drainQueues([stack.api.get(JobProducer).queue('reminders'), stack.api.get(JobProducer).queue('deliveries')]);
      for (const id of due) {
        const inbox = (await deliveriesOf(stack, id)).filter((x) => x.channel === 'inbox');
        expect(inbox.map((x) => x.recipient).sort()).toEqual([world.users.jailKing.id, world.users.officerSea.id].sort());
        const notes = await stack.db.read((sql) => sql.query<{ user_id: string }>('SELECT user_id FROM notifications WHERE detainer_id = $1', [id]));
        expect(notes).toHaveLength(2);
      }
      // Reminders not yet due are pending again in Redis, with their delay.
      const reminders = new Queue('reminders', { connection: new IORedis(redis.url, { maxRetriesPerRequest: null }), prefix: stack.config.queuePrefix });
      try {
        for (const id of later) {
          for (const r of (await remindersOf(stack, id)).filter((x) => x.status === 'pending' && x.kind === 'release_48h')) {
            expect(await reminders.getJobState(`reminder.${r.id}.v${r.job_version}`)).toBe('delayed');
          }
        }
      } finally {
        await reminders.close();
        await reminders.disconnect();
      }
    } finally {
      await reports.close();
      await reports.disconnect();
    }
  }, 120_000);

  it('Redis down: reminders that come due are fired from PostgreSQL by the sweep, while Redis is still down', async () => {
    const api = client(stack, tokens);
    const worker = stack.spawnWorker();
    const reports = new Queue('reports', { connection: new IORedis(redis.url, { maxRetriesPerRequest: null }), prefix: stack.config.queuePrefix });
    try {
      await eventually(async () => (await reports.getJobScheduler('report.rollup')) !== undefined && /Worker running/.test((worker as unknown as { output: string }).output), 'the worker started', 60_000, 200);
    } finally {
      await reports.close();
      await reports.disconnect();
    }
    const d = await api.issue(world.facilities.kingJail.id, { subject: { aNumber: 'A091000099', familyName: 'Down', givenName: 'D', dateOfBirth: '1980-01-01', citizenship: 'MX' } });
    await api.act('jailKing', d.id, 'acknowledge', { response: 'will_comply' });
    await api.act('jailKing', d.id, 'schedule-release', { releaseAt: iso(Date.now() + 48 * HOUR + 3000) });
    await redis.stop();
    const downAt = Date.now();
    try {
      await eventually(async () => (await remindersOf(stack, d.id)).filter((r) => r.status === 'fired').length === 2, 'both reminders fired with Redis down', 25_000, 200).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\n${(worker as unknown as { output: string }).output.slice(-4000)}`);
      });
      expect(Date.now() - downAt).toBeLessThan(25_000);
      const inbox = (await deliveriesOf(stack, d.id)).filter((x) => x.channel === 'inbox');
      expect(inbox.map((x) => x.recipient).sort()).toEqual([world.users.jailKing.id, world.users.officerSea.id].sort());
    } finally {
      await redis.start();
    }
  }, 120_000);
});
