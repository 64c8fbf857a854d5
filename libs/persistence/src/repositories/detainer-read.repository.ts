import {
  AckResponse, CancelReason, Channel, Charge, DeclineKind, DetainerForm, DetainerStatus, LEGACY_QUEUE_CLAIM_KINDS, LodgingStatus, OutcomeKind,
  ProbableCause, ReleaseDestination, Warrant,
} from '@app/domain';
import { decodeEvent, EventRow } from '../event-codec';
import { AccessScope, detainerReachArms, detainerVisibleIn, lodgingVisibleIn, Params, ReachArm } from '../scope';
import { Sql } from '../sql';
import { Page } from '../paging';
import { searchDetainerIds, searchTermsOf } from './detainer-search';
import { afterCursor, decodeSortCursor, DetainerSort, encodeSortCursor, orderBy, sortKeyColumns, SortPlan, sortPlan } from './detainer-sort';
import { SubjectRecord, SubjectRow, subjectOf } from './subject.repository';

export interface PlaceRecord {
  facility: { id: string; name: string; timeZone: string };
  agency: { id: string; ori: string; name: string };
  jurisdiction: { id: string; code: string; name: string; state: string };
  area: { id: string; code: string };
}

export interface LodgingRecord extends PlaceRecord {
  seq: number;
  status: LodgingStatus;
  openedAt: Date;
  closedAt: Date | null;
  response: AckResponse | null;
  responseReason: string | null;
  policyId: string | null;
  acknowledgedAt: Date | null;
  bookingNumber: string | null;
  servedAt: Date | null;
  releaseAt: Date | null;
  releaseScheduledRecordedAt: Date | null;
  noticeLeadHours: number | null;
  pickupPlannedAt: Date | null;
  holdSince: Date | null;
  holdExpiresAt: Date | null;
  releasedAt: Date | null;
  destination: ReleaseDestination | null;
  toFacilityId: string | null;
  honoredAt: Date | null;
  refusedAt: Date | null;
  refusalReason: string | null;
  identityClaim: 'citizenship' | 'identity' | null;
  declined: boolean;
  declineKind: DeclineKind | null;
  declineRecordedAt: Date | null;
  shortNotice: boolean;
  missedPickup: boolean;
}

export interface EventRecord {
  seq: number;
  version: number;
  lodging: number;
  kind: string;
  occurredAt: Date;
  recordedAt: Date;
  actor: { kind: string; id: string | null; role: string; agencyId: string | null; areaId: string | null };
  source: string;
  data: Record<string, unknown>;
}

export interface DetainerRecord {
  id: string;
  form: DetainerForm;
  /** The detainer's status, or for an agency that has handed the person on, the status of its own last lodging. */
  status: DetainerStatus | 'transferred';
  version: number;
  subjectId: string;
  /** Null when the caller may not see identities. */
  subject: SubjectRecord | null;
  issuingOfficerId: string | null;
  area: { id: string; code: string; name: string };
  issuedAt: Date;
  recordedAt: Date;
  channel: Channel;
  warrant: Warrant | null;
  probableCause: ProbableCause[];
  charges: Charge[];
  /** The lodgings the caller may see, oldest first; the last one is the "current" one for this caller. */
  lodgings: LodgingRecord[];
  cancelReason: CancelReason | null;
  cancelNote: string | null;
  cancelledAt: Date | null;
  outcome: { kind: OutcomeKind; at: Date; relatedDetainerId: string | null } | null;
  events?: EventRecord[];
}

export interface DetainerFilters {
  status?: DetainerStatus | 'transferred';
  facilityId?: string;
  agencyId?: string;
  jurisdictionId?: string;
  areaId?: string;
  subjectId?: string;
  issuedFrom?: Date;
  issuedTo?: Date;
  declined?: boolean;
  /** A name, A-number, FBI number, state ID or booking number (see detainer-search.ts). */
  q?: string;
  sort?: DetainerSort;
}

interface DetainerRow {
  id: string;
  form: DetainerForm;
  status: DetainerStatus;
  version: number;
  subject_id: string;
  issuing_officer_id: string | null;
  area_id: string;
  area_code: string;
  area_name: string;
  issued_at: Date;
  recorded_at: Date;
  channel: Channel;
  warrant_form: Warrant['form'] | null;
  warrant_number: string | null;
  probable_cause: ProbableCause[];
  charges: Charge[];
  current_lodging_seq: number;
  cancel_reason: CancelReason | null;
  cancel_note: string | null;
  cancelled_at: Date | null;
  outcome_kind: OutcomeKind | null;
  outcome_at: Date | null;
  related_detainer_id: string | null;
}

interface LodgingRow {
  detainer_id: string;
  seq: number;
  status: LodgingStatus;
  opened_at: Date;
  closed_at: Date | null;
  response: AckResponse | null;
  response_reason: string | null;
  policy_id: string | null;
  acknowledged_at: Date | null;
  booking_number: string | null;
  served_at: Date | null;
  release_at: Date | null;
  release_scheduled_recorded_at: Date | null;
  notice_lead_hours: string | null;
  pickup_planned_at: Date | null;
  hold_since: Date | null;
  hold_expires_at: Date | null;
  released_at: Date | null;
  destination: ReleaseDestination | null;
  to_facility_id: string | null;
  honored_at: Date | null;
  refused_at: Date | null;
  refusal_reason: string | null;
  identity_claim: 'citizenship' | 'identity' | null;
  declined: boolean;
  decline_kind: DeclineKind | null;
  decline_recorded_at: Date | null;
  short_notice: boolean;
  missed_pickup: boolean;
  facility_id: string;
  facility_name: string;
  time_zone: string;
  agency_id: string;
  agency_ori: string;
  agency_name: string;
  jurisdiction_id: string;
  jurisdiction_code: string;
  jurisdiction_name: string;
  jurisdiction_state: string;
  area_id: string;
  area_code: string;
}

const DETAINER_COLUMNS = `
  d.id, d.form, d.status, d.version, d.subject_id, d.issuing_officer_id, d.area_id, a.code AS area_code, a.name AS area_name,
  d.issued_at, d.recorded_at, d.channel, d.warrant_form, d.warrant_number, d.probable_cause, d.charges,
  d.current_lodging_seq, d.cancel_reason, d.cancel_note, d.cancelled_at, d.outcome_kind, d.outcome_at, d.related_detainer_id`;
const DETAINER_FROM = 'FROM detainers d JOIN areas a ON a.id = d.area_id';
/** DETAINER_COLUMNS but the AOR's names: what a list's scans read of each detainer (the page joins the AORs once). */
const DETAINER_ROW_COLUMNS = DETAINER_COLUMNS.replace(' a.code AS area_code, a.name AS area_name,', '');
const DETAINER_SELECT = `SELECT ${DETAINER_COLUMNS} ${DETAINER_FROM}`;

/** The lodging columns LodgingRow holds, named (a prepared statement's result must not change when a column is added). */
const LODGING_COLUMNS = ([
  'detainer_id', 'seq', 'status', 'opened_at', 'closed_at', 'response', 'response_reason', 'policy_id', 'acknowledged_at', 'booking_number',
  'served_at', 'release_at', 'release_scheduled_recorded_at', 'notice_lead_hours', 'pickup_planned_at', 'hold_since', 'hold_expires_at',
  'released_at', 'destination', 'to_facility_id', 'honored_at', 'refused_at', 'refusal_reason', 'identity_claim', 'declined', 'decline_kind',
  'decline_recorded_at', 'short_notice', 'missed_pickup', 'facility_id', 'time_zone', 'agency_id', 'jurisdiction_id', 'area_id',
] as const satisfies readonly (keyof LodgingRow)[]).map((c) => `l.${c}`).join(', ');

/** A lodging with the names of its place, as LodgingRow has it. */
const LODGINGS_SELECT = `SELECT ${LODGING_COLUMNS}, f.name AS facility_name, ag.ori AS agency_ori, ag.name AS agency_name,
       j.code AS jurisdiction_code, j.name AS jurisdiction_name, j.state AS jurisdiction_state, ar.code AS area_code
  FROM lodgings l
  JOIN facilities f ON f.id = l.facility_id
  JOIN agencies ag ON ag.id = l.agency_id
  JOIN jurisdictions j ON j.id = l.jurisdiction_id
  JOIN areas ar ON ar.id = l.area_id`;

const SUBJECT_COLUMNS = 's.id, s.a_number, s.fbi_number, s.state_id, s.family_name, s.given_name, s.date_of_birth, s.sex, s.citizenship';

/** The timestamps of a lodging row: JSON carries them as text. */
const LODGING_INSTANTS = [
  'opened_at', 'closed_at', 'acknowledged_at', 'served_at', 'release_at', 'release_scheduled_recorded_at', 'pickup_planned_at', 'hold_since',
  'hold_expires_at', 'released_at', 'honored_at', 'refused_at', 'decline_recorded_at',
] as const satisfies readonly (keyof LodgingRow)[];

type LodgingJson = Omit<LodgingRow, (typeof LODGING_INSTANTS)[number] | 'notice_lead_hours'> &
  Record<(typeof LODGING_INSTANTS)[number], string | null> & { notice_lead_hours: number | string | null };

function lodgingRowOf(json: LodgingJson): LodgingRow {
  const row = { ...json } as unknown as Record<string, unknown>;
  for (const c of LODGING_INSTANTS) row[c] = json[c] === null ? null : new Date(json[c]);
  return row as unknown as LodgingRow;
}

/**
 * The page sizes whose plain list pages are prepared: a few, since each size is a statement of its own
 * on every connection (and the page size is the caller's to choose).
 */
const PREPARED_PAGE_SIZES: ReadonlySet<number> = new Set([10, 20, 25, 50, 100]);

/** The default order (newest issued first) as the former-reach table's own index keeps it. */
const FORMER_REACH_BY_ISSUE: SortPlan = {
  join: '',
  keys: [{ expr: 'r.issued_at', cast: 'timestamptz', desc: true }, { expr: 'r.detainer_id', cast: 'uuid', desc: true }],
};

/** Every column of an event, named (a prepared statement's result must not change when a column is added). */
const EVENT_COLUMNS = (['id', 'detainer_id', 'seq', 'version', 'lodging_seq', 'kind', 'occurred_at', 'recorded_at', 'actor_kind', 'actor_id', 'actor_role',
  'actor_agency_id', 'actor_area_id', 'source', 'payload', 'request_id'] as const satisfies readonly (keyof EventRow)[]).map((c) => `e.${c}`).join(', ');

const LEGACY_CLAIM_KINDS = LEGACY_QUEUE_CLAIM_KINDS.map((k) => `'${k}'`).join(', ');

export interface ReadOptions {
  scope: AccessScope;
  includeIdentity: boolean;
}

/** Detainers as callers see them: scoped in SQL, identities only where allowed. */
export class DetainerReadRepository {
  /**
   * One detainer as `assemble` builds it, in one statement (its lodgings and subject as JSON beside
   * the row): the read-back of every action and create, so one round trip rather than three.
   */
  async findOne(sql: Sql, id: string, opts: ReadOptions & { withEvents: boolean }): Promise<DetainerRecord | null> {
    const params = new Params();
    const idParam = params.add(id);
    const visible = detainerVisibleIn(opts.scope, params);
    const subject = opts.includeIdentity
      ? `, (SELECT row_to_json(s) FROM (SELECT ${SUBJECT_COLUMNS} FROM subjects s WHERE s.id = d.subject_id) s) AS subject_json`
      : '';
    // prepared: the policies of detainers, lodgings and subjects cost more to plan than this costs to run
    const [row] = await sql.prepared<DetainerRow & { lodgings_json: LodgingJson[] | null; subject_json: SubjectRow | null }>(
      `SELECT ${DETAINER_COLUMNS},
              (SELECT json_agg(x ORDER BY x.seq) FROM (${LODGINGS_SELECT} WHERE l.detainer_id = d.id AND ${lodgingVisibleIn(opts.scope, params)}) x) AS lodgings_json
              ${subject}
       ${DETAINER_FROM} WHERE d.id = ${idParam} AND ${visible}`,
      params.values,
    );
    if (!row) return null;
    const lodgings = (row.lodgings_json ?? []).map((l) => toLodgingRecord(lodgingRowOf(l)));
    const subjects = new Map(row.subject_json ? [[row.subject_json.id, subjectOf.decode(row.subject_json)]] : []);
    const [record] = this.recordsOf([row], new Map([[row.id, lodgings]]), subjects, opts);
    if (!record) return null;
    if (opts.withEvents) record.events = await this.events(sql, id, opts.scope);
    return record;
  }

  async list(sql: Sql, filters: DetainerFilters, page: { limit: number; cursor?: string }, opts: ReadOptions): Promise<Page<DetainerRecord>> {
    const params = new Params();
    // A search finds its few detainers first (see detainer-search.ts); the page is read from those ids,
    // in one arm (the scope's alternatives only help when a whole reach is paged in order).
    const found = filters.q !== undefined ? await searchDetainerIds(sql, searchTermsOf(filters.q), opts.scope) : null;
    if (found !== null && found.length === 0) return { items: [], nextCursor: null };
    const arms: ReachArm[] = found === null
      ? detainerReachArms(opts.scope, params)
      : [{ from: 'detainers d', where: `d.id = ANY (${params.add(found)}::uuid[]) AND ${detainerVisibleIn(opts.scope, params)}`, order: 'd' }];
    const where: string[] = [];
    const sort = filters.sort ?? '-issuedAt';
    const plan = sortPlan(sort);
    // Outside an agency's scope `v` (below) is the current lodging, whose status the detainer row
    // carries (but for 'transferred', which it never takes): said on `d`, each arm of the scope is an
    // index scan in (area, status, issued_at, id) order instead of every lodging in that status.
    const statusOnRow = filters.status !== undefined && opts.scope.kind !== 'agency' && filters.status !== 'transferred';
    // `v` is the lodging the caller sees as current: the detainer's own, or the agency's latest one.
    const visible = found === null && !usesVisibleLodging(filters, plan, statusOnRow)
      ? ''
      : opts.scope.kind === 'agency'
        ? `JOIN LATERAL (SELECT * FROM lodgings vl WHERE vl.detainer_id = d.id AND vl.agency_id = ${params.add(opts.scope.agencyId)} ORDER BY vl.seq DESC LIMIT 1) v ON TRUE`
        : 'JOIN lodgings v ON v.detainer_id = d.id AND v.seq = d.current_lodging_seq';
    if (filters.status) {
      const status = params.add(filters.status);
      if (found !== null || !statusOnRow) where.push(`v.status = ${status}`);
      if (statusOnRow) where.push(`d.status = ${status}`);
    }
    if (filters.facilityId) where.push(`v.facility_id = ${params.add(filters.facilityId)}`);
    if (filters.agencyId) where.push(`v.agency_id = ${params.add(filters.agencyId)}`);
    if (filters.jurisdictionId) where.push(`v.jurisdiction_id = ${params.add(filters.jurisdictionId)}`);
    if (filters.areaId) where.push(`(d.area_id = ${params.add(filters.areaId)} OR v.area_id = ${params.add(filters.areaId)})`);
    if (filters.subjectId) where.push(`d.subject_id = ${params.add(filters.subjectId)}`);
    if (filters.issuedFrom) where.push(`d.issued_at >= ${params.add(filters.issuedFrom)}`);
    if (filters.issuedTo) where.push(`d.issued_at < ${params.add(filters.issuedTo)}`);
    if (filters.declined !== undefined) {
      const lodgingScope = lodgingVisibleIn(opts.scope, params, 'dl');
      where.push(`${filters.declined ? '' : 'NOT '}EXISTS (SELECT 1 FROM lodgings dl WHERE dl.detainer_id = d.id AND dl.declined AND ${lodgingScope})`);
    }
    const after = page.cursor ? decodeSortCursor(page.cursor, sort, plan) : null;
    if (found === null) {
      const unfiltered = Object.entries(filters).every(([name, value]) => value === undefined || name === 'sort');
      const prepared = unfiltered && opts.scope.kind !== 'agency' && (sort === '-issuedAt' || sort === 'issuedAt') && PREPARED_PAGE_SIZES.has(page.limit);
      return this.reachPage(sql, { where, plan, sort, after, arms, params, limit: page.limit, opts, visible, prepared });
    }
    // A search's page, read by primary key from the ids found: prepared, its plan does not depend on the values.
    const limit = params.add(page.limit + 1);
    const armSql = (arm: ReachArm) => {
      const armPlan: SortPlan = sort === '-issuedAt' && arm.order === 'r' ? FORMER_REACH_BY_ISSUE : plan;
      const keyset = after ? [afterCursor(armPlan, after, params)] : [];
      return `SELECT d.id, ${sortKeyColumns(plan)} FROM ${arm.from} ${visible} ${plan.join}
              WHERE ${[arm.where, ...where, ...keyset].join(' AND ')} ORDER BY ${orderBy(armPlan)} LIMIT ${limit}`;
    };
    const rows = await sql.prepared<DetainerRow & Record<`sort_key_${number}`, string>>(
      `SELECT ${DETAINER_COLUMNS}, ${plan.keys.map((_, i) => `page.sort_key_${i}`).join(', ')} ${DETAINER_FROM}
       JOIN (${arms.map((arm) => `(${armSql(arm)})`).join(' UNION ')}) page ON page.id = d.id
       ORDER BY ${plan.keys.map((k, i) => `page.sort_key_${i}::${k.cast} ${k.desc ? 'DESC' : 'ASC'}`).join(', ')} LIMIT ${limit}`,
      params.values,
    );
    const more = rows.length > page.limit;
    const shown = rows.slice(0, page.limit);
    const items = await this.assemble(sql, shown, opts);
    const lastRow = shown[shown.length - 1];
    return { items, nextCursor: more && lastRow ? encodeSortCursor(sort, plan.keys.map((_, i) => lastRow[`sort_key_${i}`])) : null };
  }

  /**
   * A list page without a search: one ordered scan per alternative of the scope, each reading the
   * page's detainer rows itself (a detainer in two alternatives is one row of the page), and the
   * lodging the caller sees as current only when a filter or the order needs it. Under row-level
   * security every table a statement names adds its policy to plan and to check on each row; reading
   * the rows again by id, or each page row's current lodging, doubled what the policies cost a list.
   * Each alternative (an AOR's own, current and former detainers) is read for one page on its own, so
   * that in the default order each is an index scan in (issued_at, id) order; the former reach has its
   * own copy of issued_at (kept by trigger) for that order.
   *
   * Planning the policies of the tables named was most of what row-level security added to a page, so
   * an AOR's (or everyone's) unfiltered pages (in issue order, one of the usual sizes) are prepared: an
   * AOR holds thousands of detainers in each alternative, so the generic plan is the custom one, an
   * ordered index scan bounded by the page in each. The rest are planned each time, because a generic
   * plan assumes average values: for an agency (about a hundred detainers at 300,000) it sorted a big
   * jail's whole reach for its tenth page (25 ms against 1), and with the latest-lodging join it ran 15
   * times slower than its custom plans; for an AOR's status it sorted every detainer in that status after
   * the cursor (a bitmap scan), which for a common status at 3,000,000 is most of the AOR.
   */
  private async reachPage(
    sql: Sql,
    q: {
      where: string[]; plan: SortPlan; sort: DetainerSort; after: string[] | null; arms: ReachArm[]; params: Params; limit: number; opts: ReadOptions;
      visible: string; prepared: boolean;
    },
  ): Promise<Page<DetainerRecord>> {
    const { plan, params } = q;
    // a prepared page says its size in its text: a generic plan for `LIMIT $n` assumes a tenth of the reach
    const limit = q.prepared ? String(q.limit + 1) : params.add(q.limit + 1);
    const armSql = (arm: ReachArm) => {
      const armPlan: SortPlan = q.sort === '-issuedAt' && arm.order === 'r' ? FORMER_REACH_BY_ISSUE : plan;
      const keyset = q.after ? [afterCursor(armPlan, q.after, params)] : [];
      if (arm.keysFirst && armPlan === FORMER_REACH_BY_ISSUE && q.where.length === 0 && q.visible === '' && plan.join === '') {
        // Under the policies the planner expects the former reach's OR of parameters to pass few rows
        // and sorts all of an agency's former detainers (6,040, 37 ms at 3 M) instead of reading the
        // page in index order; limited before the join, it reads one page of keys.
        const keys = `(SELECT r.* FROM ${arm.keysFirst.from} WHERE ${[arm.where, ...keyset].join(' AND ')} ORDER BY ${orderBy(armPlan)} LIMIT ${limit}) r`;
        return `SELECT ${DETAINER_ROW_COLUMNS}, ${sortKeyColumns(plan)} FROM ${keys} ${arm.keysFirst.join} ORDER BY ${orderBy(armPlan)} LIMIT ${limit}`;
      }
      return `SELECT ${DETAINER_ROW_COLUMNS}, ${sortKeyColumns(plan)} FROM ${arm.from} ${q.visible} ${plan.join}
              WHERE ${[arm.where, ...q.where, ...keyset].join(' AND ')} ORDER BY ${orderBy(armPlan)} LIMIT ${limit}`;
    };
    const keys = plan.keys.map((k, i) => `page.sort_key_${i}::${k.cast}`);
    const run = q.prepared ? sql.prepared.bind(sql) : sql.query.bind(sql);
    const rows = await run<DetainerRow & Record<`sort_key_${number}`, string>>(
      `SELECT DISTINCT ON (${keys.join(', ')}) page.*, a.code AS area_code, a.name AS area_name
       FROM (${q.arms.map((arm) => `(${armSql(arm)})`).join(' UNION ALL ')}) page JOIN areas a ON a.id = page.area_id
       ORDER BY ${plan.keys.map((k, i) => `${keys[i]} ${k.desc ? 'DESC' : 'ASC'}`).join(', ')} LIMIT ${limit}`,
      params.values,
    );
    const more = rows.length > q.limit;
    const shown = rows.slice(0, q.limit);
    const items = await this.assemble(sql, shown, q.opts);
    const lastRow = shown[shown.length - 1];
    return { items, nextCursor: more && lastRow ? encodeSortCursor(q.sort, plan.keys.map((_, i) => lastRow[`sort_key_${i}`])) : null };
  }

  /** The detainers with these ids the scope may see, in the order given (ids it may not see are left out). */
  async findMany(sql: Sql, ids: readonly string[], opts: ReadOptions): Promise<DetainerRecord[]> {
    if (ids.length === 0) return [];
    const params = new Params();
    const rows = await sql.query<DetainerRow>(`${DETAINER_SELECT} WHERE d.id = ANY(${params.add(ids)}) AND ${detainerVisibleIn(opts.scope, params)}`, params.values);
    const byId = new Map((await this.assemble(sql, rows, opts)).map((r) => [r.id, r]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Detainers by primary key, as a list page presents them (in the order given; the lists benchmark's floor). */
  async byIds(sql: Sql, ids: readonly string[], opts: ReadOptions): Promise<DetainerRecord[]> {
    const rows = await sql.query<DetainerRow>(`${DETAINER_SELECT} WHERE d.id = ANY($1::uuid[])`, [ids]);
    const order = new Map(ids.map((id, i) => [id, i]));
    return this.assemble(sql, rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!), opts);
  }

  private async assemble(sql: Sql, rows: DetainerRow[], opts: ReadOptions): Promise<DetainerRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const params = new Params();
    const idsParam = params.add(ids);
    const lodgingRows = await sql.prepared<LodgingRow>(
      `${LODGINGS_SELECT} WHERE l.detainer_id = ANY(${idsParam}) AND ${lodgingVisibleIn(opts.scope, params)} ORDER BY l.detainer_id, l.seq`,
      params.values,
    );
    const lodgingsBy = new Map<string, LodgingRecord[]>();
    for (const l of lodgingRows) {
      const list = lodgingsBy.get(l.detainer_id) ?? [];
      list.push(toLodgingRecord(l));
      lodgingsBy.set(l.detainer_id, list);
    }
    const subjects = new Map<string, SubjectRecord>();
    if (opts.includeIdentity) {
      const subjectRows = await sql.prepared<SubjectRow>(`SELECT ${SUBJECT_COLUMNS} FROM subjects s WHERE s.id = ANY($1)`, [rows.map((r) => r.subject_id)]);
      for (const s of subjectRows) subjects.set(s.id, subjectOf.decode(s));
    }
    return this.recordsOf(rows, lodgingsBy, subjects, opts);
  }

  private recordsOf(rows: DetainerRow[], lodgingsBy: Map<string, LodgingRecord[]>, subjects: Map<string, SubjectRecord>, opts: ReadOptions): DetainerRecord[] {
    return rows.flatMap((r) => {
      const lodgings = lodgingsBy.get(r.id) ?? [];
      const last = lodgings[lodgings.length - 1];
      if (!last) return [];
      const status: DetainerRecord['status'] = last.seq === r.current_lodging_seq ? r.status : 'transferred';
      return [{
        id: r.id,
        form: r.form,
        status,
        version: r.version,
        subjectId: r.subject_id,
        subject: opts.includeIdentity ? subjects.get(r.subject_id) ?? null : null,
        issuingOfficerId: r.issuing_officer_id,
        area: { id: r.area_id, code: r.area_code, name: r.area_name },
        issuedAt: r.issued_at,
        recordedAt: r.recorded_at,
        channel: r.channel,
        warrant: r.warrant_form && r.warrant_number ? { form: r.warrant_form, number: r.warrant_number } : null,
        probableCause: r.probable_cause,
        charges: r.charges,
        lodgings,
        cancelReason: r.cancel_reason,
        cancelNote: r.cancel_note,
        cancelledAt: r.cancelled_at,
        outcome: r.outcome_kind && r.outcome_at ? { kind: r.outcome_kind, at: r.outcome_at, relatedDetainerId: r.related_detainer_id } : null,
      }];
    });
  }

  /**
   * The timeline: the detainer's events and, for the federal office, its queue claims where they
   * happened among them (claims have their own history; no agency sees who works which item). Each
   * entry's `seq` is its place in the timeline as this reader sees it; for an agency, the event's own.
   */
  private async events(sql: Sql, detainerId: string, scope: AccessScope): Promise<EventRecord[]> {
    const params = new Params();
    const idParam = params.add(detainerId);
    const lodgingScope = lodgingVisibleIn(scope, params);
    // claim events streams recorded before claims had their own history are copied there (migration 1795691000000)
    const rows = await sql.prepared<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM detainer_events e
       JOIN lodgings l ON l.detainer_id = e.detainer_id AND l.seq = e.lodging_seq
       WHERE e.detainer_id = ${idParam} AND ${lodgingScope} AND e.kind NOT IN (${LEGACY_CLAIM_KINDS})
       ORDER BY e.seq`,
      params.values,
    );
    const events = rows.map((row): EventRecord => {
      const event = decodeEvent(row);
      return {
        seq: row.seq,
        version: row.version,
        lodging: row.lodging_seq,
        kind: row.kind,
        occurredAt: row.occurred_at,
        recordedAt: row.recorded_at,
        actor: event.actor,
        source: row.source,
        data: event.data as Record<string, unknown>,
      };
    });
    if (scope.kind === 'agency') return events;

    const claims = await sql.prepared<ClaimEventRow>(
      `SELECT c.id, c.lodging_seq, c.queue, c.kind, c.holder_id, c.previous_holder_id, c.detainer_version, c.events_before, c.recorded_at,
              c.actor_kind, c.actor_id, c.actor_role, c.actor_agency_id, c.actor_area_id, c.source
       FROM queue_claim_events c
       JOIN lodgings l ON l.detainer_id = c.detainer_id AND l.seq = c.lodging_seq
       WHERE c.detainer_id = ${idParam} AND ${lodgingScope}
       ORDER BY c.id`,
      params.values,
    );
    if (claims.length === 0) return events;
    // a claim comes after the `events_before` events of the stream recorded before it, and after earlier claims
    const timeline: { at: [number, number, number]; entry: EventRecord }[] = [
      ...events.map((entry) => ({ at: [entry.seq, 0, 0] as [number, number, number], entry })),
      ...claims.map((c) => ({ at: [c.events_before, 1, Number(c.id)] as [number, number, number], entry: claimEntry(c) })),
    ];
    timeline.sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1] || a.at[2] - b.at[2]);
    return timeline.map(({ entry }, i) => ({ ...entry, seq: i + 1 }));
  }
}

interface ClaimEventRow {
  id: string;
  lodging_seq: number;
  queue: string;
  kind: 'claimed' | 'released';
  holder_id: string;
  previous_holder_id: string | null;
  detainer_version: number;
  events_before: number;
  recorded_at: Date;
  actor_kind: string;
  actor_id: string | null;
  actor_role: string;
  actor_agency_id: string | null;
  actor_area_id: string | null;
  source: string;
}

/** A claim in the timeline, as streams used to record it. */
function claimEntry(c: ClaimEventRow): EventRecord {
  return {
    seq: 0,
    version: c.detainer_version,
    lodging: c.lodging_seq,
    kind: c.kind === 'claimed' ? 'queue_item_claimed' : 'queue_claim_released',
    occurredAt: c.recorded_at,
    recordedAt: c.recorded_at,
    actor: { kind: c.actor_kind, id: c.actor_id, role: c.actor_role, agencyId: c.actor_agency_id, areaId: c.actor_area_id },
    source: c.source,
    data: { queue: c.queue, holderId: c.holder_id, ...(c.previous_holder_id !== null && { previousHolderId: c.previous_holder_id }) },
  };
}

function toLodgingRecord(l: LodgingRow): LodgingRecord {
  return {
    seq: l.seq,
    facility: { id: l.facility_id, name: l.facility_name, timeZone: l.time_zone },
    agency: { id: l.agency_id, ori: l.agency_ori, name: l.agency_name },
    jurisdiction: { id: l.jurisdiction_id, code: l.jurisdiction_code, name: l.jurisdiction_name, state: l.jurisdiction_state },
    area: { id: l.area_id, code: l.area_code },
    status: l.status,
    openedAt: l.opened_at,
    closedAt: l.closed_at,
    response: l.response,
    responseReason: l.response_reason,
    policyId: l.policy_id,
    acknowledgedAt: l.acknowledged_at,
    bookingNumber: l.booking_number,
    servedAt: l.served_at,
    releaseAt: l.release_at,
    releaseScheduledRecordedAt: l.release_scheduled_recorded_at,
    noticeLeadHours: l.notice_lead_hours === null ? null : Number(l.notice_lead_hours),
    pickupPlannedAt: l.pickup_planned_at,
    holdSince: l.hold_since,
    holdExpiresAt: l.hold_expires_at,
    releasedAt: l.released_at,
    destination: l.destination,
    toFacilityId: l.to_facility_id,
    honoredAt: l.honored_at,
    refusedAt: l.refused_at,
    refusalReason: l.refusal_reason,
    identityClaim: l.identity_claim,
    declined: l.declined,
    declineKind: l.decline_kind,
    declineRecordedAt: l.decline_recorded_at,
    shortNotice: l.short_notice,
    missedPickup: l.missed_pickup,
  };
}

/**
 * Whether a list needs the lodging the caller sees as current (`v`): for the filters and orders on it.
 * Otherwise the scope's condition alone finds the same detainers, since each detainer within a reach
 * has a lodging there (an agency's current or former lodging; an AOR's sees every lodging).
 */
function usesVisibleLodging(filters: DetainerFilters, plan: SortPlan, statusOnRow: boolean): boolean {
  const onLodging = [filters.facilityId, filters.agencyId, filters.jurisdictionId, filters.areaId].some((f) => f !== undefined);
  return onLodging || (filters.status !== undefined && !statusOnRow) || plan.keys.some((k) => /\bv\./.test(k.expr)) || /\bv\./.test(plan.join);
}
