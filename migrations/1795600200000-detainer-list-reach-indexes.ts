import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keyset-paged detainer lists scan each alternative of the caller's scope in (issued_at, id) order
 * and merge: an AOR's own detainers (detainers_area_issued_idx), those held in it now (below), and
 * those that passed through it; an agency's current ones (detainers_agency_issued_idx) and former
 * ones. The former reach is an array on the row (what the policies read), which no ordered index
 * answers, and a GIN index would not help: array containment is not leakproof, so under row-level
 * security it cannot be an index condition. `detainer_former_reach` lists the same reach one row per
 * (AOR or agency, detainer), kept by a trigger from the arrays, in issue order.
 */
export class DetainerListReachIndexes1795600200000 implements MigrationInterface {
  name = 'DetainerListReachIndexes1795600200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX detainers_current_area_issued_idx ON detainers (current_area_id, issued_at DESC, id);

      CREATE TABLE detainer_former_reach (
        kind text NOT NULL CHECK (kind IN ('area', 'agency')),
        unit_id uuid NOT NULL,
        detainer_id uuid NOT NULL REFERENCES detainers (id),
        issued_at timestamptz NOT NULL,
        PRIMARY KEY (kind, unit_id, detainer_id)
      );
      CREATE INDEX detainer_former_reach_page_idx ON detainer_former_reach (kind, unit_id, issued_at DESC, detainer_id DESC);
      CREATE INDEX detainer_former_reach_detainer_idx ON detainer_former_reach (detainer_id);

      ALTER TABLE detainer_former_reach ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
      CREATE POLICY detainer_former_reach_read ON detainer_former_reach FOR SELECT USING (
        (SELECT app_scope()) IN ('system', 'reporting', 'all')
        OR (kind = 'area' AND unit_id = (SELECT app_area_id()))
        OR (kind = 'agency' AND unit_id = (SELECT app_agency_id()))
        OR detainer_id = ANY ((SELECT app_detainer_ids())::uuid[]));
      CREATE POLICY detainer_former_reach_insert ON detainer_former_reach FOR INSERT WITH CHECK ((SELECT app_scope()) = 'system' OR detainer_id = ANY ((SELECT app_detainer_ids())::uuid[]));
      CREATE POLICY detainer_former_reach_update ON detainer_former_reach FOR UPDATE
        USING ((SELECT app_scope()) = 'system' OR detainer_id = ANY ((SELECT app_detainer_ids())::uuid[])) WITH CHECK ((SELECT app_scope()) = 'system' OR detainer_id = ANY ((SELECT app_detainer_ids())::uuid[]));

      CREATE FUNCTION detainers_list_former_reach() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO detainer_former_reach (kind, unit_id, detainer_id, issued_at)
        SELECT 'area', a, NEW.id, NEW.issued_at FROM unnest(NEW.former_area_ids) a
        UNION ALL SELECT 'agency', g, NEW.id, NEW.issued_at FROM unnest(NEW.former_agency_ids) g
        ON CONFLICT (kind, unit_id, detainer_id) DO UPDATE SET issued_at = EXCLUDED.issued_at
          WHERE detainer_former_reach.issued_at <> EXCLUDED.issued_at;
        RETURN NULL;
      END;
      $$;
      CREATE TRIGGER detainers_list_former_reach_insert AFTER INSERT ON detainers FOR EACH ROW
        WHEN (cardinality(NEW.former_area_ids) + cardinality(NEW.former_agency_ids) > 0)
        EXECUTE FUNCTION detainers_list_former_reach();
      CREATE TRIGGER detainers_list_former_reach_update AFTER UPDATE ON detainers FOR EACH ROW
        WHEN ((OLD.former_area_ids, OLD.former_agency_ids, OLD.issued_at) IS DISTINCT FROM (NEW.former_area_ids, NEW.former_agency_ids, NEW.issued_at)
              AND cardinality(NEW.former_area_ids) + cardinality(NEW.former_agency_ids) > 0)
        EXECUTE FUNCTION detainers_list_former_reach();
      ALTER TABLE detainers ENABLE ALWAYS TRIGGER detainers_list_former_reach_insert;
      ALTER TABLE detainers ENABLE ALWAYS TRIGGER detainers_list_former_reach_update;

      INSERT INTO detainer_former_reach (kind, unit_id, detainer_id, issued_at)
      SELECT 'area', a, d.id, d.issued_at FROM detainers d CROSS JOIN LATERAL unnest(d.former_area_ids) a
      UNION ALL SELECT 'agency', g, d.id, d.issued_at FROM detainers d CROSS JOIN LATERAL unnest(d.former_agency_ids) g
      ON CONFLICT DO NOTHING;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER detainers_list_former_reach_update ON detainers;
      DROP TRIGGER detainers_list_former_reach_insert ON detainers;
      DROP FUNCTION detainers_list_former_reach();
      DROP TABLE detainer_former_reach;
      DROP INDEX detainers_current_area_issued_idx;
    `);
  }
}
