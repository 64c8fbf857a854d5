import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A lodging's reach is kept per statement, not per row.
 *
 * Each new lodging ran three row triggers: one read the detainer for its issuing area, a second read
 * it again for its reach, and one after it updated the detainer's other lodgings and the detainer
 * itself (two more index scans, which for a detainer's first lodging change nothing). Writing 5,000
 * imported detainers at once, that was 20,000 trigger queries, most of the time of the lodgings'
 * insert (2.4 s of a batch against 0.4 s for the same rows into the same indexes without triggers).
 *
 * Now one BEFORE INSERT row trigger reads the detainer once for both, and the extension of the
 * reach runs once per statement over the statement's new lodgings (a transition table), with the
 * same result: a lodging's other areas gain every new lodging's area of its detainer that is not its
 * own or its issuing area; the detainer's former areas and agencies gain those it did not have. The
 * issuing area is still copied again when a lodging's detainer or issuing area is updated.
 */
export class LodgingReachPerStatement1795701000000 implements MigrationInterface {
  name = 'LodgingReachPerStatement1795701000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER lodgings_issuing_area ON lodgings;
      CREATE TRIGGER lodgings_issuing_area BEFORE UPDATE OF detainer_id, issuing_area_id ON lodgings
        FOR EACH ROW EXECUTE FUNCTION lodgings_copy_issuing_area();
      ALTER TABLE lodgings ENABLE ALWAYS TRIGGER lodgings_issuing_area;

      CREATE OR REPLACE FUNCTION lodgings_take_reach() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT d.area_id,
               (SELECT array_agg(DISTINCT a) FROM unnest(d.former_area_ids || d.area_id || d.current_area_id) a WHERE a NOT IN (NEW.area_id, d.area_id))
          INTO NEW.issuing_area_id, NEW.other_area_ids
        FROM detainers d WHERE d.id = NEW.detainer_id;
        NEW.other_area_ids := COALESCE(NEW.other_area_ids, '{}');
        RETURN NEW;
      END;
      $$;

      DROP TRIGGER lodgings_extend_reach ON lodgings;
      DROP FUNCTION lodgings_extend_reach();
      -- Its joins go from the statement's new lodgings to their detainers' rows by index, never by
      -- hashing a whole table: the work must grow with the statement, not with the tables (with
      -- stale statistics the planner hashed all of lodgings and detainers for each import batch).
      CREATE FUNCTION lodgings_extend_reach() RETURNS trigger LANGUAGE plpgsql SET enable_hashjoin = off SET enable_mergejoin = off AS $$
      BEGIN
        UPDATE lodgings l SET other_area_ids = l.other_area_ids || x.areas
        FROM (
          SELECT o.detainer_id, o.seq, array_agg(DISTINCT n.area_id) AS areas
          FROM added n JOIN lodgings o ON o.detainer_id = n.detainer_id AND o.seq <> n.seq
          WHERE n.area_id NOT IN (o.area_id, o.issuing_area_id) AND NOT n.area_id = ANY (o.other_area_ids)
          GROUP BY o.detainer_id, o.seq
        ) x
        WHERE l.detainer_id = x.detainer_id AND l.seq = x.seq;
        UPDATE detainers d SET former_area_ids = d.former_area_ids || x.areas, former_agency_ids = d.former_agency_ids || x.agencies
        FROM (
          SELECT e.id,
                 COALESCE(array_agg(DISTINCT n.area_id) FILTER (WHERE (n.area_id IN (e.area_id, e.current_area_id) OR n.area_id = ANY (e.former_area_ids)) IS NOT TRUE), '{}') AS areas,
                 COALESCE(array_agg(DISTINCT n.agency_id) FILTER (WHERE (n.agency_id = e.agency_id OR n.agency_id = ANY (e.former_agency_ids)) IS NOT TRUE), '{}') AS agencies
          FROM added n JOIN detainers e ON e.id = n.detainer_id
          GROUP BY e.id
        ) x
        WHERE d.id = x.id AND (cardinality(x.areas) > 0 OR cardinality(x.agencies) > 0);
        RETURN NULL;
      END;
      $$;
      CREATE TRIGGER lodgings_extend_reach AFTER INSERT ON lodgings REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION lodgings_extend_reach();
      ALTER TABLE lodgings ENABLE ALWAYS TRIGGER lodgings_extend_reach;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER lodgings_extend_reach ON lodgings;
      DROP FUNCTION lodgings_extend_reach();
      CREATE FUNCTION lodgings_extend_reach() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE lodgings l SET other_area_ids = l.other_area_ids || NEW.area_id
        WHERE l.detainer_id = NEW.detainer_id AND l.seq <> NEW.seq
          AND NEW.area_id NOT IN (l.area_id, l.issuing_area_id) AND NOT NEW.area_id = ANY (l.other_area_ids);
        UPDATE detainers d SET
          former_area_ids = CASE WHEN NEW.area_id IN (d.area_id, d.current_area_id) OR NEW.area_id = ANY (d.former_area_ids)
                                 THEN d.former_area_ids ELSE d.former_area_ids || NEW.area_id END,
          former_agency_ids = CASE WHEN NEW.agency_id = d.agency_id OR NEW.agency_id = ANY (d.former_agency_ids)
                                   THEN d.former_agency_ids ELSE d.former_agency_ids || NEW.agency_id END
        WHERE d.id = NEW.detainer_id
          AND NOT ((NEW.area_id IN (d.area_id, d.current_area_id) OR NEW.area_id = ANY (d.former_area_ids))
                   AND (NEW.agency_id = d.agency_id OR NEW.agency_id = ANY (d.former_agency_ids)));
        RETURN NULL;
      END;
      $$;
      CREATE TRIGGER lodgings_extend_reach AFTER INSERT ON lodgings FOR EACH ROW EXECUTE FUNCTION lodgings_extend_reach();
      ALTER TABLE lodgings ENABLE ALWAYS TRIGGER lodgings_extend_reach;

      CREATE OR REPLACE FUNCTION lodgings_take_reach() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.other_area_ids := COALESCE((
          SELECT array_agg(DISTINCT a) FROM detainers d CROSS JOIN LATERAL unnest(d.former_area_ids || d.area_id || d.current_area_id) a
          WHERE d.id = NEW.detainer_id AND a NOT IN (NEW.area_id, NEW.issuing_area_id)), '{}');
        RETURN NEW;
      END;
      $$;

      DROP TRIGGER lodgings_issuing_area ON lodgings;
      CREATE TRIGGER lodgings_issuing_area BEFORE INSERT OR UPDATE OF detainer_id, issuing_area_id ON lodgings
        FOR EACH ROW EXECUTE FUNCTION lodgings_copy_issuing_area();
      ALTER TABLE lodgings ENABLE ALWAYS TRIGGER lodgings_issuing_area;
    `);
  }
}
