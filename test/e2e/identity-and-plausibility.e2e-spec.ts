import { buildWorld, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/**
 * An A-number identifies one person: lodging with a number on file for someone else is refused,
 * naming the fields, never the values on file, and an officer of one AOR cannot turn A-numbers into
 * identities known only to another. Implausible input is refused with the field named.
 */
describe('identity by A-number and plausibility (e2e)', () => {
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
  const counts = () =>
    api.db.read((sql) =>
      sql.one<{ detainers: string; events: string; subjects: string; lodgings: string; snapshot: string }>(
        `SELECT (SELECT count(*) FROM detainers) AS detainers, (SELECT count(*) FROM detainer_events) AS events,
                (SELECT count(*) FROM subjects) AS subjects, (SELECT count(*) FROM lodgings) AS lodgings,
                (SELECT string_agg(concat_ws('|', id, a_number, fbi_number, family_name, given_name, date_of_birth, sex, citizenship), ',' ORDER BY id) FROM subjects) AS snapshot`,
      ),
    );
  const onFile = { aNumber: 'A204060801', fbiNumber: '55501AB7', familyName: 'Okonkwo', givenName: 'Chidi', dateOfBirth: '1984-03-09', sex: 'M', citizenship: 'NG' };

  beforeAll(async () => {
    const res = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject: onFile }));
    expect(res.status).toBe(201);
  });

  describe('409 identity_mismatch', () => {
    it.each([
      ['another family name', { familyName: 'Okafor' }, ['subject.familyName']],
      ['another date of birth', { dateOfBirth: '1984-03-10' }, ['subject.dateOfBirth']],
      ['both', { familyName: 'Smith', dateOfBirth: '1990-01-01' }, ['subject.familyName', 'subject.dateOfBirth']],
      ['another given name', { givenName: 'Chinedu' }, ['subject.givenName']],
      ['another citizenship', { citizenship: 'GH' }, ['subject.citizenship']],
    ])('same AOR, %s: names the fields, writes nothing, replaces nothing', async (_name, change, fields) => {
      const before = await counts();
      const res = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject: { ...onFile, ...change } }));
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, error: 'identity_mismatch', code: 'identity_mismatch' });
      expect((res.body.details as { field: string }[]).map((d) => d.field)).toEqual(fields);
      expect(await counts()).toEqual(before);
    });

    it('another AOR cannot learn the identity on file: no value on file appears in any answer', async () => {
      const before = await counts();
      const probes = [
        { aNumber: onFile.aNumber, familyName: 'Guess', givenName: 'Who', dateOfBirth: '1970-01-01', citizenship: 'MX' },
        { aNumber: onFile.aNumber, familyName: onFile.familyName, givenName: onFile.givenName, dateOfBirth: onFile.dateOfBirth, citizenship: onFile.citizenship },
      ];
      const answers = [];
      for (const subject of probes) {
        const res = await post('officerChi', '/api/v1/detainers', i247aBody(world.facilities.cookJail.id, { subject, warrant: { form: 'I-200', number: 'CHI-2026-1' } }));
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('identity_mismatch');
        answers.push(JSON.stringify(res.body));
      }
      // Right name and date of birth, but the sex and FBI number on file are only on Seattle's records: they must be typed to link.
      expect(JSON.parse(answers[1]).details.map((d: { field: string }) => d.field)).toEqual(['subject.sex', 'subject.fbiNumber']);
      for (const text of answers) {
        for (const value of [onFile.familyName, onFile.givenName, onFile.dateOfBirth, onFile.fbiNumber, 'NG', 'Seattle', 'SEA']) {
          expect(text).not.toContain(value);
        }
      }
      const lookup = await api.http.get('/api/v1/subjects').query({ aNumber: onFile.aNumber }).set('Authorization', `Bearer ${tokens.officerChi}`);
      expect(lookup.status).toBe(200);
      expect(lookup.body.items).toEqual([]);
      expect(await counts()).toEqual(before);
    });

    it('another AOR that knows the whole identity links to the person, and gets back exactly what it typed', async () => {
      const res = await post('officerChi', '/api/v1/detainers', i247aBody(world.facilities.cookJail.id, { subject: onFile, warrant: { form: 'I-200', number: 'CHI-2026-2' } }));
      expect(res.status).toBe(201);
      expect(res.body.subject).toMatchObject({ ...onFile, fbiNumber: onFile.fbiNumber });
    });

    it('the same AOR may leave out what it already sees on file (sex, FBI number), and names in another case match', async () => {
      const { sex: _s, fbiNumber: _f, ...rest } = onFile;
      const res = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject: { ...rest, familyName: 'OKONKWO', givenName: ' chidi ' } }));
      expect(res.status).toBe(201);
      expect(res.body.subject).toMatchObject({ familyName: 'Okonkwo', givenName: 'Chidi', fbiNumber: onFile.fbiNumber });
    });

    it('an FBI number on file for a person with another name: found by the FBI number, refused the same way', async () => {
      const before = await counts();
      const res = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, {
        subject: { fbiNumber: onFile.fbiNumber, familyName: 'Other', givenName: 'Person', dateOfBirth: onFile.dateOfBirth, citizenship: 'NG', sex: 'M' },
      }));
      expect(res.status).toBe(409);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['subject.familyName', 'subject.givenName']);
      // in words a person reads, not the API's keys
      expect(res.body.message).toContain('whose family name, given name differ from what you typed');
      expect(res.body.details[0].message).toMatch(/^The family name differs from that of the person on file/);
      expect(await counts()).toEqual(before);
    });
  });

  describe('400 plausibility: the field is named and nothing is written', () => {
    const subject = { aNumber: 'A300000001', familyName: 'Reyes', givenName: 'Luz', dateOfBirth: '1990-04-01', citizenship: 'SV' };
    it.each([
      ['a date of birth in the future', { subject: { ...subject, dateOfBirth: '2027-01-01' } }, 'subject.dateOfBirth'],
      ['a date of birth today (the clock is 2026-11-02)', { subject: { ...subject, dateOfBirth: '2026-11-02' } }, 'subject.dateOfBirth'],
      ['an age of 120', { subject: { ...subject, dateOfBirth: '1906-11-02' } }, 'subject.dateOfBirth'],
      ['a country name for citizenship', { subject: { ...subject, citizenship: 'Nigeria' } }, 'subject.citizenship'],
      ['an alpha-3 code', { subject: { ...subject, citizenship: 'NGA' } }, 'subject.citizenship'],
      ['a code not assigned', { subject: { ...subject, citizenship: 'UK' } }, 'subject.citizenship'],
      ['a family name of spaces', { subject: { ...subject, familyName: '   ' } }, 'subject.familyName'],
      ['a given name of spaces', { subject: { ...subject, givenName: ' \t ' } }, 'subject.givenName'],
      ['a name too long (not cut to fit)', { subject: { ...subject, familyName: 'A'.repeat(101) } }, 'subject.familyName'],
      ['an NCIC code of 5 characters (not cut to fit)', { subject, charges: [{ description: 'Burglary', ncicCode: '22021', level: 'felony', status: 'pending' }] }, 'charges[0].ncicCode'],
      ['a charge description of spaces', { subject, charges: [{ description: '  ', level: 'felony', status: 'pending' }] }, 'charges[0].description'],
    ])('%s', async (_name, overrides, field) => {
      const before = await counts();
      const res = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, overrides));
      expect(res.status).toBe(400);
      expect((res.body.details as { field: string; message: string }[]).map((d) => d.field)).toContain(field);
      expect(await counts()).toEqual(before);
    });

    it('a date of birth 119 years back and a lower-case code are fine', async () => {
      const res = await post('officerSea', '/api/v1/detainers', i247aBody(world.facilities.kingJail.id, { subject: { ...subject, dateOfBirth: '1907-11-03', citizenship: 'sv' } }));
      expect(res.status).toBe(201);
      expect(res.body.subject).toMatchObject({ dateOfBirth: '1907-11-03', citizenship: 'SV' });
    });
  });
});
