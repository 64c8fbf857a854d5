// Relative, not @app/domain: the migrations load this file, and they run where no path aliases resolve.
import { Contribution, contributionsOf, replay } from '../../../domain/src';
import { decodeEvent, EventRow } from '../event-codec';
import { Sql } from '../sql';

/** The stored columns of a contribution, in the order the array parameters below bind them. */
const COLUMNS = [
  'measure', 'lodging_seq', 'jurisdiction_id', 'agency_id', 'facility_id', 'at', 'decline_kind', 'age_bucket', 'exclusion', 'source', 'acknowledged', 'disputed',
] as const;
const TYPES = ['text', 'int', 'uuid', 'uuid', 'uuid', 'timestamptz', 'text', 'text', 'text', 'text', 'boolean', 'boolean'] as const;

const columnsOf = (c: Contribution): unknown[] => [
  c.measure, c.lodgingSeq, c.jurisdictionId, c.agencyId, c.facilityId, c.at, c.declineKind ?? null, c.ageBucket ?? null, c.exclusion ?? null,
  c.source ?? null, c.acknowledged ?? null, c.disputed,
];

/** Column-wise arrays (one per column) of `rows`, for `unnest`: one statement however many rows. */
function arraysOf(rows: readonly Contribution[]): unknown[][] {
  const arrays: unknown[][] = COLUMNS.map(() => []);
  for (const c of rows) columnsOf(c).forEach((v, i) => arrays[i]!.push(v));
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
}

/**
 * What each detainer contributes to the weekly figures, computed once by the domain
 * (`contributionsOf`) when the detainer changes and stored with the change: the roll-up only adds up.
 */
export class DetainerContributionRepository {
  /** Inside the change's transaction (the detainer opened for change: `app.detainer_ids`). */
  async store(sql: Sql, detainerId: string, contributions: readonly Contribution[]): Promise<void> {
    await sql.query(STORE_SQL, [detainerId, ...arraysOf(contributions)]);
  }

  /** The contributions of detainers that have none yet (created in bulk, in the system scope), by COPY. */
  async storeForNew(sql: Sql, entries: readonly { detainerId: string; contributions: readonly Contribution[] }[]): Promise<void> {
    await sql.copyFrom('detainer_contributions', ['detainer_id', ...COLUMNS], entries.flatMap((e) => e.contributions.map((c) => [e.detainerId, ...columnsOf(c)])));
  }

  async ofDetainers(sql: Sql, detainerIds: readonly string[]): Promise<StoredContributionRow[]> {
    return sql.query<StoredContributionRow>(
      `SELECT * FROM detainer_contributions WHERE detainer_id = ANY($1::uuid[]) ORDER BY detainer_id, measure, lodging_seq`,
      [detainerIds],
    );
  }
}

/** A stored row as the domain's Contribution (for comparing with a replay). */
export function contributionOfRow(r: StoredContributionRow): Contribution {
  return {
    measure: r.measure as Contribution['measure'],
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
  };
}

export type Query = (text: string, params?: unknown[]) => Promise<unknown>;

export interface BackfillProgress {
  done: number;
  total: number;
}

/**
 * Stores the contributions of every detainer that has none yet (each has at least one: issued or
 * excluded), replaying its events through the domain, `batchSize` detainers per statement. Each batch
 * commits on its own when `query` autocommits, so an interrupted run resumes where it stopped.
 */
export async function backfillDetainerContributions(
  query: Query,
  opts: { batchSize?: number; progress?: (p: BackfillProgress) => void } = {},
): Promise<BackfillProgress> {
  const batchSize = opts.batchSize ?? 2000;
  const missing = `NOT EXISTS (SELECT 1 FROM detainer_contributions c WHERE c.detainer_id = d.id)`;
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
    for (const [detainerId, events] of streams) for (const c of contributionsOf(replay(events.map(decodeEvent)))) batch.push({ detainerId, c });
    await query(
      `INSERT INTO detainer_contributions (detainer_id, ${COLUMNS.join(', ')})
       SELECT * FROM unnest($1::uuid[], ${TYPES.map((t, i) => `$${i + 2}::${t}[]`).join(', ')})
       ON CONFLICT (detainer_id, measure, lodging_seq) DO NOTHING`,
      [batch.map((b) => b.detainerId), ...arraysOf(batch.map((b) => b.c))],
    );
    after = ids[ids.length - 1]!;
    progress.done += ids.length;
    opts.progress?.({ ...progress });
  }
  return progress;
}
