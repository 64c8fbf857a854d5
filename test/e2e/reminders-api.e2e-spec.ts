import { ReminderOutbox, SecretBox } from '@app/application';
import { decide, evolve, replay } from '@app/domain';
import { DeliveryRepository, DetainerWriteRepository, NotificationRepository } from '@app/persistence';
import { JobProducer, reminderJobId } from '@app/queue';
import { buildWorld, deletePrefixedKeys, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/** The reminder outbox seen from the API, the inbox, webhooks and the queue dashboard (no worker runs here). */
describe('reminders over the API (e2e)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  const HOUR = 3_600_000;

  beforeAll(async () => {
    // Webhook hosts here are example names that resolve nowhere: the test-only allowance skips the address check.
    api = await startTestApi({ env: { WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true' } });
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
  });
  afterAll(async () => {
    await api.close();
    await deletePrefixedKeys(api.config.redisUrl, api.config.queuePrefix);
  });

  const as = (user: UserKey) => ({
    post: (path: string, body: object = {}) => api.http.post(path).set('Authorization', `Bearer ${tokens[user]}`).send(body),
    get: (path: string) => api.http.get(path).set('Authorization', `Bearer ${tokens[user]}`),
  });
  const issue = async (aNumber: string) => {
    const res = await as('officerSea').post('/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject: { aNumber, familyName: 'Doe', givenName: 'J', dateOfBirth: '1980-05-17', citizenship: 'MX' } }));
    expect(res.status).toBe(201);
    return res.body as { id: string; version: number };
  };
  const reminders = (detainerId: string) =>
    api.db.read((sql) => sql.query<{ id: string; key: string; status: string; due_at: Date; job_version: number; cancel_reason: string | null }>('SELECT * FROM reminders WHERE detainer_id = $1 ORDER BY key', [detainerId]));

  it('an action writes its reminders in its transaction and hands them to Redis under versioned job ids after the commit', async () => {
    api.clock.set(new Date(Date.now()));
    const d = await issue('A111111111');
    const rows = await reminders(d.id);
    expect(rows.map((r) => [r.key, r.status])).toEqual([['1.unacknowledged_24h.agency', 'pending'], ['1.unacknowledged_24h.supervisors', 'pending']]);
    const producer = api.app.get(JobProducer);
    for (const r of rows) {
      const job = await producer.job('reminders', reminderJobId(r.id, 1));
      expect(job?.id).toBe(`reminder.${r.id}.v1`);
      expect(job?.data).toEqual({ reminderId: r.id, version: 1 }); // ids only
      expect(job?.opts).toMatchObject({ removeOnComplete: true, removeOnFail: { age: 604800, count: 10000 } });
      expect(Math.abs(job!.timestamp + job!.opts.delay! - r.due_at.getTime())).toBeLessThan(1000);
    }

    // A final state cancels them, in the database and in Redis.
    await as('officerSea').post(`/api/v1/detainers/${d.id}/cancel`, { reason: 'lifted' }).expect(200);
    const after = await reminders(d.id);
    expect(after.map((r) => [r.status, r.cancel_reason])).toEqual([['cancelled', 'no_longer_due'], ['cancelled', 'no_longer_due']]);
    for (const r of after) expect(await producer.state('reminders', reminderJobId(r.id, 1))).toBe('unknown');
  });

  it('a rolled-back transaction leaves no reminder behind, and nothing reaches Redis', async () => {
    api.clock.set(new Date(Date.now()));
    const d = await issue('A111111112');
    await as('jailKing').post(`/api/v1/detainers/${d.id}/acknowledge`, { response: 'will_comply' }).expect(200);
    const writes = api.app.get(DetainerWriteRepository);
    const outbox = api.app.get(ReminderOutbox);
    const stream = await api.db.read((sql) => writes.loadStream(sql, d.id));
    const state = replay(stream!.events);
    const now = api.clock.now();
    const decision = decide(state, { type: 'schedule_release', releaseAt: new Date(now.getTime() + 72 * HOUR) }, { now, actor: { kind: 'user', id: world.users.jailKing.id, role: 'jail_staff', agencyId: world.agencies.king.id, areaId: null } });
    if (!decision.ok) throw decision.error;
    const next = decision.events.reduce((s, e) => evolve(s, e), state);

    let insertedInside = 0;
    await expect(
      api.db.transaction(async (sql) => {
        await outbox.onDetainerChanged(sql, { before: state, after: next, events: decision.events, now });
        insertedInside = (await sql.query(`SELECT 1 FROM reminders WHERE detainer_id = $1 AND status = 'pending'`, [d.id])).length;
        throw new Error('a later step of the same transaction fails');
      }),
    ).rejects.toThrow('a later step');
    expect(insertedInside).toBe(2);
    expect((await reminders(d.id)).filter((r) => r.status === 'pending')).toEqual([]);
    const waiting = await api.app.get(JobProducer).waitingIds('reminders');
    const ids = await api.db.read((sql) => sql.query<{ id: string }>('SELECT id FROM reminders WHERE detainer_id = $1', [d.id]));
    expect(waiting.filter((j) => ids.some((r) => j.includes(r.id)))).toEqual([]);
  });

  it('the inbox: newest first, cursor paging, unread count, mark read; only your own', async () => {
    const deliveries = api.app.get(DeliveryRepository);
    const notifications = api.app.get(NotificationRepository);
    const ids: string[] = [];
    for (const [i, a] of ['A111111121', 'A111111122', 'A111111123'].entries()) {
      api.clock.set(new Date(Date.UTC(2026, 10, 2, 15, i)));
      const d = await issue(a);
      const [agencyReminder] = (await reminders(d.id)).filter((r) => r.key.endsWith('agency'));
      await api.db.transaction(async (sql) => {
        const [delivery] = await deliveries.insertMissing(sql, agencyReminder.id, [{ channel: 'inbox', recipient: world.users.jailKing.id, address: null }], api.clock.now(), 'sent');
        await notifications.insert(sql, {
          userId: world.users.jailKing.id, deliveryId: delivery.id, reminderId: agencyReminder.id, detainerId: d.id, kind: 'unacknowledged_24h',
          title: `T${i}`, body: 'B', link: `http://localhost/detainers/${d.id}`, anchorAt: agencyReminder.due_at, timeZone: 'America/Los_Angeles',
        }, api.clock.now());
        // The same delivery again is ignored (unique per delivery).
        await notifications.insert(sql, {
          userId: world.users.jailKing.id, deliveryId: delivery.id, reminderId: agencyReminder.id, detainerId: d.id, kind: 'unacknowledged_24h',
          title: 'dup', body: 'B', link: 'x', anchorAt: agencyReminder.due_at, timeZone: 'America/Los_Angeles',
        }, api.clock.now());
      });
      ids.push(d.id);
    }
    const page1 = await as('jailKing').get('/api/v1/notifications?limit=2').expect(200);
    expect(page1.body.unreadCount).toBe(3);
    expect(page1.body.items.map((n: { title: string }) => n.title)).toEqual(['T2', 'T1']);
    expect(page1.body.items[0]).toMatchObject({ detainerId: ids[2], timeZone: 'America/Los_Angeles', readAt: null });
    expect(page1.body.items[0].localTime).toMatch(/^2026-11-03T07:02:00-08:00$/);
    const page2 = await as('jailKing').get(`/api/v1/notifications?limit=2&cursor=${page1.body.nextCursor}`).expect(200);
    expect(page2.body.items.map((n: { title: string }) => n.title)).toEqual(['T0']);
    expect(page2.body.nextCursor).toBeNull();

    const first = page1.body.items[0].id as string;
    await as('jailSnohomish').post(`/api/v1/notifications/${first}/read`).expect(404);
    await as('jailKing').post('/api/v1/notifications/not-a-uuid/read').expect(404);
    const read = await as('jailKing').post(`/api/v1/notifications/${first}/read`).expect(200);
    expect(read.body.readAt).not.toBeNull();
    const unread = await as('jailKing').get('/api/v1/notifications?unread=true').expect(200);
    expect(unread.body).toMatchObject({ unreadCount: 2 });
    expect(unread.body.items.map((n: { title: string }) => n.title)).toEqual(['T1', 'T0']);
    expect((await as('jailSnohomish').get('/api/v1/notifications').expect(200)).body).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
    await api.http.get('/api/v1/notifications').expect(401);
    await as('jailKing').get('/api/v1/notifications?limit=501').expect(400);
  });

  it('webhooks: an agency registers its own and gets the secret once; others cannot see or create for it', async () => {
    const created = await as('jailKing').post('/api/v1/webhooks', { url: 'https://jms.king.example/hooks' }).expect(201);
    expect(created.body).toMatchObject({ agencyId: world.agencies.king.id, url: 'https://jms.king.example/hooks', active: true, events: ['reminder.release_48h', 'reminder.hold_expired', 'reminder.unacknowledged_24h'] });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    // stored sealed, bound to its row: the database alone does not give the secret away
    const stored = await api.db.read((sql) => sql.query<Record<string, unknown>>('SELECT * FROM webhooks WHERE id = $1', [created.body.id]));
    expect(JSON.stringify(stored)).not.toContain(created.body.secret);
    const box = api.app.get(SecretBox);
    expect(box.open(stored[0].secret_sealed as string, `webhook:${created.body.id}`)).toBe(created.body.secret);
    expect(() => box.open(stored[0].secret_sealed as string, `webhook:${world.agencies.king.id}`)).toThrow();
    const listed = await as('jailKing').get('/api/v1/webhooks').expect(200);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0].secret).toBeUndefined();
    expect((await as('jailSnohomish').get('/api/v1/webhooks').expect(200)).body.items).toEqual([]);
    expect((await as('admin').get('/api/v1/webhooks').expect(200)).body.items).toHaveLength(1);
    await as('jailSnohomish').post('/api/v1/webhooks', { url: 'https://x.example/h', agencyId: world.agencies.king.id }).expect(400);
    await as('officerSea').post('/api/v1/webhooks', { url: 'https://x.example/h' }).expect(403);
    await as('jailKing').post('/api/v1/webhooks', { url: 'ftp://x.example/h' }).expect(400);
    await as('jailKing').post('/api/v1/webhooks', { url: 'https://x.example/h', events: ['reminder.nope'] }).expect(400);
    await as('admin').post('/api/v1/webhooks', { url: 'https://x.example/h' }).expect(400);
    await as('admin').post('/api/v1/webhooks', { url: 'https://cook.example/h', agencyId: world.agencies.cook.id, events: ['reminder.hold_expired'] }).expect(201);
  });

  it('the queue dashboard at /admin/queues is for admins only', async () => {
    await api.http.get('/admin/queues').expect(401);
    await api.http.get('/admin/queues/api/queues').expect(401);
    await api.http.get('/admin/queues').set('Authorization', 'Bearer not-a-token').expect(401);
    await api.http.get('/admin/queues').set('Authorization', `Bearer ${tokens.officerSea}`).expect(403);
    await api.http.get('/admin/queues').set('Authorization', `Bearer ${tokens.supervisorSea}`).expect(403);
    const page = await api.http.get('/admin/queues').set('Authorization', `Bearer ${tokens.admin}`).expect(200);
    expect(page.text).toContain('<html');
    const queues = await api.http.get('/admin/queues/api/queues').set('Authorization', `Bearer ${tokens.admin}`).expect(200);
    expect(JSON.stringify(queues.body)).toContain('reminders');
  });

  it('users may have an e-mail address for reminders', async () => {
    const ok = await as('admin').post('/api/v1/users', { username: 'jail.king2', password: 'correct-horse-battery', role: 'jail_staff', agencyId: world.agencies.king.id, email: 'k2@king.example' });
    expect(ok.status).toBe(201);
    expect(ok.body.email).toBe('k2@king.example');
    await as('admin').post('/api/v1/users', { username: 'jail.king3', password: 'correct-horse-battery', role: 'jail_staff', agencyId: world.agencies.king.id, email: 'not-an-address' }).expect(400);
  });
});
