// Relative, not @app/domain: the contributions repository, which the migrations load, writes marks too.
import type { ReportWeek } from '../../../domain/src';

/**
 * The INSERT of a change's week marks (one per week), its values appended to `params`, for a
 * statement that writes them beside the change's contributions; null when no week is touched.
 */
export function weekMarksInsert(weeks: readonly ReportWeek[], detainerId: string, now: Date, params: unknown[]): string | null {
  const unique = [...new Map(weeks.map((w) => [w.weekStart, w])).values()];
  if (unique.length === 0) return null;
  const p = (v: unknown) => `$${params.push(v)}`;
  return `INSERT INTO report_week_marks (week_start, end_at, detainer_id, marked_at)
    SELECT w, e, ${p(detainerId)}::uuid, ${p(now)}::timestamptz FROM unnest(${p(unique.map((w) => w.weekStart))}::date[], ${p(unique.map((w) => w.end))}::timestamptz[]) AS t(w, e)`;
}
