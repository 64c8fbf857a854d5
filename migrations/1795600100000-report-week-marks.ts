import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Marking a report week for re-roll no longer updates the week's row: every change appends a mark
 * (insert only, so concurrent changes never wait on one another), and the roll-up drains the marks of
 * the week it rolls, under the week's lock. A mark committed after the roll-up took its snapshot
 * survives it, so the week is rolled again.
 */
export class ReportWeekMarks1795600100000 implements MigrationInterface {
  name = 'ReportWeekMarks1795600100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_week_marks (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        week_start date NOT NULL,
        end_at timestamptz NOT NULL,
        -- the detainer whose change it was: the re-roll copies again only the contributions of these
        detainer_id uuid NOT NULL,
        marked_at timestamptz NOT NULL
      );
      CREATE INDEX report_week_marks_week_idx ON report_week_marks (week_start);
      CREATE INDEX report_week_marks_closed_idx ON report_week_marks (end_at, week_start);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // pending marks go back onto their weeks' rows
    await q.query(`
      UPDATE report_weeks w SET dirty_seq = w.dirty_seq + 1, last_marked_at = m.marked_at
      FROM (SELECT week_start, max(marked_at) AS marked_at FROM report_week_marks GROUP BY week_start) m WHERE m.week_start = w.week_start;
      DROP TABLE report_week_marks;
    `);
  }
}
