// Relative, not @app/domain: the migrations load this file, and they run where no path aliases resolve.
import { Contribution, isReportMeasure, PROFILE_MEASURES, replay, ReportWeek, StoredMeasure, storedContributionsOf } from '../../../domain/src';
import { decodeEvent, EventRow } from '../event-codec';
import { Sql } from '../sql';
import { weekMarksInsert } from './report-week-marks';

/** The stored columns of a contribution, in the order the array parameters below bind them. */
const COLUMNS = [
  'measure', 'lodging_seq', 'jurisdiction_id', 'agency_id', 'facility_id', 'at', 'decline_kind', 'age_bucket', 'exclusion', 'source', 'acknowledged', 'disputed',
  'on_time', 'conclusion', 'hold_asked',
] as const;
const TYPES = ['text', 'int', 'uuid', 'uuid', 'uuid', 'timestamptz', 'text', 'text', 'text', 'text', 'boolean', 'boolean', 'boolean', 'text', 'boolean'] as const;

const columnsOf = (c: Contribution): unknown[] => [
  c.measure, c.lodgingSeq, c.jurisdictionId, c.agencyId, c.facilityId, c.at, c.declineKind ?? null, c.ageBucket ?? null, c.exclusion ?? null,
  c.source ?? null, c.acknowledged ?? null, c.disputed, c.onTime ?? null, c.conclusion ?? null, c.holdAsked ?? null,
];

/** Column-wise arrays (one per column) of `rows`, for `unnest`: one statement however many rows. */
function arraysOf(rows: readonly Contribution[]): unknown[][] {
  const arrays: unknown[][] = COLUMNS.map(() => []);
  for (const c of rows) columnsOf(c).forEach((v, i) => arrays[i].push(v));
  return arrays;
}

const unnestOf = (first: number) => `unnest(${TYPES.map((t, i) => `$${first + i}::${t}[]`).join(', ')}) AS t(${COLUMNS.join(', ')})`;
const VALUE_COLUMNS = COLUMNS.filter((c) => c !== 'measure' && c !== 'lodging_seq');

/**
 * Makes the detainer's stored contributions exactly `contributions`, in one statement: rows no longer
 * contributed are deleted, new ones inserted, changed ones updated, equal ones left alone (no dead row).
 */
const STORE_SQL = `
  WITH incoming AS (SELECT * FROM ${unnestOf(2)}),
  gone AS (
    DELETE FROM detainer_contributions c WHERE c.detainer_id = $1
      AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.measure = c.measure AND i.lodging_seq = c.lodging_seq))
  INSERT INTO detainer_contributions (detainer_id, ${COLUMNS.join(', ')})
  SELECT $1, ${COLUMNS.join(', ')} FROM incoming
  ON CONFLICT (detainer_id, measure, lodging_seq) DO UPDATE SET ${VALUE_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
  WHERE (${VALUE_COLUMNS.map((c) => `detainer_contributions.${c}`).join(', ')}) IS DISTINCT FROM (${VALUE_COLUMNS.map((c) => `EXCLUDED.${c}`).join(', ')})`;

export interface StoredContributionRow {
  detainer_id: string;
  measure: string;
  lodging_seq: number;
  jurisdiction_id: string;
  agency_id: string;
  facility_id: string;
  at: Date;
  decline_kind: string | null;
  age_bucket: string | null;
  exclusion: string | null;
  source: string | null;
  acknowledged: boolean | null;
  disputed: boolean;
  on_time: boolean | null;
  conclusion: string | null;
  hold_asked: boolean | null;
}

/**
 * What each detainer contributes to the weekly figures, computed once by the domain
 * (`storedContributionsOf`) when the detainer changes and stored with the change: the roll-up only adds up.
 */
export class DetainerContributionRepository {
  /** Inside the change's transaction (the detainer opened for change: `app.detainer_ids`). */
  async store(sql: Sql, detainerId: string, contributions: readonly Contribution[], marks?: { weeks: readonly ReportWeek[]; at: Date }): Promise<void> {
    const params: unknown[] = [detainerId, ...arraysOf(contributions)];
    // the weeks the change touched are marked by the same statement (one round trip)
    const marking = marks ? weekMarksInsert(marks.weeks, detainerId, marks.at, params) : null;
    await sql.query(marking ? STORE_SQL.replace('WITH incoming AS', `WITH marked AS (${marking}), incoming AS`) : STORE_SQL, params);
  }

  /** The contributions of detainers that have none yet (created in bulk, in the system scope), by COPY. */
  async storeForNew(sql: Sql, entries: readonly { detainerId: string; contributions: readonly Contribution[] }[]): Promise<void> {
    await sql.copyFrom('detainer_contributions', ['detainer_id', ...COLUMNS], entries.flatMap((e) => e.contributions.map((c) => [e.detainerId, ...columnsOf(c)])));
  }
}

/** A stored row as the domain's Contribution (for comparing with a replay). */
export function contributionOfRow(r: StoredContributionRow): Contribution {
  return {
    measure: r.measure as StoredMeasure,
    detainerId: r.detainer_id,
    lodgingSeq: r.lodging_seq,
    jurisdictionId: r.jurisdiction_id,
    agencyId: r.agency_id,
    facilityId: r.facility_id,
    at: r.at,
    ...(r.decline_kind !== null && { declineKind: r.decline_kind as never }),
    ...(r.age_bucket !== null && { ageBucket: r.age_bucket as never }),
    ...(r.exclusion !== null && { exclusion: r.exclusion as never }),
    ...(r.source !== null && { source: r.source as never }),
    ...(r.acknowledged !== null && { acknowledged: r.acknowledged }),
    disputed: r.disputed,
    ...(r.on_time !== null && { onTime: r.on_time }),
    ...(r.conclusion !== null && { conclusion: r.conclusion as never }),
    ...(r.hold_asked !== null && { holdAsked: r.hold_asked }),
  };
}

export type Query = (text: string, params?: unknown[]) => Promise<unknown>;

export interface BackfillProgress {
  done: number;
  total: number;
}

/** The columns the weekly figures' contributions have had since they were first stored (the profile's three came later). */
const REPORT_COLUMN_COUNT = 12;

/**
 * Stores the contributions of every detainer that has none yet (each has at least one: issued or
 * excluded), replaying its events through the domain, `batchSize` detainers per statement. Each batch
 * commits on its own when `query` autocommits, so an interrupted run resumes where it stopped.
 *
 * By default only the weekly figures' measures, in the columns they had when first stored (the
 * migration that created the table runs this before the profile's columns exist); `profile` stores
 * the profile's measures of every detainer still without them (a detainer that has none, excluded or
 * withdrawn early, is replayed again on a resumed run: harmless, the insert skips what exists).
 */
export async function backfillDetainerContributions(
  query: Query,
  opts: { batchSize?: number; progress?: (p: BackfillProgress) => void; profile?: boolean } = {},
): Promise<BackfillProgress> {
  const batchSize = opts.batchSize ?? 2000;
  const missing = opts.profile
    ? `NOT EXISTS (SELECT 1 FROM detainer_contributions c WHERE c.detainer_id = d.id AND c.measure IN (${PROFILE_MEASURES.map((m) => `'${m}'`).join(', ')}))`
    : `NOT EXISTS (SELECT 1 FROM detainer_contributions c WHERE c.detainer_id = d.id)`;
  const keep = (m: StoredMeasure) => (opts.profile ? !isReportMeasure(m) : isReportMeasure(m));
  const columns = opts.profile ? COLUMNS : COLUMNS.slice(0, REPORT_COLUMN_COUNT);
  const [{ n }] = (await query(`SELECT count(*)::int AS n FROM detainers d WHERE ${missing}`)) as [{ n: number }];
  const progress: BackfillProgress = { done: 0, total: n };
  let after = '00000000-0000-0000-0000-000000000000';
  while (progress.done < progress.total) {
    const ids = ((await query(`SELECT d.id FROM detainers d WHERE d.id > $1 AND ${missing} ORDER BY d.id LIMIT $2`, [after, batchSize])) as { id: string }[]).map((r) => r.id);
    if (ids.length === 0) break;
    const rows = (await query(`SELECT * FROM detainer_events WHERE detainer_id = ANY($1::uuid[]) ORDER BY detainer_id, seq`, [ids])) as EventRow[];
    const streams = new Map<string, EventRow[]>();
    for (const r of rows) {
      const stream = streams.get(r.detainer_id);
      if (stream) stream.push(r);
      else streams.set(r.detainer_id, [r]);
    }
    const batch: { detainerId: string; c: Contribution }[] = [];
    for (const [detainerId, events] of streams) {
      for (const c of storedContributionsOf(replay(events.map(decodeEvent)))) if (keep(c.measure)) batch.push({ detainerId, c });
    }
    await query(
      `INSERT INTO detainer_contributions (detainer_id, ${columns.join(', ')})
       SELECT * FROM unnest($1::uuid[], ${TYPES.slice(0, columns.length).map((t, i) => `$${i + 2}::${t}[]`).join(', ')})
       ON CONFLICT (detainer_id, measure, lodging_seq) DO NOTHING`,
      [batch.map((b) => b.detainerId), ...arraysOf(batch.map((b) => b.c)).slice(0, columns.length)],
    );
    after = ids[ids.length - 1]!;
    progress.done += ids.length;
    opts.progress?.({ ...progress });
  }
  return progress;
}
