import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The roll-up of a week reads every stored contribution of the weekly figures whose instant falls in
 * it. Contributions are stored detainer by detainer, so a week's rows lie on as many heap pages as it
 * has rows; this index carries every column the roll-up copies, so it reads the week from the index
 * alone (an index-only scan: a few dozen pages instead of thousands). It replaces the plain index on
 * `at`, which only the roll-up used. Built concurrently: writes go on meanwhile.
 */
export class ReportWeekContributionsIndex1795686000000 implements MigrationInterface {
  name = 'ReportWeekContributionsIndex1795686000000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX CONCURRENTLY IF NOT EXISTS detainer_contributions_week_idx ON detainer_contributions (at)
        INCLUDE (measure, detainer_id, lodging_seq, jurisdiction_id, agency_id, facility_id, decline_kind, age_bucket, exclusion, source, acknowledged, disputed)
        WHERE measure IN ('issued', 'declined', 'honored', 'missed_pickup', 'short_notice', 'excluded', 'decline_retracted')`);
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS detainer_contributions_at_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    // plain, not concurrent: a revert may run inside a transaction
    await q.query(`CREATE INDEX IF NOT EXISTS detainer_contributions_at_idx ON detainer_contributions (at)`);
    await q.query(`DROP INDEX IF EXISTS detainer_contributions_week_idx`);
  }
}
