import { Sql } from '@app/persistence';

export interface ReleaseScheduledFixture {
  areaId: string;
  jurisdictionId: string;
  agencyId: string;
  facilityId: string;
}

/**
 * One AOR, King County's jail with a jail user and an officer, and `count` detainers whose release is
 * scheduled there, each with its one lodging: what the reminder benchmarks hang their reminders on.
 */
export async function seedReleaseScheduledDetainers(sql: Sql, count: number): Promise<ReleaseScheduledFixture> {
  const area = (await sql.one<{ id: string }>(`INSERT INTO areas (code, name) VALUES ('BEN', 'Bench') RETURNING id`))!.id;
  const j = (await sql.one<{ id: string }>(`INSERT INTO jurisdictions (code, name, kind, state, fips) VALUES ('US-WA-53033', 'King County', 'county', 'WA', '53033') RETURNING id`))!.id;
  const a = (await sql.one<{ id: string }>(`INSERT INTO agencies (ori, name, jurisdiction_id) VALUES ('WA0170000', 'King County', $1) RETURNING id`, [j]))!.id;
  const f = (await sql.one<{ id: string }>(`INSERT INTO facilities (agency_id, name, time_zone, area_id) VALUES ($1, 'King County Jail', 'America/Los_Angeles', $2) RETURNING id`, [a, area]))!.id;
  await sql.execute(`INSERT INTO users (username, password_hash, role, agency_id) VALUES ('jail', 'x', 'jail_staff', $1)`, [a]);
  await sql.execute(`INSERT INTO users (username, password_hash, role, area_id) VALUES ('officer', 'x', 'officer', $1)`, [area]);
  const s = (await sql.one<{ id: string }>(`INSERT INTO subjects (family_name, given_name, date_of_birth, citizenship) VALUES ('B', 'B', '1980-01-01', 'MX') RETURNING id`))!.id;
  await sql.execute(
    `INSERT INTO detainers (id, form, status, version, subject_id, area_id, issued_at, recorded_at, channel, probable_cause, charges, current_lodging_seq,
       facility_id, agency_id, jurisdiction_id, declined, short_notice, missed_pickup, updated_at)
     SELECT gen_random_uuid(), 'I-247A', 'release_scheduled', 3, $1, $2, now(), now(), 'electronic', ARRAY['biometric_match'], '[]', 1, $3, $4, $5, false, false, false, now()
     FROM generate_series(1, $6)`,
    [s, area, f, a, j, count],
  );
  await sql.execute(
    `INSERT INTO lodgings (detainer_id, seq, facility_id, agency_id, jurisdiction_id, area_id, time_zone, status, opened_at, declined, short_notice, missed_pickup)
     SELECT id, 1, $1, $2, $3, $4, 'America/Los_Angeles', 'release_scheduled', now(), false, false, false FROM detainers`,
    [f, a, j, area],
  );
  return { areaId: area, jurisdictionId: j, agencyId: a, facilityId: f };
}
