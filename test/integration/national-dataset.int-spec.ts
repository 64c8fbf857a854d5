import { Client } from 'pg';
import { assessLodging, DetainerForm, LodgingState, LodgingStatus } from '@app/domain';
import { quoteIdent } from '@app/persistence';
import { serverUrl, TEST_DB_PREFIX } from '@app/testing';
import { DEFAULT_AS_OF, generateNationalDataset } from '../../apps/bench/src/generator/national-dataset';

/** The benchmark data set satisfies every constraint, covers every state, and is deterministic. */
describe('national benchmark data set (small scale)', () => {
  const names = [`${TEST_DB_PREFIX}_national_a`, `${TEST_DB_PREFIX}_national_b`];
  const admin = new Client({ connectionString: serverUrl() });
  const clients: Client[] = [];

  beforeAll(async () => {
    await admin.connect();
    for (const name of names) {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
    }
    for (const name of names) await generateNationalDataset(serverUrl(name), { detainers: 20_000, asOf: DEFAULT_AS_OF });
    for (const name of names) {
      const c = new Client({ connectionString: serverUrl(name) });
      await c.connect();
      clients.push(c);
    }
  }, 120_000);
  afterAll(async () => {
    for (const c of clients) await c.end();
    for (const name of names) await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await admin.end();
  });

  const one = async <T>(sql: string, i = 0) => (await clients[i].query(sql)).rows[0] as T;

  it('builds a national reference set with same-named counties in many states', async () => {
    const r = await one<{ j: string; counties: string; names: string; dup: string }>(
      `SELECT count(*) j, count(*) FILTER (WHERE kind = 'county') counties, count(DISTINCT name) names,
              (SELECT count(*) FROM (SELECT name FROM jurisdictions GROUP BY name HAVING count(DISTINCT state) > 5) x) dup
       FROM jurisdictions`,
    );
    expect(Number(r.counties)).toBeGreaterThan(3000);
    expect(Number(r.dup)).toBeGreaterThan(10);
  });

  it('has every status and every decline kind, with declines recorded long after issue', async () => {
    const statuses = (await clients[0].query(`SELECT DISTINCT status FROM detainers ORDER BY 1`)).rows.map((r) => r.status);
    expect(statuses).toEqual(['acknowledged', 'cancelled', 'held', 'honored', 'issued', 'misdirected', 'refused', 'release_scheduled', 'released']);
    const kinds = (await clients[0].query(`SELECT DISTINCT decline_kind FROM lodgings WHERE declined ORDER BY 1`)).rows.map((r) => r.decline_kind);
    expect(kinds).toEqual(['hold_refused', 'no_notice', 'refused']);
    const old = await one<{ n: string }>(`SELECT count(*) n FROM lodgings l JOIN detainers d ON d.id = l.detainer_id WHERE l.declined AND l.decline_recorded_at - d.issued_at > interval '1 year'`);
    expect(Number(old.n)).toBeGreaterThan(0);
    const transfers = await one<{ n: string }>(`SELECT count(*) n FROM lodgings WHERE seq = 2`);
    expect(Number(transfers.n)).toBeGreaterThan(500);
    const missed = await one<{ n: string }>(`SELECT count(*) n FROM lodgings WHERE missed_pickup AND NOT declined AND released_at >= hold_expires_at`);
    expect(Number(missed.n)).toBeGreaterThan(0);
  });

  it('keeps the projection consistent: detainer mirrors its current lodging, no time runs backwards or past asOf', async () => {
    const bad = await one<Record<string, string>>(`
      SELECT
        count(*) FILTER (WHERE d.status <> l.status OR d.facility_id <> l.facility_id OR d.agency_id <> l.agency_id) AS mirror,
        count(*) FILTER (WHERE l.acknowledged_at < d.issued_at OR l.first_notice_recorded_at < l.opened_at OR l.hold_since < l.opened_at
                         OR l.released_at < l.opened_at OR l.decline_recorded_at < d.issued_at) AS backwards,
        count(*) FILTER (WHERE greatest(l.acknowledged_at, l.released_at, l.honored_at, l.decline_recorded_at, l.closed_at, l.first_notice_recorded_at) > '${DEFAULT_AS_OF.toISOString()}') AS future,
        count(*) FILTER (WHERE l.status = 'held' AND l.hold_expires_at <= '${DEFAULT_AS_OF.toISOString()}') AS stale_holds,
        count(*) FILTER (WHERE d.form = 'I-247A' AND d.issued_at < '2017-04-02') AS form_period
      FROM detainers d JOIN lodgings l ON l.detainer_id = d.id AND l.seq = d.current_lodging_seq`);
    expect(bad).toEqual({ mirror: '0', backwards: '0', future: '0', stale_holds: '0', form_period: '0' });
  });

  it('agrees with the domain decline rule on every lodging', async () => {
    const rows = (await clients[0].query(`SELECT l.*, d.form FROM lodgings l JOIN detainers d ON d.id = l.detainer_id`)).rows;
    const disagreements = rows.flatMap((r) => {
      const lodging: LodgingState = {
        seq: r.seq, status: r.status as LodgingStatus, openedAt: r.opened_at,
        place: { facilityId: r.facility_id, agencyId: r.agency_id, jurisdictionId: r.jurisdiction_id, areaId: r.area_id, timeZone: r.time_zone }, response: r.response ?? undefined,
        releaseAt: r.release_at ?? undefined, noticeLeadHours: r.notice_lead_hours === null ? undefined : Number(r.notice_lead_hours),
        firstNoticeRecordedAt: r.first_notice_recorded_at ?? undefined, holdSince: r.hold_since ?? undefined, holdExpiresAt: r.hold_expires_at ?? undefined,
        releasedAt: r.released_at ?? undefined, releaseRecordedAt: r.release_recorded_at ?? undefined, destination: r.destination ?? undefined,
        honoredAt: r.honored_at ?? undefined, refusedAt: r.refused_at ?? undefined, refusedRecordedAt: r.refused_recorded_at ?? undefined,
        declineReports: [], declined: false, shortNotice: false, missedPickup: false,
      };
      const a = assessLodging(r.form as DetainerForm, lodging);
      const stored = { declined: r.declined, declineKind: r.decline_kind ?? undefined, declineRecordedAt: r.decline_recorded_at?.toISOString(), shortNotice: r.short_notice, missedPickup: r.missed_pickup };
      const ruled = { declined: a.declined, declineKind: a.declineKind, declineRecordedAt: a.declineRecordedAt?.toISOString(), shortNotice: a.shortNotice, missedPickup: a.missedPickup };
      return JSON.stringify(stored) === JSON.stringify(ruled) ? [] : [{ id: r.detainer_id, seq: r.seq, stored, ruled }];
    });
    expect(rows.length).toBeGreaterThan(20_000);
    expect(disagreements.slice(0, 3)).toEqual([]);
    expect(disagreements.length).toBe(0);
  });

  it('is deterministic: two generations are identical', async () => {
    const digest = `SELECT md5(string_agg(concat_ws('|', d.id, d.status, d.issued_at, d.facility_id, l.seq, l.status, l.decline_kind, l.decline_recorded_at, l.release_at), ',' ORDER BY d.id, l.seq)) AS h
                    FROM detainers d JOIN lodgings l ON l.detainer_id = d.id`;
    expect((await one<{ h: string }>(digest, 0)).h).toBe((await one<{ h: string }>(digest, 1)).h);
  });
});
