import { randomUUID } from 'node:crypto';
import { buildWorld, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/** Corrections: an event with before and after, by who may correct what, 404 outside scope, nothing written on bad input. */
describe('amend (e2e)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
  });
  afterAll(() => api.close());

  const post = (user: UserKey, path: string, body: object) => api.http.post(path).set('Authorization', `Bearer ${tokens[user]}`).send(body);
  const get = (user: UserKey, path: string) => api.http.get(path).set('Authorization', `Bearer ${tokens[user]}`);
  const counts = () =>
    api.db.read((sql) =>
      sql.one<{ events: string; snapshot: string }>(
        `SELECT (SELECT count(*) FROM detainer_events) AS events,
                (SELECT string_agg(concat_ws('|', id, family_name, given_name, date_of_birth, citizenship, fbi_number), ',' ORDER BY id) FROM subjects) ||
                (SELECT string_agg(concat_ws('|', d.id, d.version, d.charges::text, l.booking_number), ',' ORDER BY d.id) FROM detainers d JOIN lodgings l ON l.detainer_id = d.id) AS snapshot`,
      ),
    );
  let serial = 0;
  const issue = async () => {
    serial += 1;
    const res = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, {
      subject: { aNumber: `A5000000${String(serial).padStart(2, '0')}`, familyName: 'Mendoza', givenName: 'Rosa', dateOfBirth: '1985-02-11', sex: 'F', citizenship: 'NI' },
    }));
    expect(res.status).toBe(201);
    return res.body as { id: string; version: number };
  };

  it('the issuing AOR corrects the person and the charges: one record_amended event with before and after, shown in the timeline', async () => {
    const d = await issue();
    const charges = [{ description: 'Theft, third degree', ncicCode: '2399', level: 'misdemeanor', status: 'convicted' }];
    const res = await post('officerSea', `/api/v1/detainers/${d.id}/amend`, {
      reason: 'Nationality mistyped as Nicaragua; the person is Nigerian (I-213)',
      subject: { citizenship: 'NG', dateOfBirth: '1985-02-12' },
      charges,
      expectedVersion: d.version,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: d.version + 1, status: 'issued', charges, subject: { citizenship: 'NG', dateOfBirth: '1985-02-12', familyName: 'Mendoza' } });
    const detail = await get('officerSea', `/api/v1/detainers/${d.id}`);
    expect(detail.body.subject).toMatchObject({ citizenship: 'NG', dateOfBirth: '1985-02-12' });
    expect(detail.body.mayAmend).toEqual(['subject', 'charges']);
    const event = (detail.body.events as { kind: string; data: Record<string, unknown> }[]).find((e) => e.kind === 'record_amended');
    expect(event?.data).toEqual({
      reason: 'Nationality mistyped as Nicaragua; the person is Nigerian (I-213)',
      before: { subject: { dateOfBirth: '1985-02-11', citizenship: 'NI' }, charges: [{ description: 'Burglary, second degree', ncicCode: '2202', level: 'felony', status: 'pending' }] },
      after: { subject: { dateOfBirth: '1985-02-12', citizenship: 'NG' }, charges },
    });
    // the jail sees the corrected record too, and the change in its timeline
    const jail = await get('jailKing', `/api/v1/detainers/${d.id}`);
    expect(jail.body.subject.citizenship).toBe('NG');
    expect(jail.body.mayAmend).toEqual(['bookingNumber']);
    expect(jail.body.events.map((e: { kind: string }) => e.kind)).toContain('record_amended');
  });

  it("the person on file is stamped by the service clock (created, corrected), not the database's", async () => {
    api.clock.set('2026-11-03T10:00:00Z');
    const d = await issue();
    const stamps = () => api.db.read((sql) => sql.one<{ created_at: Date; updated_at: Date }>('SELECT s.created_at, s.updated_at FROM subjects s JOIN detainers d ON d.subject_id = s.id WHERE d.id = $1', [d.id]));
    expect(await stamps()).toEqual({ created_at: new Date('2026-11-03T10:00:00Z'), updated_at: new Date('2026-11-03T10:00:00Z') });
    api.clock.set('2026-11-03T11:00:00Z');
    const res = await post('officerSea', `/api/v1/detainers/${d.id}/amend`, { reason: 'Given name misspelt', subject: { givenName: 'Rosalia' }, expectedVersion: d.version });
    expect(res.status).toBe(200);
    expect(await stamps()).toEqual({ created_at: new Date('2026-11-03T10:00:00Z'), updated_at: new Date('2026-11-03T11:00:00Z') });
    api.clock.set('2026-11-02T15:00:00Z');
  });

  it('the holding agency corrects its booking number; the officer may not, and the jail may not touch the person', async () => {
    const d = await issue();
    const ok = await post('jailKing', `/api/v1/detainers/${d.id}/amend`, { reason: 'JMS booking number', bookingNumber: '2026-004411' });
    expect(ok.status).toBe(200);
    expect(ok.body.bookingNumber).toBe('2026-004411');
    const before = await counts();
    const officer = await post('officerSea', `/api/v1/detainers/${d.id}/amend`, { reason: 'x', bookingNumber: 'B-9' });
    const jail = await post('jailKing', `/api/v1/detainers/${d.id}/amend`, { reason: 'x', subject: { familyName: 'Other' } });
    for (const res of [officer, jail]) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    expect(await counts()).toEqual(before);
  });

  it('404 outside scope (another AOR, another agency, unknown id) and 403 for roles that never amend; nothing written', async () => {
    const d = await issue();
    const before = await counts();
    for (const [user, id] of [['officerChi', d.id], ['jailCook', d.id], ['supervisorChi', d.id], ['officerSea', randomUUID()]] as const) {
      const res = await post(user, `/api/v1/detainers/${id}/amend`, { reason: 'probe', subject: { familyName: 'Probe' } });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'not_found', message: 'No detainer with this id.' });
    }
    for (const user of ['analyst', 'admin'] as const) {
      expect((await post(user, `/api/v1/detainers/${d.id}/amend`, { reason: 'probe', charges: [] })).status).toBe(403);
    }
    expect(await counts()).toEqual(before);
  });

  it('400 with the field named and nothing written', async () => {
    const d = await issue();
    const before = await counts();
    const cases: [object, string][] = [
      [{ subject: { familyName: 'X' } }, 'reason'],
      [{ reason: '   ', subject: { familyName: 'X' } }, 'reason'],
      [{ reason: 'r' }, 'body'],
      [{ reason: 'r', subject: { dateOfBirth: '2099-01-01' } }, 'subject.dateOfBirth'],
      [{ reason: 'r', subject: { dateOfBirth: '1880-01-01' } }, 'subject.dateOfBirth'],
      [{ reason: 'r', subject: { citizenship: 'Nigeria' } }, 'subject.citizenship'],
      [{ reason: 'r', subject: { givenName: '  ' } }, 'subject.givenName'],
      [{ reason: 'r', subject: { aNumber: 'A000000001' } }, 'subject.aNumber'],
      [{ reason: 'r', charges: [{ description: 'Burglary', ncicCode: '22021', level: 'felony', status: 'pending' }] }, 'charges[0].ncicCode'],
      [{ reason: 'r', subject: { familyName: 'Mendoza' } }, 'body'],
      [{ reason: 'r', charges: [], expectedVersion: 'one' }, 'expectedVersion'],
    ];
    for (const [body, field] of cases) {
      const res = await post('officerSea', `/api/v1/detainers/${d.id}/amend`, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect((res.body.details as { field: string }[]).map((x) => x.field)).toContain(field);
    }
    expect(await counts()).toEqual(before);
  });

  it('a correction of a person on several detainers is on every one of their timelines, in any AOR, naming where it was made', async () => {
    // the same person (one A-number), lodged twice in Seattle's AOR and once by Chicago's
    const person = { aNumber: 'A600000001', familyName: 'Okafor', givenName: 'Chidi', dateOfBirth: '1988-04-03', sex: 'M', citizenship: 'NI' };
    const lodge = async (user: UserKey, facilityId: string) => {
      const res = await post(user, '/api/v1/detainers', i247aBody(facilityId, { subject: person }));
      expect(res.status).toBe(201);
      return res.body as { id: string; version: number; subject: { id: string } };
    };
    const first = await lodge('officerSea', world.facilities.kingJail.id);
    const second = await lodge('officerSea', world.facilities.snohomishJail.id);
    const chicago = await lodge('officerChi', world.facilities.cookJail.id);
    expect(new Set([first.subject.id, second.subject.id, chicago.subject.id]).size).toBe(1);
    await post('jailCook', `/api/v1/detainers/${chicago.id}/acknowledge`, { response: 'will_comply' });
    const chicagoBefore = (await get('officerChi', `/api/v1/detainers/${chicago.id}`)).body as { version: number; charges: unknown };

    const charges = [{ description: 'Assault, fourth degree', level: 'misdemeanor', status: 'pending' }];
    const res = await post('officerSea', `/api/v1/detainers/${first.id}/amend`, {
      reason: 'Citizenship mistyped as Nicaragua; the passport is Nigerian', subject: { citizenship: 'NG' }, charges,
    });
    expect(res.status).toBe(200);

    const corrected = { reason: 'Citizenship mistyped as Nicaragua; the passport is Nigerian', before: { subject: { citizenship: 'NI' } }, after: { subject: { citizenship: 'NG' } }, correctedOn: first.id };
    const amendments = (body: { events: { kind: string; data: Record<string, unknown>; actor: { id: string | null } }[] }) => body.events.filter((e) => e.kind === 'record_amended');
    for (const [user, id] of [['officerSea', second.id], ['officerChi', chicago.id], ['jailCook', chicago.id], ['jailSnohomish', second.id]] as const) {
      const detail = await get(user, `/api/v1/detainers/${id}`);
      expect({ user, status: detail.status, citizenship: detail.body.subject.citizenship }).toEqual({ user, status: 200, citizenship: 'NG' });
      const found = amendments(detail.body);
      expect({ user, data: found.map((e) => e.data) }).toEqual({ user, data: [corrected] }); // the person only: the charges are the amended record's own
      expect(found[0].actor.id).toBe(world.users.officerSea.id);
    }
    // on the record it was made on: once, with the charges, and no correctedOn
    const own = amendments((await get('officerSea', `/api/v1/detainers/${first.id}`)).body);
    expect(own.map((e) => e.data)).toEqual([{ reason: corrected.reason, before: { subject: { citizenship: 'NI' }, charges: [expect.objectContaining({ ncicCode: '2202' })] }, after: { subject: { citizenship: 'NG' }, charges } }]);
    // Chicago's record moved on one version (its charges untouched), so a stale action there is refused, not applied over it
    const chicagoAfter = (await get('officerChi', `/api/v1/detainers/${chicago.id}`)).body as { version: number; charges: unknown };
    expect(chicagoAfter).toMatchObject({ version: chicagoBefore.version + 1, charges: chicagoBefore.charges });
  });

  it('a correction of charges or a booking number stays on its own record', async () => {
    const person = { aNumber: 'A600000002', familyName: 'Adeyemi', givenName: 'Tola', dateOfBirth: '1990-09-09', sex: 'F', citizenship: 'NG' };
    const ids: string[] = [];
    for (let k = 0; k < 2; k += 1) {
      const r = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject: person }));
      expect(r.status).toBe(201);
      ids.push(r.body.id);
    }
    const before = await get('officerSea', `/api/v1/detainers/${ids[1]}`);
    expect((await post('officerSea', `/api/v1/detainers/${ids[0]}/amend`, { reason: 'charge', charges: [] })).status).toBe(200);
    expect((await post('jailKing', `/api/v1/detainers/${ids[0]}/amend`, { reason: 'JMS', bookingNumber: 'KC-77' })).status).toBe(200);
    const after = await get('officerSea', `/api/v1/detainers/${ids[1]}`);
    expect(after.body.version).toBe(before.body.version);
    expect(after.body.events).toHaveLength(before.body.events.length);
  });

  it('a stale expectedVersion is a 409 and nothing changes', async () => {
    const d = await issue();
    await post('jailKing', `/api/v1/detainers/${d.id}/acknowledge`, { response: 'will_comply' });
    const before = await counts();
    const res = await post('officerSea', `/api/v1/detainers/${d.id}/amend`, { reason: 'r', charges: [], expectedVersion: d.version });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('version_conflict');
    expect(await counts()).toEqual(before);
  });
});
