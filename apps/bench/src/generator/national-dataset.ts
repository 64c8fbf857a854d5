import { createDataSource, Database, migrationSessionOptions, roleOf, Sql } from '@app/persistence';
import { FORM_RULES } from '@app/domain';
import { AORS, COUNTY_NAMES, STATES } from './states';

export interface NationalDatasetOptions {
  /** How many detainers (the issues' benchmarks use 3,000,000). */
  detainers: number;
  /** The instant the data set is "as of": issue dates span the ten years before it; open cases sit around it. */
  asOf: Date;
  /** Changes every pseudo-random choice; the same options always give the same data. */
  salt?: number;
  /**
   * Skip foreign-key triggers while loading (needs a superuser). The small-scale integration test
   * loads with every check on, which is what shows the generated rows are consistent.
   */
  skipForeignKeyChecks?: boolean;
  log?: (line: string) => void;
}

export interface NationalDataset {
  asOf: Date;
  detainers: number;
  lodgings: number;
  jurisdictions: number;
  agencies: number;
  facilities: number;
  areas: number;
  seconds: number;
}

export const DEFAULT_AS_OF = new Date('2026-11-21T17:00:00Z');
const CHUNK = 250_000;

/**
 * A deterministic national data set for benchmarks: ~3,200 jurisdictions (every county of every
 * state, same names repeating across states, plus state prisons), one sheriff and jail per county,
 * twenty AORs, restrictive policies for some counties, and detainers over ten years in every
 * lifecycle state, with transfers to state prisons, declines of each kind (some recorded long after
 * issue), missed pickups, short notices, and open cases around `asOf`.
 *
 * It fills the projection tables (detainers, lodgings) by set-based SQL, plus one event per decline
 * (carrying its source) for the report's fidelity figures. Events are markers, not a replayable
 * history: benchmarks read; they do not act on these detainers.
 */
export async function generateNationalDataset(url: string, opts: NationalDatasetOptions): Promise<NationalDataset> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const salt = opts.salt ?? 1;
  const dataSource = createDataSource({ url, applicationName: 'bench-generator', poolSize: 2, sessionOptions: migrationSessionOptions(roleOf(url)) });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
    const db = new Database(dataSource);
    await db.read(async (sql) => {
      await sql.query(`SET synchronous_commit = off`);
      if (opts.skipForeignKeyChecks) await sql.query(`SET session_replication_role = replica`);
      await sql.query(`SET work_mem = '256MB'`);
      const ref = await createReferenceData(sql, salt);
      log(`reference data: ${ref.jurisdictions} jurisdictions, ${ref.facilities} facilities, ${AORS.length} AORs`);
      const subjects = Math.max(1, Math.floor(opts.detainers * 0.8));
      await sql.query(`
        INSERT INTO subjects (id, a_number, family_name, given_name, date_of_birth, sex, citizenship)
        SELECT md5('subject-' || s)::uuid, lpad((100000000 + s)::text, 9, '0'), 'Family' || (s % 9973), 'Given' || (s % 997),
               date '1955-01-01' + (s % 17000), (ARRAY['M','M','M','F','X'])[1 + s % 5], (ARRAY['MX','GT','HN','SV','CN','IN','DO','CU'])[1 + s % 8]
        FROM generate_series(1, $1::int) s`, [subjects]);
      log(`subjects: ${subjects.toLocaleString('en-US')}`);
      for (let lo = 1; lo <= opts.detainers; lo += CHUNK) {
        const hi = Math.min(opts.detainers, lo + CHUNK - 1);
        await insertDetainers(sql, lo, hi, subjects, ref.countyFacilities, opts.asOf, salt);
        log(`detainers: ${hi.toLocaleString('en-US')} of ${opts.detainers.toLocaleString('en-US')}`);
      }
      await sql.query('DROP TABLE IF EXISTS gen_facility');
      await storeDatasetContributions(sql);
      await storeDatasetProfileContributions(sql);
      log('report and profile contributions stored');
    });
    // VACUUM, not only ANALYZE: until the visibility map is set, index-only scans (the profile's
    // count, the queues' counts) visit the heap, which a live database's autovacuum would have spared.
    // It cannot run inside the generating transaction. Every table, not a list: those that triggers
    // fill (the former reach of a transferred detainer) need statistics too, and a list forgets them.
    await dataSource.query('VACUUM (ANALYZE)');
    log('vacuumed and analysed');
    const counts = await db.read((sql) =>
      sql.one<{ d: string; l: string; j: string; a: string; f: string; r: string }>(
        `SELECT (SELECT count(*) FROM detainers) d, (SELECT count(*) FROM lodgings) l, (SELECT count(*) FROM jurisdictions) j,
                (SELECT count(*) FROM agencies) a, (SELECT count(*) FROM facilities) f, (SELECT count(*) FROM areas) r`,
      ),
    );
    return {
      asOf: opts.asOf,
      detainers: Number(counts?.d),
      lodgings: Number(counts?.l),
      jurisdictions: Number(counts?.j),
      agencies: Number(counts?.a),
      facilities: Number(counts?.f),
      areas: Number(counts?.r),
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await dataSource.destroy();
  }
}

async function createReferenceData(sql: Sql, salt: number): Promise<{ jurisdictions: number; facilities: number; countyFacilities: number }> {
  await sql.query(
    `INSERT INTO areas (id, code, name) SELECT md5('area-' || code)::uuid, code, name FROM unnest($1::text[], $2::text[]) AS a(code, name)`,
    [AORS.map((a) => a.code), AORS.map((a) => a.name)],
  );
  await sql.query(
    `INSERT INTO users (id, username, password_hash, role, area_id)
     SELECT md5('officer-' || code)::uuid, 'bench.officer.' || lower(code), 'not-a-login', 'officer', md5('area-' || code)::uuid FROM unnest($1::text[]) code`,
    [AORS.map((a) => a.code)],
  );
  const rows: { state: string; fips: string | null; name: string; kind: 'county' | 'state'; zone: string; aor: string; ori: string; agency: string; facility: string }[] = [];
  for (const s of STATES) {
    rows.push({ state: s.state, fips: null, name: `State of ${s.state}`, kind: 'state', zone: s.zone, aor: s.aor, ori: `${s.state}0000DOC`, agency: `${s.state} Department of Corrections`, facility: `${s.state} State Prison` });
    for (let k = 1; k <= s.counties; k += 1) {
      const county = String(2 * k - 1).padStart(3, '0');
      const name = `${COUNTY_NAMES[(k * 7 + s.fips.charCodeAt(1) + salt) % COUNTY_NAMES.length]} County`;
      rows.push({
        state: s.state, fips: `${s.fips}${county}`, name, kind: 'county', zone: s.zone, aor: s.aor,
        ori: `${s.state}${String(k).padStart(3, '0')}0000`, agency: `${name} Sheriff`, facility: `${name} Jail`,
      });
    }
  }
  await sql.query(
    `INSERT INTO jurisdictions (id, code, name, kind, state, fips)
     SELECT md5('j-' || ori)::uuid, CASE WHEN fips IS NULL THEN 'US-' || state ELSE 'US-' || state || '-' || fips END, name, kind, state, fips
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS r(state, fips, name, kind, ori)`,
    [rows.map((r) => r.state), rows.map((r) => r.fips), rows.map((r) => r.name), rows.map((r) => r.kind), rows.map((r) => r.ori)],
  );
  await sql.query(
    `INSERT INTO agencies (id, ori, name, jurisdiction_id, program_287g)
     SELECT md5('a-' || ori)::uuid, ori, agency, md5('j-' || ori)::uuid,
            CASE WHEN hashint8(hashtext(ori)::bigint + $2) % 23 = 0 THEN 'jail_enforcement' ELSE 'none' END
     FROM unnest($1::text[], $3::text[]) AS r(ori, agency)`,
    [rows.map((r) => r.ori), salt, rows.map((r) => r.agency)],
  );
  await sql.query(
    `INSERT INTO facilities (id, agency_id, name, time_zone, area_id)
     SELECT md5('f-' || ori)::uuid, md5('a-' || ori)::uuid, facility, zone, md5('area-' || aor)::uuid
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS r(ori, facility, zone, aor)`,
    [rows.map((r) => r.ori), rows.map((r) => r.facility), rows.map((r) => r.zone), rows.map((r) => r.aor)],
  );
  // Some counties restrict cooperation; some of those policies have lapsed, some start later.
  await sql.query(
    `INSERT INTO policies (jurisdiction_id, kind, citation, summary, limits_hold, limits_notification, limits_access, effective_from, effective_to)
     SELECT j.id, 'ordinance', j.name || ' (' || j.state || ') Ordinance ' || (2010 + h % 15) || '-' || (h % 97),
            'Generated restrictive policy', true, h % 3 = 0, h % 4 = 0,
            date '2012-01-01' + (h % 5000), CASE WHEN h % 5 = 0 THEN date '2012-01-01' + (h % 5000) + 400 + (h % 900) END
     FROM (SELECT id, name, state, abs(hashint8(hashtext(code)::bigint + $1))::int AS h FROM jurisdictions WHERE kind = 'county') j
     WHERE j.h % 12 = 0`,
    [salt],
  );
  // County jails get a shuffled ordinal (volume is skewed towards low ordinals) and their state's prison.
  await sql.query(`
    CREATE UNLOGGED TABLE gen_facility AS
    SELECT row_number() OVER (ORDER BY md5(f.id::text || $1)) AS ord, f.id, f.agency_id, a.jurisdiction_id, f.area_id, f.time_zone,
           p.id AS prison_id, pa.jurisdiction_id AS prison_jurisdiction_id, p.agency_id AS prison_agency_id, p.area_id AS prison_area_id, p.time_zone AS prison_zone
    FROM facilities f JOIN agencies a ON a.id = f.agency_id JOIN jurisdictions j ON j.id = a.jurisdiction_id
    JOIN jurisdictions pj ON pj.kind = 'state' AND pj.state = j.state
    JOIN agencies pa ON pa.jurisdiction_id = pj.id JOIN facilities p ON p.agency_id = pa.id
    WHERE j.kind = 'county'`, [String(salt)]);
  await sql.query('CREATE UNIQUE INDEX ON gen_facility (ord)');
  const counties = rows.filter((r) => r.kind === 'county').length;
  return { jurisdictions: rows.length, facilities: rows.length, countyFacilities: counties };
}

/**
 * One chunk of detainers. Every choice comes from u(k) = a hash of (row, k, salt) in [0, 1): the
 * same inputs give the same rows. Categories: final outcomes for older detainers, open states
 * around `asOf` for the last 30 days.
 */
async function insertDetainers(sql: Sql, lo: number, hi: number, subjects: number, facilities: number, asOf: Date, salt: number): Promise<void> {
  await sql.query('DROP TABLE IF EXISTS gen_detainer');
  await sql.query(
    `CREATE UNLOGGED TABLE gen_detainer AS
     WITH base AS (
       SELECT i,
              (abs(hashint8(i * 16 + 1 + $6::bigint * 1000003)) % 1000000007) / 1000000007.0 AS u1,
              (abs(hashint8(i * 16 + 2 + $6::bigint * 1000003)) % 1000000007) / 1000000007.0 AS u2,
              (abs(hashint8(i * 16 + 3 + $6::bigint * 1000003)) % 1000000007) / 1000000007.0 AS u3,
              (abs(hashint8(i * 16 + 4 + $6::bigint * 1000003)) % 1000000007) / 1000000007.0 AS u4,
              (abs(hashint8(i * 16 + 5 + $6::bigint * 1000003)) % 1000000007) / 1000000007.0 AS u5,
              (abs(hashint8(i * 16 + 6 + $6::bigint * 1000003)) % 1000000007) / 1000000007.0 AS u6
       FROM generate_series($1::int, $2::int) i
     ), timed AS (
       SELECT *, u1 * 3650 AS age_days, $5::timestamptz - (u1 * 3650) * interval '1 day' AS issued_at,
              1 + floor(power(u2, 2.2) * $4::int)::int AS fac_ord
       FROM base
     ), cat AS (
       SELECT *,
              CASE WHEN issued_at < timestamptz '2017-04-02 05:00Z'
                   THEN CASE WHEN u3 < 0.85 THEN 'I-247D' WHEN u3 < 0.97 THEN 'I-247N' ELSE 'I-247X' END ELSE 'I-247A' END AS form,
              CASE WHEN age_days > 30 THEN
                     CASE WHEN u4 < 0.03 THEN 'misdirected' WHEN u4 < 0.10 THEN 'cancelled' WHEN u4 < 0.52 THEN 'honored'
                          WHEN u4 < 0.70 THEN 'released_ok' WHEN u4 < 0.82 THEN 'released_declined' WHEN u4 < 0.85 THEN 'refused'
                          WHEN u4 < 0.91 THEN 'transferred' ELSE 'serving' END
                   ELSE
                     CASE WHEN u4 < 0.15 THEN 'issued' WHEN u4 < 0.35 THEN 'acknowledged' WHEN u4 < 0.55 THEN 'release_scheduled'
                          WHEN u4 < 0.62 THEN 'held' WHEN u4 < 0.75 THEN 'honored'
                          WHEN u4 < 0.88 THEN CASE WHEN age_days > 3 THEN 'released_ok' ELSE 'acknowledged' END
                          WHEN u4 < 0.94 THEN 'released_declined' ELSE 'cancelled' END
              END AS cat
       FROM timed
     ), f AS (
       SELECT c.*, g.id AS facility_id, g.agency_id, g.jurisdiction_id, g.area_id, g.time_zone,
              g.prison_id, g.prison_agency_id, g.prison_jurisdiction_id, g.prison_area_id, g.prison_zone,
              c.form IN ('I-247A', 'I-247D') AS asks_hold,
              -- custody ends somewhere between issue and asOf (within four months of issue for most); a
              -- clean release on a hold-asking form is a missed pickup, so its hold must have run out by asOf
              CASE WHEN c.cat = 'released_ok' AND c.form IN ('I-247A', 'I-247D')
                   THEN LEAST(c.issued_at + LEAST(c.age_days, 120) * c.u5 * interval '1 day', $5::timestamptz - interval '50 hours')
                   ELSE c.issued_at + LEAST(c.age_days, 120) * c.u5 * interval '1 day' END AS end_at,
              c.issued_at + LEAST(c.age_days * 24, 30) * c.u3 * interval '1 hour' AS ack_at,
              12 + floor(c.u6 * 110)::int AS lead_hours
       FROM cat c JOIN gen_facility g ON g.ord = c.fac_ord
     )
     SELECT f.*,
            md5('detainer-' || i || '-' || $6)::uuid AS id,
            md5('subject-' || (1 + (i::bigint * 7919) % $3::int))::uuid AS subject_id,
            CASE WHEN cat = 'released_declined' AND u6 < 0.35 THEN 'will_not_comply' ELSE 'will_comply' END AS response,
            CASE WHEN cat = 'released_declined' THEN
                   CASE WHEN u6 < 0.35 THEN 'refused' WHEN u6 < 0.75 OR NOT asks_hold THEN 'no_notice' ELSE 'hold_refused' END END AS release_decline_kind,
            -- a decline learned weeks later for one in ten
            LEAST($5::timestamptz, end_at + CASE WHEN u5 < 0.1 THEN u6 * 60 * interval '1 day' ELSE u6 * 6 * interval '1 hour' END) AS release_recorded_at,
            issued_at + age_days * u5 * interval '1 day' AS refused_at,
            $5::timestamptz + (u5 * 8 - 0.5) * interval '1 day' AS upcoming_release_at,
            -- after a transfer to the state prison: honored, released after notice (notify-only forms), or still held
            CASE WHEN cat <> 'transferred' THEN NULL WHEN u6 < 0.6 OR (u6 < 0.9 AND asks_hold) THEN 'honored'
                 WHEN u6 < 0.9 THEN 'released' ELSE 'acknowledged' END AS status2,
            $5::timestamptz - u5 * interval '48 hours' AS recent_hold_since
     FROM f`,
    [lo, hi, subjects, facilities, asOf, salt],
  );

  // Lodging 1 as the projection would hold it: each derived value computed once. (A view takes no
  // bind parameters; the instant is a formatted Date, not user input.)
  const asOfLiteral = `'${asOf.toISOString()}'::timestamptz`;
  await sql.query(`
    CREATE TEMP VIEW gen_lodging1 AS
    WITH s AS (
      SELECT g.*,
        CASE cat WHEN 'misdirected' THEN 'misdirected' WHEN 'cancelled' THEN 'cancelled' WHEN 'honored' THEN 'honored'
                 WHEN 'released_ok' THEN 'released' WHEN 'released_declined' THEN 'released'
                 WHEN 'refused' THEN CASE WHEN u6 < 0.3 THEN 'refused' ELSE 'released' END
                 WHEN 'transferred' THEN 'transferred' WHEN 'serving' THEN 'acknowledged' WHEN 'issued' THEN 'issued'
                 WHEN 'acknowledged' THEN 'acknowledged' WHEN 'release_scheduled' THEN 'release_scheduled' WHEN 'held' THEN 'held' END AS status1,
        cat NOT IN ('misdirected', 'issued') AS acknowledged1,
        cat IN ('released_ok', 'honored') OR (cat = 'released_declined' AND release_decline_kind = 'hold_refused') AS notified1,
        -- notified and held, nobody came: the only clean release of a hold-asking form
        cat = 'released_ok' AND asks_hold AS missed1,
        cat IN ('released_declined', 'refused') AS declined1,
        GREATEST(issued_at + interval '2 hours', ${asOfLiteral} - u5 * interval '48 hours') AS hold_since_recent
      FROM gen_detainer g
    ), n AS (
      SELECT s.*,
        CASE WHEN notified1 THEN end_at WHEN cat = 'release_scheduled' THEN upcoming_release_at WHEN cat = 'held' THEN hold_since_recent END AS release_at1,
        CASE WHEN notified1 THEN GREATEST(issued_at, end_at - lead_hours * interval '1 hour')
             WHEN cat = 'release_scheduled' THEN ${asOfLiteral} - u6 * LEAST(age_days, 5) * interval '1 day'
             WHEN cat = 'held' THEN GREATEST(issued_at, hold_since_recent - interval '72 hours') END AS notice_rec1,
        CASE WHEN missed1 THEN end_at WHEN cat = 'held' THEN hold_since_recent END AS hold_since1,
        CASE WHEN status1 IN ('released', 'transferred') THEN
          CASE WHEN cat = 'refused' THEN LEAST(${asOfLiteral}, refused_at + interval '10 days') WHEN missed1 THEN end_at + interval '49 hours' ELSE end_at END END AS released_at1,
        CASE WHEN cat = 'refused' THEN 'refused' WHEN cat = 'released_declined' THEN release_decline_kind END AS kind1,
        CASE WHEN cat = 'refused' THEN refused_at WHEN cat = 'released_declined' THEN release_recorded_at END AS decline_at1
      FROM s
    )
    SELECT n.*,
      round((extract(epoch FROM release_at1 - notice_rec1) / 3600)::numeric, 2) AS lead1,
      -- judged on the stored (rounded) lead, as the decline rule does
      COALESCE(round((extract(epoch FROM release_at1 - notice_rec1) / 3600)::numeric, 2) < 48, false) AS short1,
      CASE WHEN status1 IN ('honored', 'released', 'transferred', 'cancelled', 'misdirected') THEN COALESCE(released_at1, end_at) END AS closed_at1
    FROM n`);

  await sql.query(`
    INSERT INTO detainers (id, form, status, version, subject_id, issuing_officer_id, area_id, issued_at, recorded_at, channel,
      warrant_form, warrant_number, probable_cause, charges, current_lodging_seq, facility_id, agency_id, jurisdiction_id,
      declined, decline_kind, decline_recorded_at, short_notice, missed_pickup, cancel_reason, cancelled_at, outcome_kind, outcome_at, updated_at)
    SELECT id, form,
      COALESCE(status2, status1),
      CASE WHEN cat IN ('issued') THEN 1 WHEN cat IN ('acknowledged', 'misdirected', 'cancelled') THEN 2 ELSE 4 END,
      subject_id, md5('officer-' || a.code)::uuid, l.area_id, issued_at, issued_at,
      (ARRAY['electronic','electronic','fax','in_person'])[1 + floor(u2 * 4)::int],
      CASE WHEN form = 'I-247A' THEN 'I-200' END, CASE WHEN form = 'I-247A' THEN 'W-' || i END,
      ARRAY['biometric_match'], jsonb_build_array(jsonb_build_object('description', 'Generated charge', 'level',
        CASE WHEN u3 < 0.4 THEN 'felony' ELSE 'misdemeanor' END, 'status', CASE WHEN u5 < 0.5 THEN 'pending' ELSE 'convicted' END)),
      CASE WHEN cat = 'transferred' THEN 2 ELSE 1 END,
      CASE WHEN cat = 'transferred' THEN prison_id ELSE facility_id END,
      CASE WHEN cat = 'transferred' THEN prison_agency_id ELSE agency_id END,
      CASE WHEN cat = 'transferred' THEN prison_jurisdiction_id ELSE jurisdiction_id END,
      declined1, kind1, decline_at1,
      cat <> 'transferred' AND short1,
      cat <> 'transferred' AND missed1,
      CASE WHEN cat = 'cancelled' THEN (ARRAY['issued_in_error','wrong_subject','us_citizen','lifted','lifted','superseded'])[1 + floor(u5 * 6)::int] END,
      CASE WHEN cat = 'cancelled' THEN end_at END,
      CASE WHEN cat = 'honored' AND u5 < 0.7 THEN 'ice_arrest' WHEN cat = 'released_ok' AND u5 < 0.5 THEN 'at_large' END,
      CASE WHEN (cat = 'honored' AND u5 < 0.7) OR (cat = 'released_ok' AND u5 < 0.5) THEN end_at END,
      $1::timestamptz
    FROM gen_lodging1 l JOIN (SELECT id AS area_ref, code FROM areas) a ON a.area_ref = l.area_id`, [asOf]);

  await sql.query(`
    INSERT INTO lodgings (detainer_id, seq, facility_id, agency_id, jurisdiction_id, area_id, time_zone, status, opened_at, closed_at,
      response, acknowledged_at, release_at, release_scheduled_recorded_at, notice_lead_hours, first_notice_recorded_at, pickup_planned_at,
      hold_since, hold_expires_at, released_at, release_recorded_at, destination, to_facility_id, honored_at, refused_at, refused_recorded_at,
      refusal_reason, declined, decline_kind, decline_recorded_at, short_notice, missed_pickup)
    SELECT id, 1, facility_id, agency_id, jurisdiction_id, area_id, time_zone, status1, issued_at, closed_at1,
      CASE WHEN acknowledged1 THEN response END,
      CASE WHEN acknowledged1 THEN LEAST(ack_at, $1::timestamptz) END,
      release_at1, notice_rec1, lead1, notice_rec1,
      CASE WHEN cat = 'honored' THEN end_at WHEN cat = 'held' AND u3 < 0.5 THEN hold_since1 + interval '24 hours'
           WHEN cat = 'release_scheduled' AND u3 < 0.5 THEN release_at1 END,
      hold_since1, hold_since1 + interval '48 hours',
      released_at1,
      CASE WHEN cat = 'released_declined' THEN release_recorded_at ELSE released_at1 END,
      CASE WHEN status1 = 'released' THEN 'community' WHEN status1 = 'transferred' THEN 'other_agency' END,
      CASE WHEN status1 = 'transferred' THEN prison_id END,
      CASE WHEN cat = 'honored' THEN end_at END,
      CASE WHEN cat = 'refused' THEN refused_at END,
      CASE WHEN cat = 'refused' THEN refused_at END,
      CASE WHEN cat = 'refused' THEN 'Generated: policy' END,
      declined1, kind1, decline_at1, short1, missed1
    FROM gen_lodging1`, [asOf]);

  // The state prison's lodging after a transfer: honored, released after notice, or still held.
  await sql.query(`
    INSERT INTO lodgings (detainer_id, seq, facility_id, agency_id, jurisdiction_id, area_id, time_zone, status, opened_at, closed_at,
      response, acknowledged_at, release_at, release_scheduled_recorded_at, notice_lead_hours, first_notice_recorded_at,
      released_at, release_recorded_at, destination, honored_at, declined, short_notice, missed_pickup)
    SELECT id, 2, prison_id, prison_agency_id, prison_jurisdiction_id, prison_area_id, prison_zone, status2, end_at,
      CASE WHEN status2 <> 'acknowledged' THEN ended2 END,
      'will_comply', LEAST($1::timestamptz, end_at + interval '1 day'),
      CASE WHEN status2 = 'released' THEN ended2 END,
      CASE WHEN status2 = 'released' THEN notice2 END,
      CASE WHEN status2 = 'released' THEN round((extract(epoch FROM ended2 - notice2) / 3600)::numeric, 2) END,
      CASE WHEN status2 = 'released' THEN notice2 END,
      CASE WHEN status2 = 'released' THEN ended2 END,
      CASE WHEN status2 = 'released' THEN ended2 END,
      CASE WHEN status2 = 'released' THEN 'community' END,
      CASE WHEN status2 = 'honored' THEN ended2 END,
      false, status2 = 'released' AND round((extract(epoch FROM ended2 - notice2) / 3600)::numeric, 2) < 48, false
    FROM (
      SELECT g.*,
             end_at + ($1::timestamptz - end_at) * u3 AS ended2,
             GREATEST(end_at, end_at + ($1::timestamptz - end_at) * u3 - interval '96 hours') AS notice2
      FROM gen_detainer g WHERE cat = 'transferred'
    ) t`, [asOf]);

  // One event per decline, carrying who reported it (for the report's fidelity figures).
  await sql.query(`
    INSERT INTO detainer_events (detainer_id, seq, version, lodging_seq, kind, occurred_at, recorded_at, actor_kind, actor_role, source, payload)
    SELECT id, 1, 4, 1, CASE WHEN cat = 'refused' THEN 'refused' ELSE 'released' END,
      CASE WHEN cat = 'refused' THEN refused_at ELSE end_at END,
      CASE WHEN cat = 'refused' THEN refused_at ELSE release_recorded_at END,
      'system', 'system', CASE WHEN u2 < 0.8 THEN 'lea_reported' ELSE 'ice_observed' END, '{"generated":true}'
    FROM gen_detainer WHERE cat IN ('refused', 'released_declined')`);
  await sql.query('DROP VIEW gen_lodging1');
  await sql.query('DROP TABLE gen_detainer');
}

/**
 * The data set's report contributions. The application stores them as the domain computes them
 * (`contributionsOf`) when a detainer changes, and the migration back-fills them by replaying events;
 * this data set's events are markers, not a history, so its contributions are derived from the
 * generated projection by the same rules, set-based. The report benchmark checks the roll-up over
 * them against a hand-written aggregate of the projection. No disputes or retractions are generated.
 */
async function storeDatasetContributions(sql: Sql): Promise<void> {
  const exclusion = `CASE WHEN d.cancel_reason IN ('issued_in_error', 'wrong_subject', 'us_citizen') THEN d.cancel_reason
    WHEN l1.status = 'misdirected' THEN 'misdirected' WHEN d.excluded_at IS NOT NULL THEN 'excluded_by_dispute' END`;
  const age = `CASE WHEN l.decline_recorded_at - d.issued_at < interval '168 hours' THEN 'under_week'
    WHEN l.decline_recorded_at - d.issued_at < interval '720 hours' THEN 'under_month'
    WHEN l.decline_recorded_at - d.issued_at < interval '8760 hours' THEN 'under_year' ELSE 'year_or_more' END`;
  const declineSource = `COALESCE(l.decline_source, (SELECT e.source FROM detainer_events e
    WHERE e.detainer_id = l.detainer_id AND e.lodging_seq = l.seq AND e.recorded_at = l.decline_recorded_at
      AND e.kind IN ('refused', 'released', 'decline_recorded') ORDER BY e.seq LIMIT 1))`;
  await sql.query(`
    INSERT INTO detainer_contributions (detainer_id, measure, lodging_seq, jurisdiction_id, agency_id, facility_id, at, decline_kind, age_bucket, exclusion, source, acknowledged, disputed)
    SELECT d.id, CASE WHEN x.exclusion IS NULL THEN 'issued' ELSE 'excluded' END, 1, l1.jurisdiction_id, l1.agency_id, l1.facility_id, d.issued_at,
           NULL, NULL, x.exclusion, NULL, CASE WHEN x.exclusion IS NULL THEN l1.acknowledged_at IS NOT NULL END, false
    FROM detainers d JOIN lodgings l1 ON l1.detainer_id = d.id AND l1.seq = 1
    CROSS JOIN LATERAL (SELECT ${exclusion} AS exclusion) x`);
  const perLodging = (measure: string, at: string, condition: string, extra: { kind?: string; age?: string; source?: string } = {}) => `
    INSERT INTO detainer_contributions (detainer_id, measure, lodging_seq, jurisdiction_id, agency_id, facility_id, at, decline_kind, age_bucket, exclusion, source, acknowledged, disputed)
    SELECT l.detainer_id, '${measure}', l.seq, l.jurisdiction_id, l.agency_id, l.facility_id, ${at}, ${extra.kind ?? 'NULL'}, ${extra.age ?? 'NULL'}, NULL, ${extra.source ?? 'NULL'}, NULL, false
    FROM lodgings l JOIN detainers d ON d.id = l.detainer_id JOIN lodgings l1 ON l1.detainer_id = d.id AND l1.seq = 1
    WHERE (${exclusion}) IS NULL AND ${condition}`;
  await sql.query(perLodging('declined', 'l.decline_recorded_at', 'l.declined AND l.decline_recorded_at IS NOT NULL AND l.decline_kind IS NOT NULL', { kind: 'l.decline_kind', age, source: declineSource }));
  await sql.query(perLodging('honored', 'l.honored_at', 'l.honored_at IS NOT NULL', { source: 'l.honored_source' }));
  await sql.query(perLodging('missed_pickup', 'l.released_at', 'l.missed_pickup AND l.released_at IS NOT NULL', { source: 'l.release_source' }));
  await sql.query(perLodging('short_notice', 'l.release_scheduled_recorded_at', 'l.short_notice AND l.release_scheduled_recorded_at IS NOT NULL'));
}

/**
 * The data set's profile contributions (`profileContributionsOf`), derived set-based from the
 * generated projection by the same rules, as for the report's: `lodged` at the acknowledgment within
 * 24 hours or at the 24 hours' end (none for a lodging closed unacknowledged inside them),
 * `release_notice` at the latest notice, `concluded` by the first of custody to ICE, decline, missed
 * pickup, release to the community. Excluded records and misdirected lodgings add nothing. Also run on
 * a reused data set generated before these existed (`hasProfileContributions`).
 */
export async function storeDatasetProfileContributions(sql: Sql): Promise<void> {
  const holdForms = Object.entries(FORM_RULES).filter(([, r]) => r.asksHold).map(([form]) => form);
  await sql.query(`
    INSERT INTO detainer_contributions (detainer_id, measure, lodging_seq, jurisdiction_id, agency_id, facility_id, at, on_time, conclusion, hold_asked, decline_kind, disputed)
    SELECT l.detainer_id, m.measure, l.seq, l.jurisdiction_id, l.agency_id, l.facility_id, m.at, m.on_time, m.conclusion, m.hold_asked, m.decline_kind, false
    FROM lodgings l JOIN detainers d ON d.id = l.detainer_id JOIN lodgings l1 ON l1.detainer_id = d.id AND l1.seq = 1
    CROSS JOIN LATERAL (SELECT CASE WHEN l.seq = 1 THEN d.issued_at ELSE l.opened_at END AS start_at) s
    CROSS JOIN LATERAL (SELECT s.start_at + interval '24 hours' AS due,
      CASE WHEN l.honored_at IS NOT NULL THEN 'custody_to_ice' WHEN l.declined AND l.decline_recorded_at IS NOT NULL THEN 'declined'
           WHEN l.missed_pickup AND l.released_at IS NOT NULL THEN 'missed_pickup' WHEN l.destination = 'community' AND l.released_at IS NOT NULL THEN 'released' END AS conclusion) c
    CROSS JOIN LATERAL (VALUES
      ('lodged', CASE WHEN l.acknowledged_at <= c.due THEN greatest(l.acknowledged_at, s.start_at) ELSE c.due END, l.acknowledged_at IS NOT NULL AND l.acknowledged_at <= c.due,
        NULL::text, NULL::boolean, NULL::text,
        l.acknowledged_at <= c.due OR NOT (l.acknowledged_at IS NULL AND l.closed_at IS NOT NULL AND l.closed_at < c.due)),
      ('release_notice', l.release_scheduled_recorded_at, NOT coalesce(l.short_notice, false), NULL, NULL, NULL,
        l.release_scheduled_recorded_at IS NOT NULL AND l.notice_lead_hours IS NOT NULL),
      ('concluded', CASE c.conclusion WHEN 'custody_to_ice' THEN l.honored_at WHEN 'declined' THEN l.decline_recorded_at ELSE l.released_at END, NULL,
        c.conclusion, d.form = ANY($1::text[]), CASE WHEN c.conclusion = 'declined' THEN l.decline_kind END, c.conclusion IS NOT NULL)
    ) AS m(measure, at, on_time, conclusion, hold_asked, decline_kind, keep)
    WHERE m.keep AND l.status <> 'misdirected'
      AND NOT (coalesce(d.cancel_reason IN ('issued_in_error', 'wrong_subject', 'us_citizen'), false) OR l1.status = 'misdirected' OR d.excluded_at IS NOT NULL)`,
  [holdForms]);
}

/** A data set generated before the profile contributions were stored has none. */
export async function hasProfileContributions(sql: Sql): Promise<boolean> {
  return (await sql.query(`SELECT 1 FROM detainer_contributions WHERE measure = 'lodged' LIMIT 1`)).length > 0;
}

/**
 * The benchmark parts share one generated database: it is reused while its recorded options match,
 * and regenerated otherwise.
 */
export async function ensureNationalDataset(
  scratchDatabase: (name: string) => Promise<string>,
  existingUrl: (name: string) => string,
  opts: NationalDatasetOptions,
): Promise<{ url: string; dataset: NationalDataset | null; reused: boolean }> {
  // BENCH_DATASET: a data set of another name (e.g. a smaller one beside the shared 3,000,000)
  const name = process.env.BENCH_DATASET ?? 'national';
  const marker = JSON.stringify({ detainers: opts.detainers, asOf: opts.asOf.toISOString(), salt: opts.salt ?? 1, version: GENERATOR_VERSION });
  const url = existingUrl(name);
  const ds = createDataSource({ url, applicationName: 'bench-generator', poolSize: 1, sessionOptions: migrationSessionOptions(roleOf(url)) });
  try {
    await ds.initialize();
    const rows = (await ds.query(`SELECT marker FROM bench_dataset`).catch(() => [])) as { marker: string }[];
    if (rows[0]?.marker === marker) {
      // Migrations added since the data was generated (new tables, new indexes) apply to it as well.
      const applied = await ds.runMigrations();
      if (applied.length) opts.log?.(`applied ${applied.length} newer migration(s) to the reused data set`);
      return { url, dataset: null, reused: true };
    }
  } catch {
    // no such database yet
  } finally {
    if (ds.isInitialized) await ds.destroy();
  }
  const fresh = await scratchDatabase(name);
  const dataset = await generateNationalDataset(fresh, opts);
  const mark = createDataSource({ url: fresh, applicationName: 'bench-generator', poolSize: 1 });
  await mark.initialize();
  try {
    await mark.query(`CREATE TABLE bench_dataset (marker text NOT NULL)`);
    await mark.query(`INSERT INTO bench_dataset (marker) VALUES ($1)`, [marker]);
  } finally {
    await mark.destroy();
  }
  return { url: fresh, dataset, reused: false };
}

/** Bump when the generator's output changes, so stale benchmark databases are rebuilt. */
export const GENERATOR_VERSION = 2;
