import { ReconcileReminders } from '@app/application';
import { Worker } from 'bullmq';
import IORedis from 'ioredis';
import { JobProducer, reminderJobId } from '@app/queue';
import { buildWorld, drainQueues, eventually, ReminderStack, startPrivateRedis, startReminderStack, tokensFor, UserKey, World } from '@test/support';
import { client, deliveriesOf, HOUR, iso, remindersOf } from './helpers';

/**
 * Redis only carries what PostgreSQL says is due. Against a private redis-server without
 * persistence (never the shared one): all its data lost, then a reconcile restores every pending
 * reminder with its remaining delay; overdue ones fire at once, exactly once; and an action
 * recorded while Redis is down still ends in a delivery once Redis is back.
 */
describe('reminders survive Redis (integration, private redis-server)', () => {
  let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
  let stack: ReminderStack;
  let world: World;
  let tokens: Record<UserKey, string>;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    stack = await startReminderStack({ env: { REDIS_URL: redis.url } });
    world = await buildWorld(stack.api);
    tokens = await tokensFor(stack.http, world);
    api = client(stack, tokens);
  });
  afterAll(async () => {
    await stack?.close();
    await redis?.stop();
  });

  const pendingReminders = async () =>
    stack.db.read((sql) => sql.query<{ id: string; due_at: Date; job_version: number; detainer_id: string }>(`SELECT id, due_at, job_version, detainer_id FROM reminders WHERE status = 'pending' ORDER BY id`));

  it('a finished job holding a reminder\'s id: a plain re-add is a silent no-op, so the reconciler re-adds it under a new version', async () => {
    // No worker runs yet in this file: the test plays the worker by hand to leave a failed job behind.
    const d = await api.issue(world.facilities.kingJail.id, { subject: { aNumber: 'A090000099', familyName: 'Trap', givenName: 'T', dateOfBirth: '1980-01-01', citizenship: 'MX' } });
    const [r] = (await remindersOf(stack, d.id)).filter((x) => x.audience === 'agency');
    const producer = stack.api.get(JobProducer);
    const queue = producer.queue('reminders');
    const id = reminderJobId(r.id, r.job_version);
    await queue.remove(id);
    await queue.add('reminder.fire', { reminderId: r.id, version: r.job_version }, { jobId: id, removeOnFail: false });
    const manual = new Worker('reminders', null, { connection: new IORedis(stack.config.redisUrl, { maxRetriesPerRequest: null }), prefix: stack.config.queuePrefix });
    try {
      const job = await manual.getNextJob('test-token');
      expect(job?.id).toBe(id);
      await job.moveToFailed(new Error('simulated final failure'), 'test-token', false);
    } finally {
      await manual.close();
      await manual.disconnect();
    }
    expect(await queue.getJobState(id)).toBe('failed');

    // The trap: the same id again is silently ignored; the reminder would never fire.
    await queue.add('reminder.fire', { reminderId: r.id, version: r.job_version }, { jobId: id });
    expect(await queue.getJobState(id)).toBe('failed');

    const report = await stack.api.get(ReconcileReminders).execute();
    expect(report.reminders.requeued).toBe(1);
    const [after] = (await remindersOf(stack, d.id)).filter((x) => x.id === r.id);
    expect(after.job_version).toBe(r.job_version + 1);
    expect(await queue.getJobState(reminderJobId(r.id, after.job_version))).toBe('delayed');
    // A job whose reminder is gone is removed: acknowledging cancels the reminder (and removes its job after the
    // commit); a leftover job for it, as a crash between commit and removal would leave, goes at the next reconcile.
    await api.act('jailKing', d.id, 'acknowledge', { response: 'will_comply' });
    const leftover = reminderJobId(r.id, after.job_version);
    expect(await queue.getJobState(leftover)).toBe('unknown');
    await queue.add('reminder.fire', { reminderId: r.id, version: after.job_version }, { jobId: leftover, delay: 3_600_000 });
    const cleanup = await stack.api.get(ReconcileReminders).execute();
    expect(cleanup.staleRemoved).toBeGreaterThanOrEqual(1);
    expect(await queue.getJobState(leftover)).toBe('unknown');
  });

  it('losing all of Redis, then a reconcile, restores every pending reminder with its remaining delay; overdue ones fire once', async () => {
    const now = Date.now();
    const detainers: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const d = await api.issue(world.facilities.kingJail.id, { subject: { aNumber: `A0900000${10 + i}`, familyName: 'Loss', givenName: `N${i}`, dateOfBirth: '1980-01-01', citizenship: 'MX' } });
      await api.act('jailKing', d.id, 'acknowledge', { response: 'will_comply' });
      // Two of them due within a second (overdue by the time Redis comes back), the rest hours ahead.
      // From the moment of scheduling: creating six detainers can take longer than the margin on a busy machine.
      const releaseAt = i < 2 ? Date.now() + 48 * HOUR + 800 : now + (50 + i) * HOUR;
      await api.act('jailKing', d.id, 'schedule-release', { releaseAt: iso(releaseAt) });
      detainers.push(d.id);
    }
    const pending = await pendingReminders();
    expect(pending).toHaveLength(12);
    const producer = stack.api.get(JobProducer);
    for (const r of pending) expect(await producer.state('reminders', reminderJobId(r.id, r.job_version))).toBe('delayed');

    // Redis restarts without persistence: every job is gone.
    await redis.stop();
    await redis.start();
    await eventually(async () => (await producer.state('reminders', reminderJobId(pending[0].id, 1))) === 'unknown', 'the producer reconnected to an empty Redis');
    await new Promise((r) => setTimeout(r, 1000)); // the first two are now overdue

    const report = await stack.api.get(ReconcileReminders).execute();
    expect(report.reminders).toMatchObject({ pending: 12, added: 12, overdue: 4, requeued: 0 });
    for (const r of pending) {
      const job = await producer.job('reminders', reminderJobId(r.id, r.job_version));
      expect(job).toBeDefined();
      const firesAt = job!.timestamp + (job!.opts.delay ?? 0);
      // Remaining delay kept (overdue: at once).
      expect(Math.abs(firesAt - Math.max(r.due_at.getTime(), job!.timestamp))).toBeLessThan(1000);
    }
    // A second reconcile (another worker, the scheduler) adds nothing.
    expect((await stack.api.get(ReconcileReminders).execute()).reminders).toMatchObject({ added: 0, requeued: 0 });

    // A worker starts (and reconciles again at start): the overdue ones fire exactly once.
    await stack.startWorker();
    for (const id of detainers.slice(0, 2)) {
      await eventually(async () => (await remindersOf(stack, id)).filter((r) => r.status === 'fired').length === 2, `overdue reminders of ${id}`);
    }
    await drainQueues([producer.queue('reminders'), producer.queue('deliveries')]);
    for (const id of detainers.slice(0, 2)) {
      const inbox = (await deliveriesOf(stack, id)).filter((d) => d.channel === 'inbox');
      // jail.king for the agency reminder, officer.sea for the office one: one each.
      expect(inbox.map((d) => d.recipient).sort()).toEqual([world.users.jailKing.id, world.users.officerSea.id].sort());
    }
    expect((await pendingReminders()).filter((r) => detainers.slice(2).includes(r.detainer_id))).toHaveLength(8);
  });

  it('Redis down when an action is recorded: the action succeeds, and the reminder is delivered once Redis is back', async () => {
    await stack.startWorker();
    const d = await api.issue(world.facilities.kingJail.id, { subject: { aNumber: 'A090000077', familyName: 'Down', givenName: 'D', dateOfBirth: '1980-01-01', citizenship: 'MX' } });
    await api.act('jailKing', d.id, 'acknowledge', { response: 'will_comply' });

    await redis.stop();
    const started = Date.now();
    const res = await api.as('jailKing').post(`/api/v1/detainers/${d.id}/schedule-release`, { releaseAt: iso(Date.now() + 10 * HOUR) });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5000);
    const [shortNotice] = (await remindersOf(stack, d.id)).filter((r) => r.status === 'pending');
    expect(shortNotice).toMatchObject({ kind: 'short_notice', status: 'pending' });

    await redis.start();
    // The worker sees Redis come back (empty), re-registers its schedulers and reconciles: the alert goes out.
    await eventually(async () => (await remindersOf(stack, d.id)).find((r) => r.id === shortNotice.id)?.status === 'fired', 'the short-notice alert', 30_000);
    const inbox = (await deliveriesOf(stack, d.id)).filter((x) => x.channel === 'inbox');
    expect(inbox).toHaveLength(1);
    expect(inbox[0].recipient).toBe(world.users.officerSea.id);
  });
});
