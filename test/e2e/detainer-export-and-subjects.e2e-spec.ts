import { randomUUID } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { buildWorld, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/** GET /detainers.csv (same filters, scoped, identities only for who may see them) and GET /subjects/:id (a repeat subject). */
describe('detainer CSV export and subjects (e2e)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  let subjectId: string;
  const ids: string[] = [];
  let chiId: string;

  const get = (user: UserKey, path: string, query: Record<string, string> = {}) => api.http.get(path).query(query).set('Authorization', `Bearer ${tokens[user]}`);
  const parse = (text: string): string[][] => parseCsv(text);

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
    const repeat = { aNumber: 'A800000001', familyName: 'Example', givenName: 'Repeat', dateOfBirth: '1979-06-14', sex: 'M', citizenship: 'MX' };
    for (const [i, facility] of [world.facilities.kingJail, world.facilities.snohomishJail, world.facilities.kingJail].entries()) {
      const res = await api.http.post('/api/v1/detainers').set('Authorization', `Bearer ${tokens.officerSea}`)
        .send(i247aBody(facility.id, { subject: repeat, bookingNumber: `B-${i}`, warrant: { form: 'I-200', number: `W-${i}` }, issuedAt: new Date(api.clock.now().getTime() - (10 - i) * 3_600_000).toISOString() }));
      expect(res.status).toBe(201);
      ids.push(res.body.id);
      subjectId = res.body.subject.id;
    }
    // the same person, known to Chicago too (the whole identity typed)
    const chi = await api.http.post('/api/v1/detainers').set('Authorization', `Bearer ${tokens.officerChi}`)
      .send(i247aBody(world.facilities.cookJail.id, { subject: repeat, bookingNumber: 'CC-1', warrant: { form: 'I-200', number: 'W-CHI' } }));
    expect(chi.status).toBe(201);
    chiId = chi.body.id;
  });
  afterAll(() => api.close());

  it('the CSV has a row per detainer in scope, with identity columns, and the same filters as the list', async () => {
    const res = await get('officerSea', '/api/v1/detainers.csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="detainers-\d{4}-\d{2}-\d{2}\.csv"/);
    const [header, ...rows] = parse(res.text);
    expect(header).toEqual(expect.arrayContaining(['detainer_id', 'booking_number', 'issued_at_local', 'time_zone', 'agency_ori', 'a_number', 'family_name', 'date_of_birth']));
    expect(rows.map((r) => r[header.indexOf('detainer_id')]).sort()).toEqual([...ids].sort());
    expect(rows[0][header.indexOf('a_number')]).toBe('A800000001');
    expect(rows[0][header.indexOf('time_zone')]).toBe('America/Los_Angeles');
    const filtered = parse((await get('officerSea', '/api/v1/detainers.csv', { facilityId: world.facilities.snohomishJail.id })).text);
    expect(filtered.slice(1).map((r) => r[0])).toEqual([ids[1]]);
    const searched = parse((await get('officerSea', '/api/v1/detainers.csv', { q: 'B-2' })).text);
    expect(searched.slice(1).map((r) => r[0])).toEqual([ids[2]]);
    const sorted = parse((await get('officerSea', '/api/v1/detainers.csv', { sort: 'issuedAt' })).text);
    expect(sorted.slice(1).map((r) => r[0])).toEqual(ids);
  });

  it('is scoped: a jail exports only its agency, another AOR only its own; analysts are refused', async () => {
    const king = parse((await get('jailKing', '/api/v1/detainers.csv')).text);
    expect(king.slice(1).map((r) => r[0]).sort()).toEqual([ids[0], ids[2]].sort());
    const chi = parse((await get('officerChi', '/api/v1/detainers.csv')).text);
    expect(chi.slice(1).map((r) => r[0])).toEqual([chiId]);
    const analyst = await get('analyst', '/api/v1/detainers.csv');
    expect(analyst.status).toBe(403);
    const bad = await get('officerSea', '/api/v1/detainers.csv', { status: 'nonsense' });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('status');
  });

  it('a cell that a spreadsheet would run as a formula is neutralised', async () => {
    const res = await api.http.post('/api/v1/detainers').set('Authorization', `Bearer ${tokens.officerSea}`)
      .send(i247aBody(world.facilities.kingJail.id, { subject: { familyName: 'Plain', givenName: 'Name', dateOfBirth: '1970-01-01', citizenship: 'MX' }, bookingNumber: '=HYPERLINK("x")', warrant: { form: 'I-200', number: 'W-F' } }));
    expect(res.status).toBe(201);
    const csv = (await get('officerSea', '/api/v1/detainers.csv', { q: '=HYPERLINK("x")' })).text;
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('GET /subjects/:id: the person and every detainer on them the caller may see', async () => {
    const sea = await get('officerSea', `/api/v1/subjects/${subjectId}`);
    expect(sea.status).toBe(200);
    expect(sea.body).toMatchObject({ id: subjectId, aNumber: 'A800000001', familyName: 'Example' });
    expect(sea.body.detainers.map((d: { id: string }) => d.id)).toEqual([...ids].reverse());
    const chi = await get('officerChi', `/api/v1/subjects/${subjectId}`);
    expect(chi.body.detainers.map((d: { id: string }) => d.id)).toEqual([chiId]);
    const jail = await get('jailSnohomish', `/api/v1/subjects/${subjectId}`);
    expect(jail.body.detainers.map((d: { id: string }) => d.id)).toEqual([ids[1]]);
  });

  it('GET /subjects/:id: 404 for a person the caller sees no detainer of, an unknown or malformed id; 403 for analysts', async () => {
    const other = await api.http.post('/api/v1/detainers').set('Authorization', `Bearer ${tokens.officerSea}`)
      .send(i247aBody(world.facilities.kingJail.id, { subject: { familyName: 'Only', givenName: 'Seattle', dateOfBirth: '1971-01-01', citizenship: 'MX' }, warrant: { form: 'I-200', number: 'W-O' } }));
    for (const [user, id] of [['officerChi', other.body.subject.id], ['jailFranklinPA', subjectId], ['officerPhi', subjectId], ['officerSea', randomUUID()], ['officerSea', 'not-a-uuid']] as const) {
      const res = await get(user, `/api/v1/subjects/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.message).toBe('No subject with this id.');
    }
    expect((await get('analyst', `/api/v1/subjects/${subjectId}`)).status).toBe(403);
  });

  it('facility lists name the agency, its ORI and state, so same-named jails are told apart', async () => {
    const res = await get('admin', '/api/v1/facilities', { limit: '500' });
    expect(res.status).toBe(200);
    const franklins = (res.body.items as { name: string; agencyName: string; agencyOri: string; state: string }[]).filter((f) => f.name === 'Franklin County Jail');
    expect(franklins.map((f) => `${f.agencyOri} ${f.state} ${f.agencyName}`).sort()).toEqual(['IA0350000 IA Franklin County Sheriff', 'PA0280000 PA Franklin County Sheriff']);
    const one = await get('officerSea', `/api/v1/facilities/${world.facilities.kingJail.id}`);
    expect(one.body).toMatchObject({ agencyOri: 'WA0170000', state: 'WA' });
  });
});
