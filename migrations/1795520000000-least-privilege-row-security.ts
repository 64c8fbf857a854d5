import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Least privilege and row-level security.
 *
 * The service connects as an application role that owns nothing; migrations run as the owner. The
 * application role's name is not written here: the migrator passes it as `app.application_role`
 * (from DATABASE_URL's user), and default privileges give it the ordinary grants on tables created
 * later. It may never change or remove events, audit entries or published report versions, and may
 * remove no detainer, lodging, subject, notification or delivery.
 *
 * Row-level security is a second wall behind the scope condition every query carries. Each
 * transaction says whose it is with `set_config('app.scope', ..., true)` and friends (see
 * libs/persistence/src/database-scope.ts); a transaction that says nothing sees nothing. Policies are
 * FORCEd, so they bind the owner too. Reach is by detainer: an AOR sees the detainers it issued or
 * that were ever lodged in it (with all their lodgings and events), an agency the detainers ever
 * lodged with it but only its own lodgings and their events. Writes to the detainer spine go only
 * through an explicit door: the detainer a use case is acting on (`app.detainer_ids`, opened after
 * its scope check) and the subject it links (`app.subject_ids`), or the system scope.
 *
 * A detainer's reach is kept on its rows, so that the policies of detainers and lodgings read only
 * their own row (no look-up that could recurse, or that a planner might turn into a scan): on the
 * detainer, its AOR, its current facility's AOR and agency (already columns) plus the AORs and
 * agencies of earlier lodgings (`former_area_ids`, `former_agency_ids`); on each lodging, its own and
 * the issuing AOR (columns) plus the detainer's other AORs (`other_area_ids`). Triggers keep them;
 * only detainers that moved between AORs or agencies carry anything in them.
 */
export class LeastPrivilegeRowSecurity1795520000000 implements MigrationInterface {
  name = 'LeastPrivilegeRowSecurity1795520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION app_scope() RETURNS text LANGUAGE sql STABLE AS $$ SELECT current_setting('app.scope', true) $$;
      CREATE FUNCTION app_area_id() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT NULLIF(current_setting('app.area_id', true), '')::uuid $$;
      CREATE FUNCTION app_agency_id() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT NULLIF(current_setting('app.agency_id', true), '')::uuid $$;
      CREATE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$;
      CREATE FUNCTION app_detainer_ids() RETURNS uuid[] LANGUAGE sql STABLE
        AS $$ SELECT string_to_array(NULLIF(current_setting('app.detainer_ids', true), ''), ',')::uuid[] $$;
      CREATE FUNCTION app_subject_ids() RETURNS uuid[] LANGUAGE sql STABLE
        AS $$ SELECT string_to_array(NULLIF(current_setting('app.subject_ids', true), ''), ',')::uuid[] $$;

      ALTER TABLE detainers ADD COLUMN former_area_ids uuid[] NOT NULL DEFAULT '{}', ADD COLUMN former_agency_ids uuid[] NOT NULL DEFAULT '{}';
      UPDATE detainers d SET former_area_ids = x.areas, former_agency_ids = x.agencies
      FROM (
        SELECT l.detainer_id,
               COALESCE(array_agg(DISTINCT l.area_id) FILTER (WHERE l.area_id NOT IN (d2.area_id, d2.current_area_id)), '{}') AS areas,
               COALESCE(array_agg(DISTINCT l.agency_id) FILTER (WHERE l.agency_id <> d2.agency_id), '{}') AS agencies
        FROM lodgings l JOIN detainers d2 ON d2.id = l.detainer_id
        GROUP BY l.detainer_id
        HAVING bool_or(l.area_id NOT IN (d2.area_id, d2.current_area_id) OR l.agency_id <> d2.agency_id)
      ) x
      WHERE x.detainer_id = d.id;

      ALTER TABLE lodgings ADD COLUMN other_area_ids uuid[] NOT NULL DEFAULT '{}';
      UPDATE lodgings l SET other_area_ids = x.areas
      FROM (
        SELECT l2.detainer_id, l2.seq, array_agg(DISTINCT a) AS areas
        FROM lodgings l2 JOIN detainers d ON d.id = l2.detainer_id
        CROSS JOIN LATERAL unnest(d.former_area_ids || d.area_id || d.current_area_id) a
        WHERE a NOT IN (l2.area_id, l2.issuing_area_id) AND (cardinality(d.former_area_ids) > 0 OR d.current_area_id <> d.area_id)
        GROUP BY l2.detainer_id, l2.seq
      ) x
      WHERE l.detainer_id = x.detainer_id AND l.seq = x.seq;

      -- A detainer moving on keeps the AOR and agency it leaves within reach; reach only ever grows.
      CREATE FUNCTION detainers_keep_former_reach() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT (OLD.former_area_ids <@ NEW.former_area_ids) THEN
          NEW.former_area_ids := ARRAY(SELECT DISTINCT unnest(OLD.former_area_ids || NEW.former_area_ids));
        END IF;
        IF NOT (OLD.former_agency_ids <@ NEW.former_agency_ids) THEN
          NEW.former_agency_ids := ARRAY(SELECT DISTINCT unnest(OLD.former_agency_ids || NEW.former_agency_ids));
        END IF;
        IF OLD.current_area_id <> NEW.current_area_id AND OLD.current_area_id <> NEW.area_id AND NOT OLD.current_area_id = ANY (NEW.former_area_ids) THEN
          NEW.former_area_ids := NEW.former_area_ids || OLD.current_area_id;
        END IF;
        IF OLD.agency_id <> NEW.agency_id AND NOT OLD.agency_id = ANY (NEW.former_agency_ids) THEN
          NEW.former_agency_ids := NEW.former_agency_ids || OLD.agency_id;
        END IF;
        RETURN NEW;
      END;
      $$;
      -- named to run after detainers_current_area (triggers fire in name order)
      CREATE TRIGGER detainers_former_reach BEFORE UPDATE ON detainers FOR EACH ROW EXECUTE FUNCTION detainers_keep_former_reach();
      ALTER TABLE detainers ENABLE ALWAYS TRIGGER detainers_former_reach;

      -- A new lodging starts with the detainer's reach; named to run after lodgings_issuing_area.
      CREATE FUNCTION lodgings_take_reach() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.other_area_ids := COALESCE((
          SELECT array_agg(DISTINCT a) FROM detainers d CROSS JOIN LATERAL unnest(d.former_area_ids || d.area_id || d.current_area_id) a
          WHERE d.id = NEW.detainer_id AND a NOT IN (NEW.area_id, NEW.issuing_area_id)), '{}');
        RETURN NEW;
      END;
      $$;
      CREATE TRIGGER lodgings_other_areas BEFORE INSERT ON lodgings FOR EACH ROW EXECUTE FUNCTION lodgings_take_reach();
      ALTER TABLE lodgings ENABLE ALWAYS TRIGGER lodgings_other_areas;

      -- ... and extends the reach of the detainer and of its other lodgings (bulk loads write a detainer
      -- as it ends up and then all its lodgings; an action writes the detainer first).
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

      ALTER TABLE detainers ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
      CREATE POLICY detainers_read ON detainers FOR SELECT USING (
        app_scope() IN ('system', 'reporting', 'all')
        OR (app_scope() = 'area' AND (area_id = app_area_id() OR current_area_id = app_area_id() OR app_area_id() = ANY (former_area_ids)))
        OR (app_scope() = 'agency' AND (agency_id = app_agency_id() OR app_agency_id() = ANY (former_agency_ids)))
        OR id = ANY (app_detainer_ids()));
      CREATE POLICY detainers_insert ON detainers FOR INSERT WITH CHECK (app_scope() = 'system' OR id = ANY (app_detainer_ids()));
      CREATE POLICY detainers_update ON detainers FOR UPDATE
        USING (app_scope() = 'system' OR id = ANY (app_detainer_ids())) WITH CHECK (app_scope() = 'system' OR id = ANY (app_detainer_ids()));

      ALTER TABLE lodgings ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
      CREATE POLICY lodgings_read ON lodgings FOR SELECT USING (
        app_scope() IN ('system', 'reporting', 'all')
        OR (app_scope() = 'agency' AND agency_id = app_agency_id())
        OR (app_scope() = 'area' AND (area_id = app_area_id() OR issuing_area_id = app_area_id() OR app_area_id() = ANY (other_area_ids)))
        OR detainer_id = ANY (app_detainer_ids()));
      CREATE POLICY lodgings_insert ON lodgings FOR INSERT WITH CHECK (app_scope() = 'system' OR detainer_id = ANY (app_detainer_ids()));
      CREATE POLICY lodgings_update ON lodgings FOR UPDATE
        USING (app_scope() = 'system' OR detainer_id = ANY (app_detainer_ids())) WITH CHECK (app_scope() = 'system' OR detainer_id = ANY (app_detainer_ids()));

      ALTER TABLE detainer_events ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
      -- an event is visible with its lodging (an AOR sees all of a detainer's lodgings, an agency its own)
      CREATE POLICY detainer_events_read ON detainer_events FOR SELECT USING (
        app_scope() IN ('system', 'reporting', 'all')
        OR detainer_id = ANY (app_detainer_ids())
        OR (app_scope() IN ('area', 'agency') AND EXISTS (SELECT 1 FROM lodgings l WHERE l.detainer_id = detainer_events.detainer_id AND l.seq = detainer_events.lodging_seq)));
      CREATE POLICY detainer_events_insert ON detainer_events FOR INSERT WITH CHECK (app_scope() = 'system' OR detainer_id = ANY (app_detainer_ids()));

      ALTER TABLE subjects ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
      CREATE POLICY subjects_read ON subjects FOR SELECT USING (
        app_scope() IN ('system', 'all')
        OR id = ANY (app_subject_ids())
        OR (app_scope() IN ('area', 'agency') AND EXISTS (SELECT 1 FROM detainers d WHERE d.subject_id = subjects.id)));
      CREATE POLICY subjects_insert ON subjects FOR INSERT WITH CHECK (app_scope() IN ('system', 'area') OR id = ANY (app_subject_ids()));
      CREATE POLICY subjects_update ON subjects FOR UPDATE
        USING (app_scope() = 'system' OR id = ANY (app_subject_ids())
               OR EXISTS (SELECT 1 FROM detainers d WHERE d.subject_id = subjects.id AND d.id = ANY (app_detainer_ids())))
        WITH CHECK (app_scope() = 'system' OR id = ANY (app_subject_ids())
               OR EXISTS (SELECT 1 FROM detainers d WHERE d.subject_id = subjects.id AND d.id = ANY (app_detainer_ids())));

      ALTER TABLE notifications ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
      CREATE POLICY notifications_own ON notifications USING (app_scope() = 'system' OR user_id = app_user_id());

      ALTER TABLE reminder_deliveries ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
      CREATE POLICY reminder_deliveries_scoped ON reminder_deliveries USING (
        app_scope() IN ('system', 'all')
        OR EXISTS (SELECT 1 FROM reminders r WHERE r.id = reminder_deliveries.reminder_id
                   AND ((app_scope() = 'area' AND r.area_id = app_area_id()) OR (app_scope() = 'agency' AND r.agency_id = app_agency_id()))));

      -- Subjects for national figures: only what may be published (citizenship), through a view whose
      -- owner alone may read every subject, and only in the reporting scope.
      CREATE VIEW subject_demographics WITH (security_barrier) AS SELECT id, citizenship FROM subjects;

      -- Linking a new detainer to the person on file, whoever's records they are on: the subjects with
      -- either identifier, locked, and opened (app.subject_ids) for the rest of the transaction.
      CREATE FUNCTION subjects_by_identifier(p_a_number bpchar, p_fbi_number text) RETURNS SETOF subjects
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        scope text := current_setting('app.scope', true);
        found uuid[];
      BEGIN
        -- the system scope for this one look-up (an error aborts the transaction, and the setting with it)
        PERFORM set_config('app.scope', 'system', true);
        SELECT COALESCE(array_agg(s.id), '{}') INTO found
          FROM (SELECT id FROM subjects WHERE a_number = p_a_number OR fbi_number = p_fbi_number FOR UPDATE) s;
        PERFORM set_config('app.scope', COALESCE(scope, ''), true);
        PERFORM set_config('app.subject_ids', concat_ws(',', NULLIF(current_setting('app.subject_ids', true), ''), NULLIF(array_to_string(found, ','), '')), true);
        RETURN QUERY SELECT * FROM subjects WHERE id = ANY (found) ORDER BY created_at;
      END;
      $$;
    `);
    await q.query(`
      DO $$
      DECLARE
        app name := NULLIF(current_setting('app.application_role', true), '');
      BEGIN
        EXECUTE format('CREATE POLICY subjects_reporting ON subjects FOR SELECT TO %I USING (app_scope() = %L)', current_user, 'reporting');
        IF app IS NULL THEN
          RAISE EXCEPTION 'app.application_role is not set: run migrations with npm run migrate, which names the application role (the user of DATABASE_URL)';
        END IF;
        IF app <> current_user THEN
          EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app);
          EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', app);
          EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', app);
          EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', app);
          EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %I', app);
          EXECUTE format('REVOKE ALL ON schema_migrations FROM %I', app);
          EXECUTE format('REVOKE UPDATE, DELETE ON detainer_events, audit_log, report_versions, report_version_contributions, report_version_changes, report_reconciliation_confirmations FROM %I', app);
          EXECUTE format('REVOKE DELETE ON detainers, lodgings, subjects, notifications, reminder_deliveries FROM %I', app);
        END IF;
      END;
      $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      DECLARE
        app name := NULLIF(current_setting('app.application_role', true), '');
      BEGIN
        IF app IS NOT NULL AND app <> current_user THEN
          EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM %I', app);
          EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM %I', app);
          EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', app);
          EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', app);
          EXECUTE format('REVOKE USAGE ON SCHEMA public FROM %I', app);
        END IF;
      END;
      $$;
      DROP FUNCTION subjects_by_identifier(bpchar, text);
      DROP VIEW subject_demographics;
      DROP POLICY subjects_reporting ON subjects;
      DROP POLICY reminder_deliveries_scoped ON reminder_deliveries;
      DROP POLICY notifications_own ON notifications;
      DROP POLICY subjects_read ON subjects;
      DROP POLICY subjects_insert ON subjects;
      DROP POLICY subjects_update ON subjects;
      DROP POLICY detainer_events_read ON detainer_events;
      DROP POLICY detainer_events_insert ON detainer_events;
      DROP POLICY lodgings_read ON lodgings;
      DROP POLICY lodgings_insert ON lodgings;
      DROP POLICY lodgings_update ON lodgings;
      DROP POLICY detainers_read ON detainers;
      DROP POLICY detainers_insert ON detainers;
      DROP POLICY detainers_update ON detainers;
      ALTER TABLE reminder_deliveries NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
      ALTER TABLE notifications NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
      ALTER TABLE subjects NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
      ALTER TABLE detainer_events NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
      ALTER TABLE lodgings NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
      ALTER TABLE detainers NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY;
      DROP TRIGGER lodgings_extend_reach ON lodgings;
      DROP FUNCTION lodgings_extend_reach();
      DROP TRIGGER lodgings_other_areas ON lodgings;
      DROP FUNCTION lodgings_take_reach();
      ALTER TABLE lodgings DROP COLUMN other_area_ids;
      DROP TRIGGER detainers_former_reach ON detainers;
      DROP FUNCTION detainers_keep_former_reach();
      ALTER TABLE detainers DROP COLUMN former_agency_ids, DROP COLUMN former_area_ids;
      DROP FUNCTION app_subject_ids();
      DROP FUNCTION app_detainer_ids();
      DROP FUNCTION app_user_id();
      DROP FUNCTION app_agency_id();
      DROP FUNCTION app_area_id();
      DROP FUNCTION app_scope();
    `);
  }
}
