import { DeliveryRepository, NotificationRepository } from '@app/persistence';
import { buildWorld, deletePrefixedKeys, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/** The jail's worklist (GET /api/v1/worklist) and "mark all read" (POST /api/v1/notifications/read-all). */
describe('worklist and inbox (e2e)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  const HOUR = 3_600_000;

  beforeAll(async () => {
    api = await startTestApi();
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
  let n = 0;
  const issue = async (facilityId: string, familyName: string, officer: UserKey = 'officerSea') => {
    n += 1;
    const subject = { aNumber: `A3000000${String(n).padStart(2, '0')}`, familyName, givenName: 'Test', dateOfBirth: '1980-05-17', citizenship: 'MX' };
    const res = await as(officer).post('/api/v1/detainers', i247aBody(facilityId, { subject }));
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const ack = async (id: string) => expect((await as('jailKing').post(`/api/v1/detainers/${id}/acknowledge`, { response: 'will_comply' })).status).toBe(200);
  const inHours = (h: number) => new Date(api.clock.now().getTime() + h * HOUR).toISOString();
  const names = (section: { items: { subject?: { familyName: string } }[] }) => section.items.map((d) => d.subject?.familyName);

  describe('GET /api/v1/worklist', () => {
    beforeAll(async () => {
      const king = world.facilities.kingJail.id;
      api.clock.set('2026-11-02T15:00:00Z');
      await issue(king, 'Older');
      api.clock.advance(60_000);
      await issue(king, 'Newer');
      const ackedLater = await issue(king, 'AckedLater');
      const ackedFirst = await issue(king, 'AckedFirst');
      await ack(ackedFirst);
      api.clock.advance(60_000);
      await ack(ackedLater);
      for (const name of ['HeldLongest', 'HeldRecent']) {
        const id = await issue(king, name);
        await ack(id);
        expect((await as('jailKing').post(`/api/v1/detainers/${id}/start-hold`, { since: inHours(0) })).status).toBe(200);
        api.clock.advanceHours(1);
      }
      for (const [name, hours] of [['In30h', 30], ['In10h', 10], ['In72h', 72]] as const) {
        const id = await issue(king, name);
        await ack(id);
        expect((await as('jailKing').post(`/api/v1/detainers/${id}/schedule-release`, { releaseAt: inHours(hours) })).status).toBe(200);
      }
      // Handed on to Snohomish: no longer King's work, and Snohomish's to acknowledge.
      const moved = await issue(king, 'Moved');
      await ack(moved);
      const out = await as('jailKing').post(`/api/v1/detainers/${moved}/release`, { at: inHours(0), destination: 'other_agency', toFacilityId: world.facilities.snohomishJail.id });
      expect(out.status).toBe(200);
      await issue(world.facilities.snohomishJail.id, 'OtherAgency');
      await issue(world.facilities.cookJail.id, 'Chicago', 'officerChi');
    });

    it('lists the agency’s four stages, each ordered by what falls due first, with totals', async () => {
      const res = await as('jailKing').get('/api/v1/worklist').expect(200);
      expect(res.body.asOf).toBe(api.clock.now().toISOString());
      expect(names(res.body.awaitingAcknowledgment)).toEqual(['Older', 'Newer']);
      expect(names(res.body.awaitingReleaseDate)).toEqual(['AckedFirst', 'AckedLater']);
      expect(names(res.body.releasesSoon)).toEqual(['In10h', 'In30h']);
      expect(names(res.body.holdsEnding)).toEqual(['HeldLongest', 'HeldRecent']);
      expect(res.body.releasesSoon.total).toBe(2);
      expect(res.body.releasesSoon.items[0]).toMatchObject({ status: 'release_scheduled', facility: { name: 'King County Correctional Facility' } });
    });

    it('limit caps each list; the totals still count them all', async () => {
      const res = await as('jailKing').get('/api/v1/worklist?limit=1').expect(200);
      expect(names(res.body.awaitingAcknowledgment)).toEqual(['Older']);
      expect(res.body.awaitingAcknowledgment.total).toBe(2);
      expect(res.body.holdsEnding).toMatchObject({ total: 2, items: [{ subject: { familyName: 'HeldLongest' } }] });
    });

    it('is scoped to the agency: a detainer handed on is the receiving agency’s work', async () => {
      const sno = await as('jailSnohomish').get('/api/v1/worklist').expect(200);
      expect(names(sno.body.awaitingAcknowledgment).sort()).toEqual(['Moved', 'OtherAgency']);
      for (const s of ['awaitingReleaseDate', 'releasesSoon', 'holdsEnding']) expect(sno.body[s]).toEqual({ total: 0, items: [] });
      const cook = await as('jailCook').get('/api/v1/worklist').expect(200);
      expect(names(cook.body.awaitingAcknowledgment)).toEqual(['Chicago']);
      const king = await as('jailKing').get('/api/v1/worklist').expect(200);
      const all = ['awaitingAcknowledgment', 'awaitingReleaseDate', 'releasesSoon', 'holdsEnding'].flatMap((s) => names(king.body[s]));
      expect(all).not.toContain('Moved');
      expect(all).not.toContain('OtherAgency');
    });

    it('is for jail staff only; a bad limit names the field', async () => {
      for (const user of ['officerSea', 'supervisorSea', 'analyst', 'admin'] as const) await as(user).get('/api/v1/worklist').expect(403);
      await api.http.get('/api/v1/worklist').expect(401);
      for (const bad of ['0', '201', 'ten']) {
        const res = await as('jailKing').get(`/api/v1/worklist?limit=${bad}`).expect(400);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain('limit');
      }
    });
  });

  describe('POST /api/v1/notifications/read-all', () => {
    const notify = async (user: UserKey, kind: string, title: string) => {
      const detainerId = await issue(world.facilities.kingJail.id, title);
      const [reminder] = await api.db.read((sql) => sql.query<{ id: string; due_at: Date }>('SELECT id, due_at FROM reminders WHERE detainer_id = $1 LIMIT 1', [detainerId]));
      await api.db.transaction(async (sql) => {
        const [delivery] = await api.app.get(DeliveryRepository).insertMissing(sql, reminder.id, [{ channel: 'inbox', recipient: world.users[user].id, address: null }], api.clock.now(), 'sent');
        await api.app.get(NotificationRepository).insert(sql, {
          userId: world.users[user].id, deliveryId: delivery.id, reminderId: reminder.id, detainerId, kind, title, body: 'B',
          link: `http://localhost/detainers/${detainerId}`, anchorAt: reminder.due_at, timeZone: 'America/Los_Angeles',
        }, api.clock.now());
      });
    };
    const unread = async (user: UserKey) => (await as(user).get('/api/v1/notifications?unread=true').expect(200)).body as { unreadCount: number; items: { title: string }[] };

    beforeAll(async () => {
      api.clock.set('2026-11-03T15:00:00Z');
      await notify('jailKing', 'unacknowledged_24h', 'U1');
      await notify('jailKing', 'release_48h', 'R1');
      api.clock.advance(60_000);
      await notify('jailKing', 'unacknowledged_24h', 'U2');
      await notify('jailSnohomish', 'unacknowledged_24h', 'S1');
      await notify('analyst', 'release_48h', 'A1');
    });

    it('names each case by person and booking number as the caller may see it; nothing out of reach', async () => {
      const king = (await as('jailKing').get('/api/v1/notifications').expect(200)).body.items as { title: string; case: unknown }[];
      expect(king.find((i) => i.title === 'U1')?.case).toEqual({ subject: { familyName: 'U1', givenName: 'Test' }, bookingNumber: 'B-1001', facilityName: 'King County Correctional Facility' });
      // Snohomish's notification is about a detainer at King, and the analyst sees no identities: neither is named.
      expect((await as('jailSnohomish').get('/api/v1/notifications').expect(200)).body.items[0]).toMatchObject({ title: 'S1', case: null });
      expect((await as('analyst').get('/api/v1/notifications').expect(200)).body.items[0]).toMatchObject({ title: 'A1', case: null });
    });

    it('marks one kind, up to a moment; later ones and other people’s stay unread', async () => {
      const res = await as('jailKing').post('/api/v1/notifications/read-all', { kind: 'unacknowledged_24h', upTo: '2026-11-03T15:00:30Z' }).expect(200);
      expect(res.body).toEqual({ marked: 1, unreadCount: 2 });
      expect((await unread('jailKing')).items.map((i) => i.title).sort()).toEqual(['R1', 'U2']);
    });

    it('with no body marks all of the caller’s, and only theirs; again marks none', async () => {
      expect((await as('jailKing').post('/api/v1/notifications/read-all').expect(200)).body).toEqual({ marked: 2, unreadCount: 0 });
      expect((await as('jailKing').post('/api/v1/notifications/read-all').expect(200)).body).toEqual({ marked: 0, unreadCount: 0 });
      expect((await unread('jailSnohomish')).unreadCount).toBe(1);
    });

    it('a bad kind or moment names the field and marks nothing', async () => {
      for (const [body, field] of [[{ kind: 'spam' }, 'kind'], [{ upTo: 'yesterday' }, 'upTo']] as const) {
        const res = await as('jailSnohomish').post('/api/v1/notifications/read-all', body).expect(400);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      expect((await unread('jailSnohomish')).unreadCount).toBe(1);
      await api.http.post('/api/v1/notifications/read-all').send({}).expect(401);
    });
  });
});
