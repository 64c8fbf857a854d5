import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue, QueueEvents } from 'bullmq';
import { Principal, ReadReport } from '@app/application';
import { createRedisConnection, JobName, JOB_QUEUE, jobId } from '@app/queue';
import { buildWorld, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';
import { WorkerModule } from '../../apps/worker/src/worker.module';

/**
 * Report weeks across daylight-saving changes, and the worker: the weekly job scheduler, the re-roll
 * sweep driven by the weeks changes marked in PostgreSQL, and idempotent re-runs, over real Redis.
 */
describe('weekly report: DST week boundaries and the worker jobs (integration)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  let readReport: ReadReport;
  let worker: INestApplicationContext;
  let queue: Queue;
  let events: QueueEvents;
  let connection: ReturnType<typeof createRedisConnection> | undefined;
  let eventsConnection: ReturnType<typeof createRedisConnection> | undefined;
  const admin = (): Principal => ({ kind: 'user', id: world.users.admin.id, name: 'admin', role: 'admin', agencyId: null, areaId: null });
  let serial = 0;

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
    readReport = api.app.get(ReadReport);
  });
  afterAll(async () => {
    await worker?.close();
    await events?.close();
    if (queue) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
    connection?.disconnect();
    eventsConnection?.disconnect();
    await api.close();
  });

  /** Issues at `issuedAt`, then refuses in custody with the clock at `refusedAt` (the decline is recorded then). */
  const refusedAt = async (issuedAt: string, refused: string) => {
    serial += 1;
    api.clock.set(issuedAt);
    const form = issuedAt < '2017-04-02' ? 'I-247D' : 'I-247A';
    const body = i247aBody(world.facilities.cookJail.id, {
      type: form, issuedAt, subject: { aNumber: `A${300000000 + serial}`, familyName: 'D', givenName: 'S', dateOfBirth: '1990-01-01', citizenship: 'GT' },
    });
    const issued = await api.http.post('/api/v1/detainers').set('Authorization', `Bearer ${tokens.officerChi}`).send(body);
    expect(issued.status).toBe(201);
    api.clock.set(refused);
    const res = await api.http.post(`/api/v1/detainers/${issued.body.id}/refuse`).set('Authorization', `Bearer ${tokens.jailCook}`).send({ at: refused, reason: 'policy' });
    expect(res.status).toBe(200);
    return issued.body.id as string;
  };
  const declined = async (week: string) => (await readReport.execute(admin(), week, 'live')).totals.declined;

  it('a week across the spring-forward change lasts 167 hours and keeps each decline on the right side', async () => {
    await refusedAt('2017-03-01T15:00:00Z', '2017-03-11T04:59:59Z'); // Fri 23:59:59 EST: week of 4 March
    await refusedAt('2017-03-01T15:00:00Z', '2017-03-11T05:00:00Z'); // Sat 00:00 EST: week of 11 March
    await refusedAt('2017-03-01T15:00:00Z', '2017-03-18T03:59:59Z'); // Fri 23:59:59 EDT: still week of 11 March
    await refusedAt('2017-03-01T15:00:00Z', '2017-03-18T04:00:00Z'); // Sat 00:00 EDT: week of 18 March
    api.clock.set('2017-03-30T12:00:00Z');
    const r = await readReport.execute(admin(), '2017-03-11', 'live');
    expect([r.start, r.end]).toEqual(['2017-03-11T05:00:00.000Z', '2017-03-18T04:00:00.000Z']);
    expect((Date.parse(r.end) - Date.parse(r.start)) / 3_600_000).toBe(167);
    expect(await declined('2017-03-04')).toBe(1);
    expect(r.totals.declined).toBe(2);
    expect(await declined('2017-03-18')).toBe(1);
  });

  it('a week across the fall-back change lasts 169 hours', async () => {
    await refusedAt('2017-10-20T15:00:00Z', '2017-11-11T04:30:00Z'); // Fri 23:30 EST, the last hour of the long week
    await refusedAt('2017-10-20T15:00:00Z', '2017-11-04T03:59:00Z'); // Fri 23:59 EDT: the week before
    api.clock.set('2017-11-20T12:00:00Z');
    const r = await readReport.execute(admin(), '2017-11-04', 'live');
    expect((Date.parse(r.end) - Date.parse(r.start)) / 3_600_000).toBe(169);
    expect(r.totals.declined).toBe(1);
    expect(await declined('2017-10-28')).toBe(1);
  });

  it('the worker registers the weekly roll-up after each week closes, and re-rolls weeks that changes marked', async () => {
    api.clock.set('2017-12-05T12:00:00Z');
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(api.config, { clock: api.clock }), { logger: false });
    await worker.init();
    connection = createRedisConnection(api.config.redisUrl, 'worker', 'report-test');
    eventsConnection = connection.duplicate();
    queue = new Queue(JOB_QUEUE['report.rollup'], { connection, prefix: api.config.queuePrefix });
    events = new QueueEvents(JOB_QUEUE['report.rollup'], { connection: eventsConnection, prefix: api.config.queuePrefix });
    await events.waitUntilReady();

    const scheduler = await queue.getJobScheduler('report.rollup');
    expect(scheduler).toMatchObject({ pattern: '5 0 * * 6', tz: 'America/New_York' });
    expect(await queue.getJobScheduler('report.reroll')).toMatchObject({ every: 60_000 });

    // A late record for a closed, rolled week marks it in PostgreSQL ...
    const before = await declined('2017-11-25');
    await refusedAt('2017-11-20T15:00:00Z', '2017-11-28T15:00:00Z');
    api.clock.set('2017-12-05T12:00:00Z');
    const marked = await api.db.read((sql) => sql.one<{ dirty: boolean }>(`SELECT (dirty_seq > rolled_seq OR EXISTS (SELECT 1 FROM report_week_marks m WHERE m.week_start = w.week_start)) AS dirty FROM report_weeks w WHERE week_start = '2017-11-25'`));
    expect(marked).toEqual({ dirty: true });

    // ... and the re-roll job (as its scheduler runs it every minute) rolls exactly what is marked.
    const run = async (name: JobName, data: object, id: string) => {
      const job = await queue.add(name, data, { jobId: id, removeOnComplete: true, removeOnFail: true, attempts: 1 });
      await job.waitUntilFinished(events, 15_000);
    };
    await run('report.reroll', {}, jobId('test', 'reroll', 1));
    const after = await api.db.read((sql) => sql.one<{ dirty: boolean; roll_count: number }>(`SELECT (dirty_seq > rolled_seq OR EXISTS (SELECT 1 FROM report_week_marks m WHERE m.week_start = w.week_start)) AS dirty, roll_count FROM report_weeks w WHERE week_start = '2017-11-25'`));
    expect(after!.dirty).toBe(false);
    expect(await declined('2017-11-25')).toBe(before + 1);

    // The weekly roll-up is harmless when run twice (BullMQ is at least once): same figures.
    const figures = () => api.db.read((sql) => sql.query(`SELECT * FROM report_figures WHERE week_start = '2017-11-25' ORDER BY jurisdiction_id`));
    const once = await figures();
    await run('report.rollup', { weekStart: '2017-11-25' }, jobId('test', 'rollup', 1));
    await run('report.rollup', { weekStart: '2017-11-25' }, jobId('test', 'rollup', 2));
    expect(await figures()).toEqual(once);
    const rolls = await api.db.read((sql) => sql.one<{ roll_count: number }>(`SELECT roll_count FROM report_weeks WHERE week_start = '2017-11-25'`));
    expect(rolls!.roll_count).toBe(after!.roll_count + 2);

    // Without a week, it rolls the week that closed last: on 5 December the week of 2 December is open, so 25 November.
    await run('report.rollup', {}, jobId('test', 'rollup', 3));
    const last = await api.db.read((sql) => sql.one<{ roll_count: number }>(`SELECT roll_count FROM report_weeks WHERE week_start = '2017-11-25'`));
    expect(last!.roll_count).toBe(rolls!.roll_count + 1);

    // A malformed week fails at once, without retries.
    const bad = await queue.add('report.rollup', { weekStart: '2017-11-26' }, { jobId: jobId('test', 'rollup', 'bad'), attempts: 3 });
    await expect(bad.waitUntilFinished(events, 15_000)).rejects.toThrow(/Sunday/);
    const failed = await queue.getJob(bad.id!);
    expect(failed!.attemptsMade).toBe(1);
  });
});
