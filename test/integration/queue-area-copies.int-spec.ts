import { Database } from '@app/persistence';
import { asSuperuser, buildWorld, i247aBody, startTestApi, TestApi, tokenFor, World } from '@test/support';

/**
 * The AORs copied for the queues' indexes (lodgings.issuing_area_id, detainers.current_area_id) are
 * kept by the database: right on every write, impossible to set to anything else, and also set by
 * bulk loads that run with session_replication_role = replica (as the benchmark generator does).
 */
describe('queue AOR copies (real database)', () => {
  let api: TestApi;
  let world: World;
  let db: Database;

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    db = api.db;
  });
  afterAll(() => api.close());

  const rows = (id: string) =>
    db.read(async (sql) => ({
      detainer: await sql.one<{ area_id: string; current_area_id: string }>('SELECT area_id, current_area_id FROM detainers WHERE id = $1', [id]),
      lodgings: await sql.query<{ seq: number; area_id: string; issuing_area_id: string }>('SELECT seq, area_id, issuing_area_id FROM lodgings WHERE detainer_id = $1 ORDER BY seq', [id]),
    }));

  it('follow the facts through a transfer into another AOR', async () => {
    const officer = await tokenFor(api.http, world.users.officerSea.username);
    const jail = await tokenFor(api.http, world.users.jailKing.username);
    const issued = await api.http.post('/api/v1/detainers').set('Authorization', `Bearer ${officer}`).send(i247aBody(world.facilities.kingJail.id));
    expect(issued.status).toBe(201);
    const id = issued.body.id as string;
    const sea = world.areas.SEA.id;
    const chi = world.areas.CHI.id;
    expect(await rows(id)).toEqual({ detainer: { area_id: sea, current_area_id: sea }, lodgings: [{ seq: 1, area_id: sea, issuing_area_id: sea }] });

    await api.http.post(`/api/v1/detainers/${id}/acknowledge`).set('Authorization', `Bearer ${jail}`).send({ response: 'will_comply' }).expect(200);
    await api.http
      .post(`/api/v1/detainers/${id}/release`)
      .set('Authorization', `Bearer ${jail}`)
      .send({ at: api.clock.now().toISOString(), destination: 'other_agency', toFacilityId: world.facilities.cookJail.id })
      .expect(200);
    expect(await rows(id)).toEqual({
      detainer: { area_id: sea, current_area_id: chi },
      lodgings: [{ seq: 1, area_id: sea, issuing_area_id: sea }, { seq: 2, area_id: chi, issuing_area_id: sea }],
    });

    // nobody can write a different value: the triggers recompute it
    await db.transaction(async (sql) => {
      await sql.execute('UPDATE lodgings SET issuing_area_id = $2 WHERE detainer_id = $1', [id, chi]);
      await sql.execute('UPDATE detainers SET current_area_id = $2 WHERE id = $1', [id, sea]);
    });
    expect((await rows(id)).detainer?.current_area_id).toBe(chi);
    expect((await rows(id)).lodgings.map((l) => l.issuing_area_id)).toEqual([sea, sea]);
  });

  it('are set by bulk loads in replica mode too', async () => {
    const id = '6f1b5f6e-0000-4000-8000-000000000006';
    const moved = '6f1b5f6e-0000-4000-8000-000000000007';
    // a bulk load runs as a superuser (replica mode needs one)
    await asSuperuser(api.database, async (sql) => {
      await sql.query('BEGIN');
      await sql.query(`SET LOCAL session_replication_role = replica`);
      const subject = (await sql.query<{ id: string }>(
        `INSERT INTO subjects (family_name, given_name, date_of_birth, citizenship) VALUES ('Bulk', 'Load', '1970-01-01', 'MX') RETURNING id`,
      )).rows[0];
      await sql.query(
        `INSERT INTO detainers (id, form, status, version, subject_id, area_id, issued_at, recorded_at, channel, probable_cause, charges,
           current_lodging_seq, facility_id, agency_id, jurisdiction_id, declined, short_notice, missed_pickup, updated_at)
         VALUES ($1, 'I-247A', 'issued', 1, $2, $3, now(), now(), 'fax', ARRAY['biometric_match'], '[]', 1, $4, $5, $6, false, false, false, now())`,
        [id, subject.id, world.areas.SEA.id, world.facilities.kingJail.id, world.agencies.king.id, world.jurisdictions.king.id],
      );
      await sql.query(
        `INSERT INTO lodgings (detainer_id, seq, facility_id, agency_id, jurisdiction_id, area_id, time_zone, status, opened_at, declined, short_notice, missed_pickup)
         VALUES ($1, 1, $2, $3, $4, $5, 'America/Los_Angeles', 'issued', now(), false, false, false)`,
        [id, world.facilities.kingJail.id, world.agencies.king.id, world.jurisdictions.king.id, world.areas.SEA.id],
      );
      // a detainer loaded as it ended (at Cook County), then its earlier lodging at King County
      await sql.query(
        `INSERT INTO detainers (id, form, status, version, subject_id, area_id, issued_at, recorded_at, channel, probable_cause, charges,
           current_lodging_seq, facility_id, agency_id, jurisdiction_id, declined, short_notice, missed_pickup, updated_at)
         VALUES ($1, 'I-247A', 'issued', 1, $2, $3, now(), now(), 'fax', ARRAY['biometric_match'], '[]', 2, $4, $5, $6, false, false, false, now())`,
        [moved, subject.id, world.areas.PHI.id, world.facilities.cookJail.id, world.agencies.cook.id, world.jurisdictions.cook.id],
      );
      for (const [seq, f, a, j, area] of [[2, 'cookJail', 'cook', 'cook', 'CHI'], [1, 'kingJail', 'king', 'king', 'SEA']] as const) {
        await sql.query(
          `INSERT INTO lodgings (detainer_id, seq, facility_id, agency_id, jurisdiction_id, area_id, time_zone, status, opened_at, declined, short_notice, missed_pickup)
           VALUES ($1, $2, $3, $4, $5, $6, 'America/Chicago', $7, now(), false, false, false)`,
          [moved, seq, world.facilities[f].id, world.agencies[a].id, world.jurisdictions[j].id, world.areas[area].id, seq === 1 ? 'transferred' : 'issued'],
        );
      }
      await sql.query('COMMIT');
    });
    const sea = world.areas.SEA.id;
    expect(await rows(id)).toEqual({ detainer: { area_id: sea, current_area_id: sea }, lodgings: [{ seq: 1, area_id: sea, issuing_area_id: sea }] });
    // the earlier lodging's AOR and agency joined the detainer's reach (what row-level security reads)
    expect(await db.read((sql) => sql.one('SELECT former_area_ids, former_agency_ids FROM detainers WHERE id = $1', [moved]))).toEqual({
      former_area_ids: [sea], former_agency_ids: [world.agencies.king.id],
    });
  });

  it('a statement of several lodgings of one detainer gives the reach those lodgings give one at a time', async () => {
    // issued in St. Paul, loaded as it ended (at Cook County, CHI), after King County (SEA) and Franklin County PA (PHI)
    const together = '6f1b5f6e-0000-4000-8000-000000000008';
    const oneByOne = '6f1b5f6e-0000-4000-8000-000000000009';
    const stops = [[1, 'kingJail', 'king', 'SEA', 'transferred'], [2, 'franklinPAJail', 'franklinPA', 'PHI', 'transferred'], [3, 'cookJail', 'cook', 'CHI', 'issued']] as const;
    const lodging = (id: string, [seq, f, a, area, status]: (typeof stops)[number]) => [id, seq, world.facilities[f].id, world.agencies[a].id, world.jurisdictions[a].id, world.areas[area].id, status];
    await asSuperuser(api.database, async (sql) => {
      await sql.query('BEGIN');
      const subject = (await sql.query<{ id: string }>(
        `INSERT INTO subjects (family_name, given_name, date_of_birth, citizenship) VALUES ('Three', 'Stops', '1970-01-01', 'MX') RETURNING id`,
      )).rows[0];
      for (const id of [together, oneByOne]) {
        await sql.query(
          `INSERT INTO detainers (id, form, status, version, subject_id, area_id, issued_at, recorded_at, channel, probable_cause, charges,
             current_lodging_seq, facility_id, agency_id, jurisdiction_id, declined, short_notice, missed_pickup, updated_at)
           VALUES ($1, 'I-247A', 'issued', 1, $2, $3, now(), now(), 'fax', ARRAY['biometric_match'], '[]', 3, $4, $5, $6, false, false, false, now())`,
          [id, subject.id, world.areas.SPM.id, world.facilities.cookJail.id, world.agencies.cook.id, world.jurisdictions.cook.id],
        );
      }
      const columns = `detainer_id, seq, facility_id, agency_id, jurisdiction_id, area_id, status, time_zone, opened_at, declined, short_notice, missed_pickup`;
      await sql.query(
        `INSERT INTO lodgings (${columns}) VALUES
           ($1, $2, $3, $4, $5, $6, $7, 'America/Chicago', now(), false, false, false),
           ($8, $9, $10, $11, $12, $13, $14, 'America/Chicago', now(), false, false, false),
           ($15, $16, $17, $18, $19, $20, $21, 'America/Chicago', now(), false, false, false)`,
        stops.flatMap((stop) => lodging(together, stop)),
      );
      for (const stop of [stops[2], stops[0], stops[1]]) {
        await sql.query(`INSERT INTO lodgings (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, 'America/Chicago', now(), false, false, false)`, lodging(oneByOne, stop));
      }
      await sql.query('COMMIT');
    });
    const reach = (id: string) => db.read(async (sql) => ({
      detainer: await sql.one<{ areas: string[]; agencies: string[] }>(
        `SELECT ARRAY(SELECT unnest(former_area_ids) ORDER BY 1) AS areas, ARRAY(SELECT unnest(former_agency_ids) ORDER BY 1) AS agencies FROM detainers WHERE id = $1`, [id]),
      lodgings: await sql.query<{ seq: number; issuing_area_id: string; others: string[] }>(
        `SELECT seq, issuing_area_id, ARRAY(SELECT unnest(other_area_ids) ORDER BY 1) AS others FROM lodgings WHERE detainer_id = $1 ORDER BY seq`, [id]),
    }));
    const sorted = (...ids: string[]) => [...ids].sort();
    const { SEA, PHI, CHI, SPM } = world.areas;
    const expected = {
      detainer: { areas: sorted(SEA.id, PHI.id), agencies: sorted(world.agencies.king.id, world.agencies.franklinPA.id) },
      lodgings: [
        { seq: 1, issuing_area_id: SPM.id, others: sorted(CHI.id, PHI.id) },
        { seq: 2, issuing_area_id: SPM.id, others: sorted(CHI.id, SEA.id) },
        { seq: 3, issuing_area_id: SPM.id, others: sorted(PHI.id, SEA.id) },
      ],
    };
    expect(await reach(together)).toEqual(expected);
    expect(await reach(oneByOne)).toEqual(expected);
  });
});
