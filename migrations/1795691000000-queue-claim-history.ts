import { MigrationInterface, QueryRunner } from 'typeorm';

const QUEUES = `'unacknowledged', 'release_soon_no_pickup', 'hold_expiring', 'short_notice', 'decline_no_outcome', 'disputes', 'failed_deliveries', 'booked_elsewhere'`;
const LEGACY_KINDS = `'queue_item_claimed', 'queue_claim_released'`;

/**
 * Queue claims get their own history. Who works which queue item is the supervisors' work state, not
 * a fact about the request: it was recorded twice (claim events in `detainer_events`, and the
 * `queue_claims` table kept beside them) and filtered out of what agencies see. Now:
 *
 * - `queue_claim_events`: every claim, assignment and release, append-only (the application role may
 *   only read and add; a trigger refuses any change, for the owner too). Each row keeps the
 *   detainer's version when it was recorded and how many of the detainer's events came before it, so
 *   that a federal reader's timeline shows it where it always was.
 * - `queue_claims`: the current claims, a view of the latest entry per detainer and queue (stored
 *   once: nothing to keep in step). The hot reads take the same latest entry by an index probe.
 * - Row-level security: a claim is seen with its lodging, by an AOR that sees the lodging (and
 *   nationally by admins and the system); never by an agency, nor in the reporting scope.
 *
 * The claim events already in `detainer_events` are copied, not moved: the stream is append-only and
 * its sequence numbers count them. They stay there, inert (replay passes over them, readers leave
 * them out), each copy naming the event it came from (`stream_seq`). Down puts the claims recorded
 * since back into the streams (after their last event, at the detainer's current version) and
 * rebuilds the old table from the history.
 */
export class QueueClaimHistory1795691000000 implements MigrationInterface {
  name = 'QueueClaimHistory1795691000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE queue_claim_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        detainer_id uuid NOT NULL REFERENCES detainers (id),
        lodging_seq integer NOT NULL,
        queue text NOT NULL CHECK (queue IN (${QUEUES})),
        kind text NOT NULL CHECK (kind IN ('claimed', 'released')),
        holder_id uuid NOT NULL REFERENCES users (id),
        previous_holder_id uuid REFERENCES users (id) CHECK (previous_holder_id IS NULL OR kind = 'claimed'),
        detainer_version integer NOT NULL,
        events_before integer NOT NULL CHECK (events_before >= 1),
        recorded_at timestamptz NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'system')),
        actor_id uuid,
        actor_role text NOT NULL,
        actor_agency_id uuid,
        actor_area_id uuid,
        source text NOT NULL CHECK (source IN ('lea_reported', 'ice_observed', 'system')),
        request_id text,
        stream_seq integer,
        FOREIGN KEY (detainer_id, lodging_seq) REFERENCES lodgings (detainer_id, seq)
      );
      -- the latest entry of a detainer's item of one queue (who holds it now), and a detainer's history in order;
      -- covering what a queue page reads and the policy tests, so that the probe is index-only (rows are never
      -- updated, so the visibility map stays all-visible once vacuumed)
      CREATE INDEX queue_claim_events_latest_idx ON queue_claim_events (detainer_id, queue, id DESC)
        INCLUDE (kind, lodging_seq, holder_id, recorded_at, actor_id);

      CREATE TRIGGER queue_claim_events_append_only BEFORE UPDATE OR DELETE ON queue_claim_events
        FOR EACH ROW EXECUTE FUNCTION reject_change_to_append_only();
      CREATE TRIGGER queue_claim_events_no_truncate BEFORE TRUNCATE ON queue_claim_events
        FOR EACH STATEMENT EXECUTE FUNCTION reject_change_to_append_only();

      INSERT INTO queue_claim_events (detainer_id, lodging_seq, queue, kind, holder_id, previous_holder_id, detainer_version, events_before, recorded_at,
                                      actor_kind, actor_id, actor_role, actor_agency_id, actor_area_id, source, request_id, stream_seq)
      SELECT e.detainer_id, e.lodging_seq, e.payload->>'queue', CASE e.kind WHEN 'queue_item_claimed' THEN 'claimed' ELSE 'released' END,
             (e.payload->>'holderId')::uuid, (e.payload->>'previousHolderId')::uuid, e.version, e.seq - 1, e.recorded_at,
             e.actor_kind, e.actor_id, e.actor_role, e.actor_agency_id, e.actor_area_id, e.source, e.request_id, e.seq
      FROM detainer_events e WHERE e.kind IN (${LEGACY_KINDS})
      ORDER BY e.id;

      DROP TABLE queue_claims;
      CREATE VIEW queue_claims WITH (security_invoker = true) AS
        SELECT latest.detainer_id, latest.queue, latest.lodging_seq, latest.holder_id, latest.recorded_at AS claimed_at, latest.actor_id AS claimed_by
        FROM (SELECT DISTINCT ON (c.detainer_id, c.queue) c.* FROM queue_claim_events c ORDER BY c.detainer_id, c.queue, c.id DESC) latest
        WHERE latest.kind = 'claimed';

      ALTER TABLE queue_claim_events ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
      -- as the policies of 1795520300000 (settings read once per statement); the lodging's own policy decides the AOR's reach
      CREATE POLICY queue_claim_events_read ON queue_claim_events FOR SELECT USING (
        (SELECT app_scope()) IN ('system', 'all')
        OR ((SELECT app_area_id()) IS NOT NULL
            AND EXISTS (SELECT 1 FROM lodgings l WHERE l.detainer_id = queue_claim_events.detainer_id AND l.seq = queue_claim_events.lodging_seq)));
      CREATE POLICY queue_claim_events_insert ON queue_claim_events FOR INSERT WITH CHECK (
        (SELECT app_scope()) = 'system' OR ((SELECT app_area_id()) IS NOT NULL AND detainer_id = ANY ((SELECT app_detainer_ids())::uuid[])));
    `);
    await q.query(`
      DO $$
      DECLARE
        app name := NULLIF(current_setting('app.application_role', true), '');
      BEGIN
        IF app IS NOT NULL AND app <> current_user THEN
          EXECUTE format('GRANT SELECT, INSERT ON queue_claim_events TO %I', app);
          EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON queue_claim_events FROM %I', app);
          EXECUTE format('GRANT SELECT ON queue_claims TO %I', app);
          EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON queue_claims FROM %I', app);
        END IF;
      END;
      $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      -- the claims recorded since, back into their streams: after the last event, at the current version
      -- (the old schema had no booked_elsewhere claims)
      INSERT INTO detainer_events (detainer_id, seq, version, lodging_seq, kind, occurred_at, recorded_at, actor_kind, actor_id, actor_role,
                                   actor_agency_id, actor_area_id, source, payload, request_id)
      SELECT c.detainer_id, s.last_seq + row_number() OVER (PARTITION BY c.detainer_id ORDER BY c.id), s.version, c.lodging_seq,
             CASE c.kind WHEN 'claimed' THEN 'queue_item_claimed' ELSE 'queue_claim_released' END, c.recorded_at, c.recorded_at,
             c.actor_kind, c.actor_id, c.actor_role, c.actor_agency_id, c.actor_area_id, c.source,
             jsonb_build_object('queue', c.queue, 'holderId', c.holder_id)
               || CASE WHEN c.previous_holder_id IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('previousHolderId', c.previous_holder_id) END,
             c.request_id
      FROM queue_claim_events c
      JOIN (SELECT detainer_id, max(seq) AS last_seq, max(version) AS version FROM detainer_events GROUP BY detainer_id) s ON s.detainer_id = c.detainer_id
      WHERE c.stream_seq IS NULL AND c.queue <> 'booked_elsewhere'
      ORDER BY c.id;

      DROP VIEW queue_claims;
      CREATE TABLE queue_claims (
        detainer_id uuid NOT NULL REFERENCES detainers (id),
        queue text NOT NULL CHECK (queue IN ('unacknowledged', 'release_soon_no_pickup', 'hold_expiring', 'short_notice',
          'decline_no_outcome', 'disputes', 'failed_deliveries')),
        lodging_seq integer NOT NULL,
        holder_id uuid NOT NULL REFERENCES users (id),
        claimed_at timestamptz NOT NULL,
        claimed_by uuid REFERENCES users (id),
        PRIMARY KEY (detainer_id, queue),
        FOREIGN KEY (detainer_id, lodging_seq) REFERENCES lodgings (detainer_id, seq)
      );
      CREATE INDEX queue_claims_holder_idx ON queue_claims (holder_id);
      INSERT INTO queue_claims (detainer_id, queue, lodging_seq, holder_id, claimed_at, claimed_by)
      SELECT latest.detainer_id, latest.queue, latest.lodging_seq, latest.holder_id, latest.recorded_at, latest.actor_id
      FROM (SELECT DISTINCT ON (c.detainer_id, c.queue) c.* FROM queue_claim_events c ORDER BY c.detainer_id, c.queue, c.id DESC) latest
      WHERE latest.kind = 'claimed' AND latest.queue <> 'booked_elsewhere';

      DROP TABLE queue_claim_events;
    `);
  }
}
