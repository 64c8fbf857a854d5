import { ReportWeek } from '@app/domain';
import { Params } from '../scope';
import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';
import { weekMarksInsert } from './report-week-marks';
import { decodeCursor, encodeCursor, Page } from '../paging';

export interface ReportWeekRow {
  weekStart: string;
  weekEnd: string;
  start: Date;
  end: Date;
  timeZone: string;
  dirty: boolean;
  dirtySeq: number;
  rolledSeq: number;
  rolledAt: Date | null;
  rollCount: number;
}

/** Whether a change marked the week (alias `w`) since its last roll-up. */
const MARKED_SQL = `EXISTS (SELECT 1 FROM report_week_marks m WHERE m.week_start = w.week_start) AS marked`;

/** A row of report_weeks with MARKED_SQL's `marked`. */
interface WeekRow {
  week_start: string;
  week_end: string;
  start_at: Date;
  end_at: Date;
  time_zone: string;
  /** bigint: strings, as pg gives int8. */
  dirty_seq: string;
  rolled_seq: string;
  rolled_at: Date | null;
  roll_count: number;
  marked: boolean;
}

const weekRow = new RowMapper<WeekRow, ReportWeekRow>((r) => ({
  weekStart: r.week_start,
  weekEnd: r.week_end,
  start: r.start_at,
  end: r.end_at,
  timeZone: r.time_zone,
  dirtySeq: Number(r.dirty_seq),
  rolledSeq: Number(r.rolled_seq),
  dirty: Number(r.dirty_seq) > Number(r.rolled_seq) || r.marked,
  rolledAt: r.rolled_at ?? null,
  rollCount: r.roll_count,
}));

/** A week as lockWeek reads it: with whether a version of its report was published. */
const lockedWeek = new RowMapper<WeekRow & { published: boolean }, ReportWeekRow & { published: boolean }>((r) => ({ ...weekRow.decode(r), published: r.published }));

type WeekWithVersions = ReportWeekRow & { versions: { version: number; publishedAt: Date; publishedByKind: string }[] };

const weekWithVersions = new RowMapper<WeekRow & { versions: { version: number; publishedAt: string; publishedByKind: string }[] }, WeekWithVersions>((r) => ({
  ...weekRow.decode(r),
  versions: r.versions.map((v) => ({ ...v, publishedAt: new Date(v.publishedAt) })),
}));

/** Report weeks: their marks for re-roll, the week lock the roll-up takes, and the list of weeks with their versions. */
export class ReportWeeksRepository {
  /**
   * Marks weeks for re-roll by a change to one detainer. Called inside the change's transaction: one appended row per week, so
   * that changes never wait on one another (the week's row is the roll-up's lock, not the writers').
   */
  async markWeeks(sql: Sql, weeks: readonly ReportWeek[], detainerId: string, now: Date): Promise<void> {
    const params: unknown[] = [];
    const insert = weekMarksInsert(weeks, detainerId, now, params);
    if (insert) await sql.query(insert, params);
  }

  /** markWeeks for many detainers' changes at once (a bulk import): one mark per week and detainer. */
  async markWeeksOfMany(sql: Sql, marks: readonly { week: ReportWeek; detainerId: string }[], now: Date): Promise<void> {
    if (marks.length === 0) return;
    await sql.query(
      `INSERT INTO report_week_marks (week_start, end_at, detainer_id, marked_at) SELECT w, e, d, $4 FROM unnest($1::date[], $2::timestamptz[], $3::uuid[]) AS t(w, e, d)`,
      [marks.map((m) => m.week.weekStart), marks.map((m) => m.week.end), marks.map((m) => m.detainerId), now],
    );
  }

  /**
   * Marks the published weeks that overlap a span of days (a policy's effective dates; `to` null: still
   * in force), so that their next roll-up publishes a version with the policy in Section III. Weeks
   * never published need nothing: their live figures read policies as they are. Locks in week order,
   * as markWeeks does.
   */
  async markPublishedWeeksOverlapping(sql: Sql, from: string, to: string | null, now: Date): Promise<string[]> {
    const rows = await sql.query<{ week_start: string }>(
      `WITH target AS (
         SELECT w.week_start FROM report_weeks w
         WHERE w.week_end >= $1::date AND ($2::date IS NULL OR w.week_start <= $2::date)
           AND EXISTS (SELECT 1 FROM report_versions v WHERE v.week_start = w.week_start)
         ORDER BY w.week_start FOR UPDATE)
       UPDATE report_weeks w SET dirty_seq = w.dirty_seq + 1, last_marked_at = $3
       FROM target WHERE w.week_start = target.week_start
       RETURNING to_char(w.week_start, 'YYYY-MM-DD') AS week_start`,
      [from, to, now],
    );
    return rows.map((r) => r.week_start).sort();
  }

  /**
   * Takes the week's row lock for the rest of the transaction (creating the row if needed). While it is
   * held, no change touching this week can commit: its marker waits on the same row.
   */
  async lockWeek(sql: Sql, w: ReportWeek): Promise<ReportWeekRow & { published: boolean }> {
    // One round trip once the week exists: the insert is a no-op, the select takes the lock. The first
    // time, the select's snapshot predates the insert, so it runs once more.
    const select = `SELECT *, ${MARKED_SQL}, EXISTS (SELECT 1 FROM report_versions v WHERE v.week_start = w.week_start) AS published
                    FROM report_weeks w WHERE week_start = $1 FOR UPDATE OF w`;
    const week =
      (await lockedWeek.one(
        sql,
        `WITH created AS (INSERT INTO report_weeks (week_start, week_end, start_at, end_at, time_zone) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (week_start) DO NOTHING) ${select}`,
        [w.weekStart, w.weekEnd, w.start, w.end, w.timeZone],
      )) ?? (await lockedWeek.one(sql, select, [w.weekStart]));
    return week!;
  }

  async findWeek(sql: Sql, weekStart: string): Promise<ReportWeekRow | null> {
    return weekRow.one(sql, `SELECT *, ${MARKED_SQL} FROM report_weeks w WHERE week_start = $1`, [weekStart]);
  }

  /** Closed weeks a change touched since their last roll-up, oldest first. */
  async dirtyClosedWeeks(sql: Sql, now: Date, limit: number): Promise<string[]> {
    const rows = await sql.query<{ week_start: string }>(
      `SELECT to_char(week_start, 'YYYY-MM-DD') AS week_start FROM (
         SELECT week_start FROM report_weeks WHERE dirty_seq > rolled_seq AND end_at <= $1
         UNION SELECT week_start FROM report_week_marks WHERE end_at <= $1) t
       ORDER BY week_start LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.week_start);
  }

  async listWeeks(sql: Sql, opts: { publishedOnly: boolean }, page: { limit: number; cursor?: string }): Promise<Page<WeekWithVersions>> {
    const params = new Params();
    const where: string[] = [];
    if (opts.publishedOnly) where.push(`EXISTS (SELECT 1 FROM report_versions v WHERE v.week_start = w.week_start)`);
    else where.push(`(w.rolled_at IS NOT NULL OR EXISTS (SELECT 1 FROM report_versions v WHERE v.week_start = w.week_start))`);
    if (page.cursor) where.push(`w.week_start < ${params.add(decodeCursor(page.cursor, ['w']).w)}::date`);
    const rows = await weekWithVersions.all(
      sql,
      `SELECT w.*, ${MARKED_SQL}, coalesce((SELECT json_agg(json_build_object('version', v.version, 'publishedAt', v.published_at, 'publishedByKind', v.published_by_kind) ORDER BY v.version)
                             FROM report_versions v WHERE v.week_start = w.week_start), '[]'::json) AS versions
       FROM report_weeks w WHERE ${where.join(' AND ')} ORDER BY w.week_start DESC LIMIT ${params.add(page.limit + 1)}`,
      params.values,
    );
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ w: last.weekStart }) : null };
  }
}
