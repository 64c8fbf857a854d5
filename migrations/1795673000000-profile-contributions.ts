import { MigrationInterface, QueryRunner } from 'typeorm';
import { backfillDetainerContributions } from '../libs/persistence/src/repositories/detainer-contribution.repository';

/**
 * A jurisdiction's measured practice (its profile) adds three contributions per lodging to the stored
 * ones, computed by the same domain reading (`profileContributionsOf` beside `contributionsOf`):
 * `lodged` (acknowledged within 24 hours: `on_time`), `release_notice` (at least 48 hours ahead:
 * `on_time`) and `concluded` (`conclusion`: custody_to_ice | declined | missed_pickup | released, with
 * `hold_asked`). The weekly roll-up never copies them. Back-filled by replaying every detainer's events,
 * batch by batch outside one transaction (resumable, like the first back-fill).
 */
export class ProfileContributions1795673000000 implements MigrationInterface {
  name = 'ProfileContributions1795673000000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE detainer_contributions
        ADD COLUMN IF NOT EXISTS on_time boolean,
        ADD COLUMN IF NOT EXISTS conclusion text CHECK (conclusion IN ('custody_to_ice', 'declined', 'missed_pickup', 'released')),
        ADD COLUMN IF NOT EXISTS hold_asked boolean;
      ALTER TABLE detainer_contributions DROP CONSTRAINT IF EXISTS detainer_contributions_measure_check;
      ALTER TABLE detainer_contributions ADD CONSTRAINT detainer_contributions_measure_check CHECK (measure IN (
        'issued', 'declined', 'honored', 'missed_pickup', 'short_notice', 'excluded', 'decline_retracted', 'lodged', 'release_notice', 'concluded'));
      -- a profile reads one jurisdiction over up to 52 weeks
      CREATE INDEX IF NOT EXISTS detainer_contributions_jurisdiction_at_idx ON detainer_contributions (jurisdiction_id, at)
        INCLUDE (measure, on_time, conclusion, hold_asked, decline_kind, exclusion);
    `);
    const started = Date.now();
    const { done, total } = await backfillDetainerContributions((text, params) => q.query(text, params), {
      profile: true,
      progress: ({ done, total }) => console.log(`profile contributions: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} detainers back-filled`),
    });
    if (total > 0) console.log(`profile contributions: back-filled ${done.toLocaleString('en-US')} detainers in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM detainer_contributions WHERE measure IN ('lodged', 'release_notice', 'concluded');
      DROP INDEX IF EXISTS detainer_contributions_jurisdiction_at_idx;
      ALTER TABLE detainer_contributions DROP CONSTRAINT IF EXISTS detainer_contributions_measure_check;
      ALTER TABLE detainer_contributions ADD CONSTRAINT detainer_contributions_measure_check CHECK (measure IN (
        'issued', 'declined', 'honored', 'missed_pickup', 'short_notice', 'excluded', 'decline_retracted'));
      ALTER TABLE detainer_contributions DROP COLUMN on_time, DROP COLUMN conclusion, DROP COLUMN hold_asked;
    `);
  }
}
