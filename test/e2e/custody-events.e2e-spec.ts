import { Client } from 'pg';
import { buildWorld, countChanges, createApiKey, i247aBody, startTestApi, tableCounts, TestApi, tokensFor, UserKey, World } from '@test/support';

type Result = { eventId: string; outcome: string; detainerId?: string; error?: { statusCode: number; code: string; message: string; details?: { field: string }[] } };

/** Custody events from a jail management system over HTTP with an API key, applied as the same actions a person takes. */
describe('custody events (e2e)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  let keys: { king: { key: string }; cook: { key: string } };
  const HOUR = 3_600_000;
  let seq = 0;

  beforeAll(async () => {
    api = await startTestApi();
    api.clock.set('2026-11-02T15:00:00Z');
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
    keys = {
      king: await createApiKey(api.http, tokens.admin, world.agencies.king.id, 'King JMS'),
      cook: await createApiKey(api.http, tokens.admin, world.agencies.cook.id, 'Cook JMS'),
    };
  });
  afterAll(() => api.close());

  const as = (who: UserKey | { key: string }) => {
    const auth = (r: import('supertest').Test) => (typeof who === 'string' ? r.set('Authorization', `Bearer ${tokens[who]}`) : r.set('X-Api-Key', who.key));
    return {
      get: (path: string) => auth(api.http.get(path)),
      post: (path: string, body: unknown = {}) => auth(api.http.post(path)).send(body as object),
      csv: (path: string, text: string) => auth(api.http.post(path)).set('Content-Type', 'text/csv').send(text),
    };
  };
  const at = (hoursFromNow: number) => new Date(api.clock.now().getTime() + hoursFromNow * HOUR).toISOString();
  /** A detainer at `facilityId` with its own booking number and person, acknowledged by the jail (a release date needs that first). */
  const issue = async (facilityId: string, bookingNumber: string, officer: UserKey = 'officerSea', jail: UserKey = 'jailKing') => {
    seq += 1;
    const aNumber = `A${String(100000000 + seq)}`;
    const res = await as(officer).post('/api/v1/detainers', i247aBody(facilityId, { bookingNumber, subject: { aNumber, familyName: 'Roe', givenName: `R${seq}`, dateOfBirth: '1975-03-04', citizenship: 'GT' } }));
    expect(res.status).toBe(201);
    const ack = await as(jail).post(`/api/v1/detainers/${res.body.id}/acknowledge`, { response: 'will_comply' });
    expect(ack.status).toBe(200);
    return ack.body as { id: string; version: number };
  };
  const send = async (who: { key: string } | UserKey, events: object[], query = '') => {
    const res = await as(who).post(`/api/v1/custody-events${query}`, { events });
    expect(res.status).toBe(200);
    return res.body.results as Result[];
  };
  const detainer = async (id: string, who: UserKey = 'officerSea') => (await as(who).get(`/api/v1/detainers/${id}`)).body;
  const writesOf = async (work: () => Promise<unknown>) => {
    const before = await tableCounts(api.db);
    await work();
    const changes = countChanges(before, await tableCounts(api.db));
    delete changes.audit_log; // every request is audited, whatever it did
    delete changes.audit_chain_heads;
    return changes;
  };

  it('a batch answers applied, duplicate, no_open_detainer and rejected in the order sent; another agency learns nothing', async () => {
    const a = await issue(world.facilities.kingJail.id, 'KC-100');
    const b = await issue(world.facilities.kingJail.id, 'KC-101');
    expect((await as('jailKing').post(`/api/v1/detainers/${b.id}/release`, { at: at(0), destination: 'community' })).status).toBe(200);
    const results = await send(keys.king, [
      { eventId: 'e-1', kind: 'release_scheduled', at: at(0), bookingNumber: 'KC-100', releaseAt: at(72) },
      { eventId: 'e-1', kind: 'release_scheduled', at: at(0), bookingNumber: 'KC-100', releaseAt: at(72) },
      { eventId: 'e-2', kind: 'released', at: at(0), bookingNumber: 'KC-999' },
      { eventId: 'e-3', kind: 'transferred', at: at(0), bookingNumber: 'KC-100' },
      { eventId: 'e-4', kind: 'release_scheduled', at: at(0), bookingNumber: 'KC-101', releaseAt: at(72) },
    ]);
    expect(results).toEqual([
      { eventId: 'e-1', outcome: 'applied', detainerId: a.id },
      { eventId: 'e-1', outcome: 'duplicate', detainerId: a.id },
      { eventId: 'e-2', outcome: 'no_open_detainer' },
      // refused before matching: the event itself is incomplete
      { eventId: 'e-3', outcome: 'rejected', error: expect.objectContaining({ statusCode: 400, code: 'invalid_input', details: [expect.objectContaining({ field: 'toFacilityId' })] }) },
      // released already: the lodging is closed, so no open request carries the number
      { eventId: 'e-4', outcome: 'no_open_detainer' },
    ]);
    const after = await detainer(a.id);
    expect(after).toMatchObject({ status: 'release_scheduled', version: 3, releaseAt: at(72), noticeLeadHours: 72, shortNotice: false });
    expect(after.events.at(-1)).toMatchObject({ kind: 'release_scheduled', actor: expect.objectContaining({ kind: 'api_key', agencyId: world.agencies.king.id }) });

    // Cook's system sending King's booking number: no_open_detainer, nothing touched, nothing named
    const cook = await writesOf(async () => {
      const res = await send(keys.cook, [{ eventId: 'c-1', kind: 'released', at: at(0), bookingNumber: 'KC-100' }]);
      expect(res).toEqual([{ eventId: 'c-1', outcome: 'no_open_detainer' }]);
    });
    expect(cook).toEqual({ custody_events: 1 });
    expect((await detainer(a.id)).version).toBe(3);
    // and Cook cannot ask about King's events
    expect((await as(keys.cook).get('/api/v1/custody-events?eventId=e-1')).status).toBe(404);
  });

  it('an event the rules refuse carries the same error body a person gets', async () => {
    const d = await issue(world.facilities.kingJail.id, 'KC-110');
    await as('jailKing').post(`/api/v1/detainers/${d.id}/start-hold`, { since: at(0) });
    await as('jailKing').post(`/api/v1/detainers/${d.id}/transfer-to-ice`, { at: at(1) });
    const d2 = await issue(world.facilities.kingJail.id, 'KC-111');
    await as('jailKing').post(`/api/v1/detainers/${d2.id}/start-hold`, { since: at(0) });
    // held: schedule-release is not allowed from there
    const person = await as('jailKing').post(`/api/v1/detainers/${d2.id}/schedule-release`, { releaseAt: at(40) });
    expect(person.status).toBe(409);
    const [result] = await send(keys.king, [{ eventId: 'r-1', kind: 'release_scheduled', at: at(0), bookingNumber: 'KC-111', releaseAt: at(40) }]);
    expect(result).toEqual({ eventId: 'r-1', outcome: 'rejected', detainerId: d2.id, error: person.body });
    const stored = await as(keys.king).get('/api/v1/custody-events?eventId=r-1');
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ eventId: 'r-1', kind: 'release_scheduled', bookingNumber: 'KC-111', outcome: 'rejected', error: person.body });
  });

  it('a resent batch changes nothing', async () => {
    await issue(world.facilities.kingJail.id, 'KC-120');
    await issue(world.facilities.kingJail.id, 'KC-121');
    const batch = [
      { eventId: 's-1', kind: 'release_scheduled', at: at(0), bookingNumber: 'KC-120', releaseAt: at(24) },
      { eventId: 's-2', kind: 'released', at: at(0), bookingNumber: 'KC-121' },
      { eventId: 's-3', kind: 'released', at: at(0), bookingNumber: 'NOBODY' },
    ];
    const first = await send(keys.king, batch);
    expect(first.map((r) => r.outcome)).toEqual(['applied', 'applied', 'no_open_detainer']);
    const changes = await writesOf(async () => {
      const again = await send(keys.king, batch);
      expect(again.map((r) => r.outcome)).toEqual(['duplicate', 'duplicate', 'duplicate']);
      expect(again.map((r) => r.detainerId)).toEqual(first.map((r) => r.detainerId));
    });
    expect(changes).toEqual({});
  });

  it('a transfer opens the next lodging at the receiving agency', async () => {
    const d = await issue(world.facilities.kingJail.id, 'KC-130');
    const [r] = await send(keys.king, [{ eventId: 't-1', kind: 'transferred', at: at(0), bookingNumber: 'KC-130', toFacilityId: world.facilities.snohomishJail.id }]);
    expect(r).toEqual({ eventId: 't-1', outcome: 'applied', detainerId: d.id });
    const after = await detainer(d.id);
    expect(after.status).toBe('issued');
    expect(after.lodgings).toHaveLength(2);
    expect(after.lodgings[0]).toMatchObject({ status: 'transferred', agency: expect.objectContaining({ id: world.agencies.king.id }) });
    expect(after.lodgings[1]).toMatchObject({ status: 'issued', agency: expect.objectContaining({ id: world.agencies.snohomish.id }) });
    expect(after.declined).toBe(false);
  });

  it('a release with no notice is a decline attributed to the releasing agency', async () => {
    const d = await issue(world.facilities.kingJail.id, 'KC-140');
    const [r] = await send(keys.king, [{ eventId: 'n-1', kind: 'released', at: at(0), bookingNumber: 'KC-140', destination: 'community' }]);
    expect(r.outcome).toBe('applied');
    const after = await detainer(d.id);
    expect(after).toMatchObject({ status: 'released', declined: true, declineKind: 'no_notice' });
    expect(after.lodgings).toHaveLength(1);
    expect(after.lodgings[0].agency.id).toBe(world.agencies.king.id);
  });

  it('jail staff may send events too; other roles may not', async () => {
    await issue(world.facilities.kingJail.id, 'KC-150');
    expect(await send('jailKing', [{ eventId: 'u-1', kind: 'released_to_ice', at: at(0), bookingNumber: 'KC-150' }])).toEqual([expect.objectContaining({ outcome: 'applied' })]);
    for (const who of ['officerSea', 'supervisorSea', 'admin', 'analyst'] as const) {
      expect((await as(who).post('/api/v1/custody-events', { events: [{ eventId: 'x', kind: 'released', at: at(0), bookingNumber: 'KC-150' }] })).status).toBe(403);
    }
  });

  it('bad input names the field and writes nothing', async () => {
    await issue(world.facilities.kingJail.id, 'KC-160');
    const good = { eventId: 'b-1', kind: 'released', at: at(0), bookingNumber: 'KC-160' };
    const cases: [object, string][] = [
      [{}, 'events'],
      [{ events: [] }, 'events'],
      [{ events: Array.from({ length: 1001 }, (_x, i) => ({ ...good, eventId: `b-${i}` })) }, 'events'],
      [{ events: [good, { ...good, eventId: 'b-2', kind: 'escaped' }] }, 'events[1].kind'],
      [{ events: [good, { ...good, eventId: 'b-3', at: 'yesterday' }] }, 'events[1].at'],
      [{ events: [{ ...good, eventId: '' }] }, 'events[0].eventId'],
      [{ events: [{ ...good, bookingNumber: undefined }] }, 'events[0].bookingNumber'],
      [{ events: [{ ...good, role: 'admin' }] }, 'events[0].role'],
      [{ events: [{ ...good, toFacilityId: 'not-a-uuid' }] }, 'events[0].toFacilityId'],
    ];
    const changes = await writesOf(async () => {
      for (const [body, field] of cases) {
        const res = await as(keys.king).post('/api/v1/custody-events', body);
        expect(res.status).toBe(400);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      const missing = await as(keys.king).get('/api/v1/custody-events');
      expect(missing.status).toBe(400);
      expect(missing.body.details[0].field).toBe('eventId');
    });
    expect(changes).toEqual({});
  });

  it('a facility of another agency is rejected naming facilityId', async () => {
    await issue(world.facilities.kingJail.id, 'KC-170');
    const [r] = await send(keys.king, [{ eventId: 'f-1', kind: 'released', at: at(0), bookingNumber: 'KC-170', facilityId: world.facilities.cookJail.id }]);
    expect(r).toMatchObject({ outcome: 'rejected', error: { statusCode: 400, details: [{ field: 'facilityId' }] } });
    expect(r.detainerId).toBeUndefined();
  });

  it('a preview decides every event and writes nothing; applying then does the same', async () => {
    const d = await issue(world.facilities.kingJail.id, 'KC-180');
    const batch = [
      { eventId: 'p-1', kind: 'release_scheduled', at: at(0), bookingNumber: 'KC-180', releaseAt: at(10) },
      { eventId: 'p-2', kind: 'released', at: at(0), bookingNumber: 'KC-NONE' },
    ];
    let preview: Result[] = [];
    const changes = await writesOf(async () => {
      const res = await as(keys.king).post('/api/v1/custody-events?preview=true', { events: batch });
      expect(res.body.preview).toBe(true);
      preview = res.body.results;
    });
    expect(changes).toEqual({});
    expect(preview).toEqual([{ eventId: 'p-1', outcome: 'applied', detainerId: d.id }, { eventId: 'p-2', outcome: 'no_open_detainer' }]);
    expect((await detainer(d.id)).version).toBe(2);
    expect(await send(keys.king, batch)).toEqual(preview);
    expect(await detainer(d.id)).toMatchObject({ version: 3, shortNotice: true });
  });

  it('the same as CSV: same results; a bad row is a 400 naming it, nothing applied', async () => {
    const d = await issue(world.facilities.kingJail.id, 'KC-190');
    const header = 'eventId,kind,at,bookingNumber,facilityId,destination,toFacilityId,releaseAt,aNumber,fbiNumber,stateId';
    const bad = await writesOf(async () => {
      const res = await as(keys.king).csv('/api/v1/custody-events.csv', `${header}\ncsv-1,released,${at(0)},KC-190,,,,,,,\ncsv-2,escaped,${at(0)},KC-190,,,,,,,\n`);
      expect(res.status).toBe(400);
      expect(res.body.details.map((p: { field: string }) => p.field)).toEqual(['rows[2].kind']);
      const header400 = await as(keys.king).csv('/api/v1/custody-events.csv', `eventId,kind,when\n1,released,x\n`);
      expect(header400.status).toBe(400);
      expect(header400.body.details.map((p: { field: string }) => p.field)).toEqual(['header.when', 'header.at', 'header.bookingNumber']);
    });
    expect(bad).toEqual({});
    const res = await as(keys.king).csv('/api/v1/custody-events.csv', `${header}\ncsv-1,release_scheduled,${at(0)},KC-190,,,,${at(80)},,,\ncsv-1,release_scheduled,${at(0)},KC-190,,,,${at(80)},,,\n`);
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([{ eventId: 'csv-1', outcome: 'applied', detainerId: d.id }, { eventId: 'csv-1', outcome: 'duplicate', detainerId: d.id }]);
    expect((await as(keys.king).post('/api/v1/custody-events.csv', { events: [] })).status).toBe(400);
  });

  it('1,000 events in one call', async () => {
    const numbers = Array.from({ length: 100 }, (_x, i) => `KC-K${i}`);
    for (let i = 0; i < numbers.length; i += 10) await Promise.all(numbers.slice(i, i + 10).map((n) => issue(world.facilities.kingJail.id, n)));
    const events = [
      ...numbers.map((n, i) => ({ eventId: `k-s-${i}`, kind: 'release_scheduled', at: at(0), bookingNumber: n, releaseAt: at(96) })),
      ...numbers.map((n, i) => ({ eventId: `k-r-${i}`, kind: 'released', at: at(0), bookingNumber: n })),
      ...Array.from({ length: 800 }, (_x, i) => ({ eventId: `k-u-${i}`, kind: 'booked', at: at(0), bookingNumber: `KC-U${i}` })),
    ];
    const results = await send(keys.king, events);
    expect(results).toHaveLength(1000);
    expect(results.map((r) => r.eventId)).toEqual(events.map((e) => e.eventId));
    const count = (o: string) => results.filter((r) => r.outcome === o).length;
    expect([count('applied'), count('no_open_detainer')]).toEqual([200, 800]);
    const stored = await api.db.read((sql) => sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM custody_events WHERE event_id LIKE 'k-%'`));
    expect(stored!.n).toBe(1000);
  }, 180_000);

  it('a booking of a person with an open request lodged elsewhere alerts the issuing office; the booking agency learns nothing', async () => {
    // lodged with Cook County (Chicago AOR); King County books the same person
    const res = await as('officerChi').post('/api/v1/detainers', i247aBody(world.facilities.cookJail.id, {
      bookingNumber: 'CC-1', subject: { aNumber: 'A223344556', fbiNumber: '77XY1', familyName: 'Lane', givenName: 'Ana', dateOfBirth: '1990-01-02', citizenship: 'HN' },
    }));
    expect(res.status).toBe(201);
    const cookRequest = res.body.id as string;
    const inbox = async (who: UserKey) =>
      ((await as(who).get('/api/v1/notifications')).body.items as { kind: string; detainerId: string; body: string; timeZone: string }[]).filter((n) => n.kind === 'booked_elsewhere');
    const booked = { eventId: 'bk-1', kind: 'booked', at: at(0), bookingNumber: 'KC-NEW-1', subject: { aNumber: 'A-223-344-556' } };
    const changes = await writesOf(async () => {
      expect(await send(keys.king, [booked])).toEqual([{ eventId: 'bk-1', outcome: 'no_open_detainer' }]);
    });
    // officer.chi and supervisor.chi of the issuing office
    expect(changes).toEqual({ custody_events: 1, notifications: 2, booking_alerts: 1 });
    for (const who of ['officerChi', 'supervisorChi'] as const) {
      const alerts = await inbox(who);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ detainerId: cookRequest, timeZone: 'America/Chicago' });
      expect(alerts[0].body).toContain('King County');
    }
    for (const who of ['officerSea', 'supervisorSea', 'jailKing', 'jailCook'] as const) expect(await inbox(who)).toEqual([]);
    // what King can read of its event names nothing of Cook's record
    const stored = await as(keys.king).get('/api/v1/custody-events?eventId=bk-1');
    expect(JSON.stringify(stored.body)).not.toContain(cookRequest);
    // resent: duplicate, no second alert; by FBI number too
    expect(await send(keys.king, [booked])).toEqual([{ eventId: 'bk-1', outcome: 'duplicate' }]);
    expect(await inbox('officerChi')).toHaveLength(1);
    await send(keys.king, [{ ...booked, eventId: 'bk-2', subject: { fbiNumber: '77xy1' } }]);
    expect(await inbox('officerChi')).toHaveLength(2);
    // Cook booking its own person raises nothing
    await send(keys.cook, [{ ...booked, eventId: 'bk-3', bookingNumber: 'CC-1' }]);
    expect(await inbox('officerChi')).toHaveLength(2);
    const read = await as('officerChi').post('/api/v1/notifications/read-all', { kind: 'booked_elsewhere' });
    expect(read.status).toBe(200);
    expect(read.body.marked).toBe(2);
  });

  it("the booking enters the issuing AOR's booked_elsewhere queue, for its supervisors only, until that lodging closes", async () => {
    const res = await as('officerChi').post('/api/v1/detainers', i247aBody(world.facilities.cookJail.id, {
      bookingNumber: 'CC-Q1', subject: { aNumber: 'A334455667', familyName: 'Moss', givenName: 'Eli', dateOfBirth: '1988-05-06', citizenship: 'SV' },
    }));
    expect(res.status).toBe(201);
    const cookRequest = res.body.id as string;
    const queue = async (who: UserKey) => {
      const page = await as(who).get('/api/v1/queues/booked_elsewhere');
      expect(page.status).toBe(200);
      return page.body.items as { detainerId: string; dueAt: string; localTime: string; timeZone: string; issuingArea: { code: string }; actions: { name: string }[] }[];
    };
    const countOf = async (who: UserKey) => {
      const summary = await as(who).get('/api/v1/queues');
      expect(summary.status).toBe(200);
      return (summary.body as { name: string; count: number; oldestDueAt: string | null }[]).find((q) => q.name === 'booked_elsewhere');
    };
    const before = (await countOf('supervisorChi'))!.count;
    const bookedAt = at(-2);
    expect(await send(keys.king, [{ eventId: 'bq-1', kind: 'booked', at: bookedAt, bookingNumber: 'KC-Q1', subject: { aNumber: 'A334455667' } }]))
      .toEqual([{ eventId: 'bq-1', outcome: 'no_open_detainer' }]);

    const items = (await queue('supervisorChi')).filter((i) => i.detainerId === cookRequest);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ dueAt: bookedAt, timeZone: 'America/Chicago', issuingArea: { code: 'CHI' } });
    expect(items[0].actions.map((a) => a.name)).toEqual(['claim', 'assign', 'cancel']);
    expect(await countOf('supervisorChi')).toMatchObject({ count: before + 1 });
    // another AOR's supervisor, and the booking agency, see nothing of it
    expect((await queue('supervisorSea')).map((i) => i.detainerId)).not.toContain(cookRequest);
    expect(await countOf('supervisorSea')).toMatchObject({ count: 0 });
    expect((await as('jailKing').get('/api/v1/queues/booked_elsewhere')).status).toBe(403);
    const stored = await as(keys.king).get('/api/v1/custody-events?eventId=bq-1');
    expect(JSON.stringify(stored.body)).not.toContain(cookRequest);
    // a second booking of the same person keeps one item, due since the earliest booking
    await send(keys.king, [{ eventId: 'bq-2', kind: 'booked', at: at(-1), bookingNumber: 'KC-Q2', subject: { aNumber: 'A334455667' } }]);
    expect((await queue('supervisorChi')).filter((i) => i.detainerId === cookRequest).map((i) => i.dueAt)).toEqual([bookedAt]);
    // the lodging closes: the item leaves
    expect((await as('supervisorChi').post(`/api/v1/detainers/${cookRequest}/cancel`, { reason: 'other', note: 'Booked in King County: lodged again there.' })).status).toBe(200);
    expect((await queue('supervisorChi')).map((i) => i.detainerId)).not.toContain(cookRequest);
    expect(await countOf('supervisorChi')).toMatchObject({ count: before });
  });

  it('every event is kept append-only: the service role cannot change or remove one', async () => {
    const client = new Client({ connectionString: api.database.url });
    await client.connect();
    try {
      for (const statement of ['UPDATE custody_events SET outcome = outcome', 'DELETE FROM custody_events', 'TRUNCATE custody_events',
        'UPDATE booking_alerts SET booked_at = booked_at', 'DELETE FROM booking_alerts', 'TRUNCATE booking_alerts']) {
        await expect(client.query(statement)).rejects.toThrow(/permission denied/);
      }
      // and without a scope the service sees none of them
      expect((await client.query('SELECT count(*)::int AS n FROM custody_events')).rows[0].n).toBe(0);
      expect((await client.query('SELECT count(*)::int AS n FROM booking_alerts')).rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
    const audited = await api.db.read((sql) => sql.query<{ action: string }>(`SELECT DISTINCT action FROM audit_log WHERE action LIKE 'custody_event.%' ORDER BY action`));
    expect(audited.map((a) => a.action)).toEqual(['custody_event.applied', 'custody_event.no_open_detainer', 'custody_event.rejected']);
  });
});
