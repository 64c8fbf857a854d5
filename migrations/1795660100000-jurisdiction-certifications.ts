import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A jurisdiction's Public Safety Partnership certifications (the three it can make: federal access
 * to its facilities, 48 hours' notice of release, holding up to 48 hours), each with its dates and
 * the source it was read from. Reference data, read by every role: no row-level security.
 */
export class JurisdictionCertifications1795660100000 implements MigrationInterface {
  name = 'JurisdictionCertifications1795660100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE jurisdiction_certifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        jurisdiction_id uuid NOT NULL REFERENCES jurisdictions (id),
        kind text NOT NULL CHECK (kind IN ('facility_access', 'release_notice_48h', 'hold_48h')),
        certified_on date NOT NULL,
        expires_on date,
        source text NOT NULL CHECK (length(source) BETWEEN 1 AND 1000),
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (expires_on IS NULL OR expires_on >= certified_on)
      );
      CREATE INDEX jurisdiction_certifications_jurisdiction_idx ON jurisdiction_certifications (jurisdiction_id, certified_on);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE jurisdiction_certifications`);
  }
}
