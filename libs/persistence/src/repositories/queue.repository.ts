import {
  DeclineKind, DomainError, DetainerForm, DetainerStatus, HOLD_EXPIRING_WITHIN_HOURS, QueueClaim, QueueClaimEvent, QueueName, RELEASE_SOON_WITHIN_HOURS,
  UNACKNOWLEDGED_AFTER_HOURS,
} from '@app/domain';
import { decodeCursor, encodeCursor, Page } from '../paging';
import { RowMapper } from '../row-mapper';
import { AccessScope, Params } from '../scope';
import { Sql } from '../sql';

const HOUR_MS = 3_600_000;

export interface QueueFilters {
  facilityId?: string;
  agencyId?: string;
  jurisdictionId?: string;
  form?: DetainerForm;
}

export interface QueueClaimRecord {
  holder: { id: string; username: string; displayName: string | null };
  claimedAt: Date;
  /** Who took the claim: the holder, or the supervisor who assigned it. */
  claimedBy: { id: string; username: string } | null;
}

export interface QueueItemRecord {
  queue: QueueName;
  detainerId: string;
  version: number;
  form: DetainerForm;
  status: DetainerStatus;
  dueAt: Date;
  lodgingSeq: number;
  facility: { id: string; name: string; timeZone: string };
  agency: { id: string; ori: string; name: string };
  jurisdiction: { id: string; code: string; name: string; state: string };
  /** The AOR of the facility holding the person, and the AOR that issued the detainer. */
  area: { id: string; code: string };
  issuingArea: { id: string; code: string };
  subject: { id: string; familyName: string; givenName: string; aNumber: string | null };
  issuedAt: Date;
  lodgedAt: Date;
  acknowledgedAt: Date | null;
  releaseAt: Date | null;
  noticeLeadHours: number | null;
  pickupPlannedAt: Date | null;
  holdSince: Date | null;
  holdExpiresAt: Date | null;
  releasedAt: Date | null;
  declineKind: DeclineKind | null;
  declineRecordedAt: Date | null;
  identityClaim: 'citizenship' | 'identity' | null;
  /** Record disputes awaiting a decision (filled for the disputes queue). */
  openDisputes: OpenDisputeRecord[];
  /** Reminder deliveries that failed for good (filled for the failed_deliveries queue). */
  failedDeliveries: FailedDeliveryItem[];
  claim: QueueClaimRecord | null;
}

export interface FailedDeliveryItem {
  id: string;
  channel: string;
  reminderKind: string;
  /** The user or webhook it was for, and where it went. */
  recipient: string;
  address: string | null;
  attempts: number;
  lastError: string | null;
  failedAt: Date;
  timeZone: string;
}

export interface OpenDisputeRecord {
  id: string;
  lodging: number;
  agency: { id: string; ori: string; name: string };
  reason: string;
  openedAt: Date;
  /** Zone of the facility of the lodging disputed. */
  timeZone: string;
}

export interface QueueSummaryRecord {
  name: QueueName;
  count: number;
  oldestDueAt: Date | null;
  /** Zone of the facility of the oldest item, for its local time. */
  oldestTimeZone: string | null;
}

/**
 * How a queue is computed. Every queue is a predicate over the projection as of `now`, ordered by a
 * due-time key. Most are served by the partial indexes of migration 1795440000000 (their predicates
 * are repeated here verbatim so that the planner can match them): one ordered branch per AOR side.
 */
interface IndexedQueueSpec {
  kind: 'indexed';
  /** The table whose rows are the items: the current lodging, or the detainer row. */
  table: 'lodgings' | 'detainers';
  where: string;
  /** Sort key: a column of the row; the due time is key + dueOffsetMs. */
  key: string;
  dueOffsetMs: number;
  /** Time-dependent part: `key <= now + windowMs` (windowMs may be negative). */
  windowMs?: number;
}

/**
 * A queue whose items gather several open matters per detainer (disputes): small by nature, so it is
 * computed whole for the caller's scope, grouped per detainer, then ordered and limited.
 */
interface GroupedQueueSpec {
  kind: 'grouped';
  dueOffsetMs: 0;
  /** SQL yielding (detainer_id, seq, k) for the scope and filters, one row per detainer. */
  items(q: Query, params: Params): string;
}

type QueueSpec = IndexedQueueSpec | GroupedQueueSpec;

const LODGING = { id: 'l.detainer_id', seq: 'l.seq', facility: 'l.facility_id', agency: 'l.agency_id', jurisdiction: 'l.jurisdiction_id' };
const DETAINER = { id: 'd.id', seq: 'd.current_lodging_seq', facility: 'd.facility_id', agency: 'd.agency_id', jurisdiction: 'd.jurisdiction_id' };
const DECLINE_WHERE = `d.declined AND d.outcome_kind IS NULL AND d.status IN ('released', 'honored') AND d.decline_recorded_at IS NOT NULL`;
const RELEASE_WHERE = `l.status = 'release_scheduled' AND l.pickup_planned_at IS NULL`;

/**
 * Disputes awaiting decision: citizenship or identity claims (the current lodging is 'disputed'; due
 * since the claim event) and open record disputes (due since opened). A detainer is in scope when
 * issued by the AOR, held in it now, or when the lodging concerned is in it; the facility, agency and
 * jurisdiction filters apply to the lodging concerned.
 */
function disputeItems(q: Query, params: Params): string {
  const where = areaCondition(q.scope, params, (area) => `(x.area_id = ${area} OR d.area_id = ${area} OR d.current_area_id = ${area})`);
  where.push(...filterConditions(q.filters, params, { facility: 'x.facility_id', agency: 'x.agency_id', jurisdiction: 'x.jurisdiction_id' }));
  return `SELECT x.detainer_id, d.current_lodging_seq AS seq, min(x.k) AS k
    FROM (
      SELECT l.detainer_id, claim.recorded_at AS k, l.area_id, l.facility_id, l.agency_id, l.jurisdiction_id
      FROM lodgings l
      CROSS JOIN LATERAL (
        SELECT e.recorded_at FROM detainer_events e
        WHERE e.detainer_id = l.detainer_id AND e.kind IN ('citizenship_claimed', 'identity_disputed')
        ORDER BY e.seq DESC LIMIT 1) claim
      WHERE l.status = 'disputed'
      UNION ALL
      SELECT rd.detainer_id, rd.opened_at, l.area_id, l.facility_id, l.agency_id, l.jurisdiction_id
      FROM record_disputes rd JOIN lodgings l ON l.detainer_id = rd.detainer_id AND l.seq = rd.lodging_seq
      WHERE rd.status = 'open'
    ) x
    JOIN detainers d ON d.id = x.detainer_id
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    GROUP BY x.detainer_id, d.current_lodging_seq`;
}

/**
 * Failed deliveries: reminder e-mails and webhooks that failed after their last attempt, one item per
 * detainer, due since the first failure. Reminders are the issuing office's, so is this queue: the
 * scope is the reminder's AOR (as for retrying them); the filters apply to the lodging reminded about.
 */
function failedDeliveryItems(q: Query, params: Params): string {
  const where = [`dl.status = 'failed'`, ...areaCondition(q.scope, params, (area) => `r.area_id = ${area}`)];
  where.push(...filterConditions(q.filters, params, LODGING));
  return `SELECT r.detainer_id, d.current_lodging_seq AS seq, min(dl.failed_at) AS k
    FROM reminder_deliveries dl
    JOIN reminders r ON r.id = dl.reminder_id
    JOIN lodgings l ON l.detainer_id = r.detainer_id AND l.seq = r.lodging_seq
    JOIN detainers d ON d.id = r.detainer_id
    WHERE ${where.join(' AND ')}
    GROUP BY r.detainer_id, d.current_lodging_seq`;
}

/**
 * Booked elsewhere: another agency booked the person while the current lodging, with a different
 * agency, is open. The alert is the issuing office's, so is the item: the scope is the issuing AOR
 * (booking_alerts' own policy allows no other); it leaves when that lodging closes or the next opens.
 */
function bookedElsewhereItems(q: Query, params: Params): string {
  const where = [`l.status <> ALL (ARRAY['honored', 'released', 'transferred', 'misdirected', 'cancelled'])`, ...areaCondition(q.scope, params, (area) => `ba.area_id = ${area}`)];
  where.push(...filterConditions(q.filters, params, LODGING));
  return `SELECT ba.detainer_id, d.current_lodging_seq AS seq, min(ba.booked_at) AS k
    FROM booking_alerts ba
    JOIN detainers d ON d.id = ba.detainer_id AND d.current_lodging_seq = ba.lodging_seq
    JOIN lodgings l ON l.detainer_id = ba.detainer_id AND l.seq = ba.lodging_seq
    WHERE ${where.join(' AND ')}
    GROUP BY ba.detainer_id, d.current_lodging_seq`;
}

/** Every queue, and how it is computed. */
const QUEUE_SPECS: Partial<Record<QueueName, QueueSpec>> = {
  unacknowledged: {
    kind: 'indexed',
    table: 'lodgings',
    where: `l.status = 'issued'`,
    key: 'l.opened_at',
    dueOffsetMs: UNACKNOWLEDGED_AFTER_HOURS * HOUR_MS,
    windowMs: -UNACKNOWLEDGED_AFTER_HOURS * HOUR_MS,
  },
  release_soon_no_pickup: { kind: 'indexed', table: 'lodgings', where: RELEASE_WHERE, key: 'l.release_at', dueOffsetMs: 0, windowMs: RELEASE_SOON_WITHIN_HOURS * HOUR_MS },
  hold_expiring: { kind: 'indexed', table: 'lodgings', where: `l.status = 'held'`, key: 'l.hold_expires_at', dueOffsetMs: 0, windowMs: HOLD_EXPIRING_WITHIN_HOURS * HOUR_MS },
  short_notice: { kind: 'indexed', table: 'lodgings', where: `${RELEASE_WHERE} AND l.short_notice`, key: 'l.release_at', dueOffsetMs: 0 },
  decline_no_outcome: { kind: 'indexed', table: 'detainers', where: DECLINE_WHERE, key: 'd.decline_recorded_at', dueOffsetMs: 0 },
  disputes: { kind: 'grouped', dueOffsetMs: 0, items: disputeItems },
  failed_deliveries: { kind: 'grouped', dueOffsetMs: 0, items: failedDeliveryItems },
  booked_elsewhere: { kind: 'grouped', dueOffsetMs: 0, items: bookedElsewhereItems },
};

export const QUEUES_AVAILABLE = Object.keys(QUEUE_SPECS) as QueueName[];

interface Query {
  queue: QueueName;
  scope: AccessScope;
  filters: QueueFilters;
  now: Date;
}

interface KeyRow {
  detainer_id: string;
  seq: number;
  k: Date;
  k_text: string;
}

interface DetailRow {
  ord: string;
  id: string;
  version: number;
  form: DetainerForm;
  status: DetainerStatus;
  issued_at: Date;
  issuing_area_id: string;
  decline_kind: DeclineKind | null;
  decline_recorded_at: Date | null;
  subject_id: string;
  family_name: string;
  given_name: string;
  a_number: string | null;
  seq: number;
  opened_at: Date;
  acknowledged_at: Date | null;
  release_at: Date | null;
  notice_lead_hours: string | null;
  pickup_planned_at: Date | null;
  hold_since: Date | null;
  hold_expires_at: Date | null;
  released_at: Date | null;
  identity_claim: 'citizenship' | 'identity' | null;
  time_zone: string;
  facility_id: string;
  agency_id: string;
  jurisdiction_id: string;
  area_id: string;
  holder_id: string | null;
  holder_username: string | null;
  holder_display_name: string | null;
  claimed_at: Date | null;
  claimed_by: string | null;
  claimed_by_username: string | null;
}

/**
 * The latest entry of a detainer's claim history for one queue: one probe of
 * queue_claim_events_latest_idx. It holds the item when it is a claim on the lodging asked about.
 */
const LATEST_CLAIM = (detainerId: string, queue: string) =>
  `SELECT ce.kind, ce.lodging_seq, ce.holder_id, ce.recorded_at, ce.actor_id FROM queue_claim_events ce
   WHERE ce.detainer_id = ${detainerId} AND ce.queue = ${queue} ORDER BY ce.id DESC LIMIT 1`;

type ClaimColumns = Pick<DetailRow, 'holder_id' | 'holder_username' | 'holder_display_name' | 'claimed_at' | 'claimed_by' | 'claimed_by_username'>;

/** The latest entry of a detainer's claim history (the columns of LATEST_CLAIM); a claim when it is one. */
interface LatestClaimRow {
  kind: string;
  lodging_seq: number;
  holder_id: string;
  recorded_at: Date;
  actor_id: string | null;
}

const latestClaimOf = new RowMapper<LatestClaimRow, QueueClaim | null>((r) =>
  r.kind === 'claimed' ? { holderId: r.holder_id, claimedAt: r.recorded_at, claimedBy: r.actor_id, lodging: r.lodging_seq } : null,
);

const claimRecord = new RowMapper<ClaimColumns, QueueClaimRecord | null>((r) => claimOf(r));

/** A failed reminder delivery with its reminder's detainer (the columns failedDeliveries selects). */
interface FailedDeliveryRow {
  id: string;
  detainer_id: string;
  channel: string;
  kind: string;
  recipient: string;
  address: string | null;
  attempts: number;
  last_error: string | null;
  failed_at: Date;
  time_zone: string;
}

const failedDelivery = new RowMapper<FailedDeliveryRow, { detainerId: string; item: FailedDeliveryItem }>((r) => ({
  detainerId: r.detainer_id,
  item: {
    id: r.id, channel: r.channel, reminderKind: r.kind, recipient: r.recipient, address: r.address, attempts: r.attempts,
    lastError: r.last_error, failedAt: r.failed_at, timeZone: r.time_zone,
  },
}));

/** An open record dispute with its agency and its lodging's zone (the columns openDisputes selects). */
interface OpenDisputeRow {
  id: string;
  detainer_id: string;
  lodging_seq: number;
  reason: string;
  opened_at: Date;
  agency_id: string;
  ori: string;
  name: string;
  time_zone: string;
}

const openDispute = new RowMapper<OpenDisputeRow, { detainerId: string; item: OpenDisputeRecord }>((r) => ({
  detainerId: r.detainer_id,
  item: { id: r.id, lodging: r.lodging_seq, agency: { id: r.agency_id, ori: r.ori, name: r.name }, reason: r.reason, openedAt: r.opened_at, timeZone: r.time_zone },
}));

/** Items grouped by their detainer, in the order read. */
function byDetainer<T>(rows: readonly { detainerId: string; item: T }[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.detainerId) ?? [];
    list.push(r.item);
    out.set(r.detainerId, list);
  }
  return out;
}

interface Places {
  f: Map<string, Record<string, string>>;
  a: Map<string, Record<string, string>>;
  j: Map<string, Record<string, string>>;
  r: Map<string, Record<string, string>>;
}

/**
 * The compliance queues, read: membership, order and paging all in SQL. A supervisor's queue holds
 * the items of detainers issued by their AOR or held at a facility in it (a subset of what they may
 * read: detainerVisibleIn), computed as two index-ordered branches merged under one LIMIT; the
 * disputes queue also shows a record dispute to the AOR of the lodging disputed; failed deliveries
 * are the issuing AOR's (the reminders were its).
 */
export class QueueRepository {
  // The reads of a queue are prepared statements (Sql.prepared): planned once per connection, since
  // the row-level security policies of every table they touch cost more to plan than the reads to run.
  async summary(sql: Sql, q: Omit<Query, 'queue'>): Promise<QueueSummaryRecord[]> {
    const out: QueueSummaryRecord[] = [];
    for (const name of QUEUES_AVAILABLE) {
      const query = { ...q, queue: name };
      const params = new Params();
      const all = this.branches(query, params, { keyset: null, onlyId: null, limit: null });
      const one = '1';
      const first = this.branches(query, params, { keyset: null, onlyId: null, limit: one });
      // the count, and the first item with its facility's zone, in one statement
      const [row] = await sql.prepared<{ count: number; k: Date | null; time_zone: string | null }>(
        `SELECT (SELECT count(*)::int FROM (${all.join(' UNION ALL ')}) u) AS count, f.k, l.time_zone
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (SELECT * FROM (${first.map((b) => `(${b})`).join(' UNION ALL ')}) u ORDER BY k, detainer_id LIMIT ${one}) f ON TRUE
         LEFT JOIN lodgings l ON l.detainer_id = f.detainer_id AND l.seq = f.seq`,
        params.values,
      );
      const spec = specOf(name);
      out.push({
        name,
        count: row?.count ?? 0,
        oldestDueAt: row?.k ? new Date(row.k.getTime() + spec.dueOffsetMs) : null,
        oldestTimeZone: row?.time_zone ?? null,
      });
    }
    return out;
  }

  async page(sql: Sql, q: Query, page: { limit: number; cursor?: string }): Promise<Page<QueueItemRecord>> {
    const after = page.cursor ? decodeCursor(page.cursor, ['q', 'k', 'id']) : null;
    if (after && after.q !== q.queue) throw cursorOfAnotherQueue();
    const rows = await this.items(sql, q, { limit: page.limit + 1, cursor: after, onlyId: null });
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items: items.map((i) => i.record), nextCursor: rows.length > page.limit && last ? encodeCursor({ q: q.queue, k: last.key, id: last.record.detainerId }) : null };
  }

  /** The detainer's item in the queue as of `now`, if it is in it and in scope. */
  async findItem(sql: Sql, q: Query, detainerId: string): Promise<QueueItemRecord | null> {
    const [row] = await this.items(sql, q, { limit: 1, cursor: null, onlyId: detainerId });
    return row?.record ?? null;
  }

  /**
   * The latest claim on the detainer's item of `queue`, whichever lodging it was taken on (the
   * decider tells whether it still holds). Read under the detainer's lock, like every claim written.
   */
  async latestClaim(sql: Sql, detainerId: string, queue: QueueName): Promise<QueueClaim | null> {
    const claim = await latestClaimOf.one(
      sql,
      `SELECT c.kind, c.lodging_seq, c.holder_id, c.recorded_at, c.actor_id FROM (${LATEST_CLAIM('$1', '$2')}) c`,
      [detainerId, queue],
    );
    return claim ?? null;
  }

  /** Appends to the detainer's claim history, after the `eventsBefore` events of its stream (call with the detainer locked). */
  async appendClaimEvents(sql: Sql, detainerId: string, eventsBefore: number, events: readonly QueueClaimEvent[], requestId: string | null): Promise<void> {
    if (events.length === 0) return;
    const params: unknown[] = [];
    const row = (values: readonly unknown[]) => `(${values.map((v) => `$${params.push(v)}`).join(', ')})`;
    const rows = events.map((e) =>
      row([
        detainerId, e.lodging, e.queue, e.kind, e.holderId, e.kind === 'claimed' ? e.previousHolderId ?? null : null, e.version, eventsBefore, e.recordedAt,
        e.actor.kind, e.actor.id, e.actor.role, e.actor.agencyId, e.actor.areaId, e.source, requestId,
      ]),
    );
    await sql.execute(
      `INSERT INTO queue_claim_events (detainer_id, lodging_seq, queue, kind, holder_id, previous_holder_id, detainer_version, events_before, recorded_at,
                                       actor_kind, actor_id, actor_role, actor_agency_id, actor_area_id, source, request_id)
       VALUES ${rows.join(', ')}`,
      params,
    );
  }

  /** Who holds the item of `lodgingSeq` in `queue`, with the names the API shows. */
  async findClaim(sql: Sql, detainerId: string, queue: QueueName, lodgingSeq: number): Promise<QueueClaimRecord | null> {
    const claim = await claimRecord.one(
      sql,
      `SELECT c.holder_id, hu.username AS holder_username, hu.display_name AS holder_display_name, c.recorded_at AS claimed_at, c.actor_id AS claimed_by,
              cu.username AS claimed_by_username
       FROM (${LATEST_CLAIM('$1', '$2')}) c JOIN users hu ON hu.id = c.holder_id LEFT JOIN users cu ON cu.id = c.actor_id
       WHERE c.kind = 'claimed' AND c.lodging_seq = $3`,
      [detainerId, queue, lodgingSeq],
    );
    return claim ?? null;
  }

  /**
   * A page in three statements, each cheap to plan (one statement joining a dozen tables cost more
   * to plan than to run): the keys, from the partial indexes; the rows of those detainers; and the
   * reference data they point to.
   */
  private async items(
    sql: Sql,
    q: Query,
    opts: { limit: number; cursor: { k: string; id: string } | null; onlyId: string | null },
  ): Promise<{ key: string; record: QueueItemRecord }[]> {
    const spec = specOf(q.queue);
    const keys = await this.keys(sql, q, opts);
    if (keys.length === 0) return [];

    const rows = await sql.prepared<DetailRow>(
      `SELECT p.ord, d.id, d.version, d.form, d.status, d.issued_at, d.area_id AS issuing_area_id, d.decline_kind, d.decline_recorded_at,
              d.subject_id, s.family_name, s.given_name, s.a_number,
              l.seq, l.opened_at, l.acknowledged_at, l.release_at, l.notice_lead_hours, l.pickup_planned_at, l.hold_since, l.hold_expires_at,
              l.released_at, l.identity_claim, l.time_zone, l.facility_id, l.agency_id, l.jurisdiction_id, l.area_id,
              c.holder_id, hu.username AS holder_username, hu.display_name AS holder_display_name, c.recorded_at AS claimed_at, c.actor_id AS claimed_by,
              cu.username AS claimed_by_username
       FROM unnest($1::uuid[], $2::int[]) WITH ORDINALITY AS p (detainer_id, seq, ord)
       JOIN detainers d ON d.id = p.detainer_id
       JOIN lodgings l ON l.detainer_id = p.detainer_id AND l.seq = p.seq
       JOIN subjects s ON s.id = d.subject_id
       LEFT JOIN LATERAL (${LATEST_CLAIM('p.detainer_id', '$3')}) c ON c.kind = 'claimed' AND c.lodging_seq = p.seq
       LEFT JOIN users hu ON hu.id = c.holder_id
       LEFT JOIN users cu ON cu.id = c.actor_id
       ORDER BY p.ord`,
      [keys.map((k) => k.detainer_id), keys.map((k) => k.seq), q.queue],
    );
    const places = await this.places(sql, rows);
    const ids = rows.map((r) => r.id);
    const disputes = q.queue === 'disputes' ? await this.openDisputes(sql, ids) : new Map<string, OpenDisputeRecord[]>();
    const failed = q.queue === 'failed_deliveries' ? await this.failedDeliveries(sql, ids) : new Map<string, FailedDeliveryItem[]>();
    const keyByOrd = (ord: string | number) => keys[Number(ord) - 1];
    return rows.map((r) => {
      const k = keyByOrd(r.ord);
      const record = { ...toItem(q.queue, spec, k.k, r, places), openDisputes: disputes.get(r.id) ?? [], failedDeliveries: failed.get(r.id) ?? [] };
      return { key: k.k_text, record };
    });
  }

  private async failedDeliveries(sql: Sql, detainerIds: string[]): Promise<Map<string, FailedDeliveryItem[]>> {
    const failed = await failedDelivery.all(
      sql,
      `SELECT dl.id, r.detainer_id, dl.channel, r.kind, dl.recipient, dl.address, dl.attempts, dl.last_error, dl.failed_at, r.time_zone
       FROM reminder_deliveries dl JOIN reminders r ON r.id = dl.reminder_id
       WHERE dl.status = 'failed' AND r.detainer_id = ANY($1::uuid[])
       ORDER BY dl.failed_at, dl.id`,
      [detainerIds],
    );
    return byDetainer(failed);
  }

  private async openDisputes(sql: Sql, detainerIds: string[]): Promise<Map<string, OpenDisputeRecord[]>> {
    const disputes = await openDispute.all(
      sql,
      `SELECT rd.id, rd.detainer_id, rd.lodging_seq, rd.reason, rd.opened_at, rd.agency_id, a.ori, a.name, l.time_zone
       FROM record_disputes rd
       JOIN agencies a ON a.id = rd.agency_id
       JOIN lodgings l ON l.detainer_id = rd.detainer_id AND l.seq = rd.lodging_seq
       WHERE rd.status = 'open' AND rd.detainer_id = ANY($1::uuid[])
       ORDER BY rd.opened_at, rd.id`,
      [detainerIds],
    );
    return byDetainer(disputes);
  }

  private async keys(
    sql: Sql,
    q: Query,
    opts: { limit: number; cursor: { k: string; id: string } | null; onlyId: string | null },
  ): Promise<KeyRow[]> {
    const params = new Params();
    // written in, not a parameter: a generic plan guesses a parameter's LIMIT badly
    if (!Number.isSafeInteger(opts.limit) || opts.limit < 1) throw new Error(`queue page limit ${opts.limit} is not a positive integer`);
    const limit = String(opts.limit);
    const branches = this.branches(q, params, { keyset: opts.cursor, onlyId: opts.onlyId, limit });
    return sql.prepared<KeyRow>(
      `SELECT detainer_id, seq, k, to_json(k) #>> '{}' AS k_text
       FROM (${branches.map((b) => `(${b})`).join(' UNION ALL ')}) u ORDER BY k, detainer_id LIMIT ${limit}`,
      params.values,
    );
  }

  /** Facilities, agencies, jurisdictions and areas the rows refer to, in one round trip. */
  private async places(sql: Sql, rows: DetailRow[]): Promise<Places> {
    const ids = (pick: (r: DetailRow) => string[]) => [...new Set(rows.flatMap(pick))];
    const found = await sql.prepared<{ kind: 'f' | 'a' | 'j' | 'r'; id: string; v: Record<string, string> }>(
      `SELECT 'f' AS kind, id, json_build_object('name', name) AS v FROM facilities WHERE id = ANY($1::uuid[])
       UNION ALL SELECT 'a', id, json_build_object('ori', ori, 'name', name) FROM agencies WHERE id = ANY($2::uuid[])
       UNION ALL SELECT 'j', id, json_build_object('code', code, 'name', name, 'state', state) FROM jurisdictions WHERE id = ANY($3::uuid[])
       UNION ALL SELECT 'r', id, json_build_object('code', code) FROM areas WHERE id = ANY($4::uuid[])`,
      [ids((r) => [r.facility_id]), ids((r) => [r.agency_id]), ids((r) => [r.jurisdiction_id]), ids((r) => [r.area_id, r.issuing_area_id])],
    );
    const places: Places = { f: new Map(), a: new Map(), j: new Map(), r: new Map() };
    for (const p of found) places[p.kind].set(p.id, p.v);
    return places;
  }

  /**
   * One SELECT per AOR side of the scope (detainer_id, seq, k), each ordered by the key so that its
   * partial index delivers rows in order and the LIMIT stops the scan early. Without a limit: rows
   * to count.
   */
  private branches(
    q: Query,
    params: Params,
    opts: { keyset: { k: string; id: string } | null; onlyId: string | null; limit: string | null },
  ): string[] {
    const spec = specOf(q.queue);
    if (spec.kind === 'grouped') {
      const where: string[] = [];
      if (opts.onlyId) where.push(`g.detainer_id = ${params.add(opts.onlyId)}`);
      if (opts.keyset) where.push(`(g.k, g.detainer_id) > (${params.add(opts.keyset.k)}::timestamptz, ${params.add(opts.keyset.id)}::uuid)`);
      const filtered = `FROM (${spec.items(q, params)}) g${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
      return [opts.limit ? `SELECT g.detainer_id, g.seq, g.k ${filtered} ORDER BY g.k, g.detainer_id LIMIT ${opts.limit}` : `SELECT 1 ${filtered}`];
    }
    const cols = spec.table === 'lodgings' ? LODGING : DETAINER;
    const needsDetainer = spec.table === 'lodgings' && q.filters.form !== undefined;
    const from = spec.table === 'lodgings' ? `FROM lodgings l${needsDetainer ? ' JOIN detainers d ON d.id = l.detainer_id' : ''}` : 'FROM detainers d';
    const common: string[] = [spec.where];
    if (spec.windowMs !== undefined) common.push(`${spec.key} <= ${params.add(new Date(q.now.getTime() + spec.windowMs))}`);
    common.push(...filterConditions(q.filters, params, cols));
    if (opts.onlyId) common.push(`${cols.id} = ${params.add(opts.onlyId)}`);
    if (opts.keyset) common.push(`(${spec.key}, ${cols.id}) > (${params.add(opts.keyset.k)}::timestamptz, ${params.add(opts.keyset.id)}::uuid)`);

    const sides = this.sides(spec, q.scope, params);
    // Counting selects nothing the index lacks, so that it can be an index-only scan.
    const select = opts.limit ? `SELECT ${cols.id} AS detainer_id, ${cols.seq} AS seq, ${spec.key} AS k ${from}` : `SELECT 1 ${from}`;
    const order = opts.limit ? ` ORDER BY ${spec.key}, ${cols.id} LIMIT ${opts.limit}` : '';
    return sides.map((side) => `${select} WHERE ${[...common, side].join(' AND ')}${order}`);
  }

  /** The AOR conditions, one per branch (disjoint), matching the partial indexes' predicates. */
  private sides(spec: IndexedQueueSpec, scope: AccessScope, params: Params): string[] {
    switch (scope.kind) {
      case 'all':
        return ['TRUE'];
      case 'area': {
        const area = params.add(scope.areaId);
        return spec.table === 'lodgings'
          ? [`l.area_id = ${area}`, `l.issuing_area_id = ${area} AND l.issuing_area_id <> l.area_id`]
          : [`d.area_id = ${area}`, `d.current_area_id = ${area} AND d.current_area_id <> d.area_id`];
      }
      // Compliance queues are federal work: an agency's staff have none.
      case 'agency':
      case 'none':
        return ['FALSE'];
      default: {
        const never: never = scope;
        return never;
      }
    }
  }
}

/**
 * The scope of a grouped queue as conditions: none for all, the AOR's (its parameter given to
 * `inArea`) for a supervisor or officer; compliance queues are federal work, so agencies get none.
 */
function areaCondition(scope: AccessScope, params: Params, inArea: (area: string) => string): string[] {
  switch (scope.kind) {
    case 'all':
      return [];
    case 'area':
      return [inArea(params.add(scope.areaId))];
    case 'agency':
    case 'none':
      return ['FALSE'];
    default: {
      const never: never = scope;
      return never;
    }
  }
}

/** The supervisor's filters as conditions; the form is always the detainer's (`d`). */
function filterConditions(
  filters: QueueFilters,
  params: Params,
  cols: { facility: string; agency: string; jurisdiction: string },
): string[] {
  const conditions: string[] = [];
  if (filters.facilityId) conditions.push(`${cols.facility} = ${params.add(filters.facilityId)}`);
  if (filters.agencyId) conditions.push(`${cols.agency} = ${params.add(filters.agencyId)}`);
  if (filters.jurisdictionId) conditions.push(`${cols.jurisdiction} = ${params.add(filters.jurisdictionId)}`);
  if (filters.form) conditions.push(`d.form = ${params.add(filters.form)}`);
  return conditions;
}

function specOf(queue: QueueName): QueueSpec {
  const spec = QUEUE_SPECS[queue];
  if (!spec) throw new Error(`Queue ${queue} is not computed by this build`);
  return spec;
}

function cursorOfAnotherQueue(): DomainError {
  return DomainError.invalidInput('cursor', 'cursor belongs to another queue; start again without it');
}

function claimOf(r: ClaimColumns): QueueClaimRecord | null {
  if (!r.holder_id || !r.claimed_at) return null;
  return {
    holder: { id: r.holder_id, username: r.holder_username ?? '', displayName: r.holder_display_name },
    claimedAt: r.claimed_at,
    claimedBy: r.claimed_by ? { id: r.claimed_by, username: r.claimed_by_username ?? '' } : null,
  };
}

function toItem(queue: QueueName, spec: QueueSpec, key: Date, r: DetailRow, places: Places): QueueItemRecord {
  const place = (map: Map<string, Record<string, string>>, id: string): Record<string, string> => {
    const found = map.get(id);
    if (!found) throw new Error(`reference row ${id} of detainer ${r.id} is missing`);
    return found;
  };
  const f = place(places.f, r.facility_id);
  const a = place(places.a, r.agency_id);
  const j = place(places.j, r.jurisdiction_id);
  return {
    queue,
    detainerId: r.id,
    version: r.version,
    form: r.form,
    status: r.status,
    dueAt: new Date(key.getTime() + spec.dueOffsetMs),
    lodgingSeq: r.seq,
    facility: { id: r.facility_id, name: f.name, timeZone: r.time_zone },
    agency: { id: r.agency_id, ori: a.ori, name: a.name },
    jurisdiction: { id: r.jurisdiction_id, code: j.code, name: j.name, state: j.state },
    area: { id: r.area_id, code: place(places.r, r.area_id).code },
    issuingArea: { id: r.issuing_area_id, code: place(places.r, r.issuing_area_id).code },
    subject: { id: r.subject_id, familyName: r.family_name, givenName: r.given_name, aNumber: r.a_number },
    issuedAt: r.issued_at,
    lodgedAt: r.opened_at,
    acknowledgedAt: r.acknowledged_at,
    releaseAt: r.release_at,
    noticeLeadHours: r.notice_lead_hours === null ? null : Number(r.notice_lead_hours),
    pickupPlannedAt: r.pickup_planned_at,
    holdSince: r.hold_since,
    holdExpiresAt: r.hold_expires_at,
    releasedAt: r.released_at,
    declineKind: r.decline_kind,
    declineRecordedAt: r.decline_recorded_at,
    identityClaim: r.identity_claim,
    openDisputes: [],
    failedDeliveries: [],
    claim: claimOf(r),
  };
}
