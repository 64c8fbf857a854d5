/**
 * What one detainer contributes to the weekly figures: a pure function of its state. The roll-up
 * computes the same rows set-based in SQL; this is the reference it is tested against, and what
 * tells a change which report weeks it touched.
 */
import { FORM_RULES } from '../detainer/forms';
import { openDisputes } from '../detainer/record-disputes';
import type { DeclineKind, DetainerState, EventSource, LodgingState } from '../detainer/types';
import { type WeekConfig, weekContaining } from '../time/week';
import { type AgeBucket, ageBucket, type Conclusion, declineSourceOf, type ExclusionReason, exclusionOf, MEASURES, type Measure, type StoredMeasure } from './rules';

export interface Contribution {
  measure: StoredMeasure;
  detainerId: string;
  lodgingSeq: number;
  jurisdictionId: string;
  agencyId: string;
  facilityId: string;
  /** The instant that places it in a week. */
  at: Date;
  declineKind?: DeclineKind;
  ageBucket?: AgeBucket;
  exclusion?: ExclusionReason;
  source?: EventSource;
  /** Issued only: the agency acknowledged receiving it. */
  acknowledged?: boolean;
  /** An agency's dispute about this lodging awaits a decision. */
  disputed: boolean;
  /** lodged: acknowledged within 24 hours; release_notice: given at least 48 hours ahead. */
  onTime?: boolean;
  /** concluded: how the lodging ended. */
  conclusion?: Conclusion;
  /** concluded: the form asked the agency to hold the person. */
  holdAsked?: boolean;
}

/** A request is answered in time when acknowledged within this many hours of reaching the agency. */
const ACKNOWLEDGE_WITHIN_HOURS = 24;
const HOUR_MS = 3_600_000;

export function contributionsOf(state: DetainerState): Contribution[] {
  const first = state.lodgings[0];
  if (!first) return [];
  const disputedLodgings = new Set(openDisputes(state).map((d) => d.lodging));
  const on = (l: LodgingState) => ({
    detainerId: state.id,
    lodgingSeq: l.seq,
    jurisdictionId: l.place.jurisdictionId,
    agencyId: l.place.agencyId,
    facilityId: l.place.facilityId,
    disputed: disputedLodgings.has(l.seq),
  });

  const exclusion = exclusionOf(state);
  if (exclusion !== undefined) return [{ ...on(first), measure: 'excluded', at: state.issuedAt, exclusion }];

  const out: Contribution[] = [{ ...on(first), measure: 'issued', at: state.issuedAt, acknowledged: first.acknowledgedAt !== undefined }];
  for (const l of state.lodgings) {
    if (l.declined && l.declineRecordedAt !== undefined && l.declineKind !== undefined) {
      const source = declineSourceOf(l);
      out.push({
        ...on(l),
        measure: 'declined',
        at: l.declineRecordedAt,
        declineKind: l.declineKind,
        ageBucket: ageBucket(state.issuedAt, l.declineRecordedAt),
        ...(source !== undefined && { source }),
      });
    }
    if (l.declineRetraction !== undefined) {
      const r = l.declineRetraction;
      out.push({ ...on(l), measure: 'decline_retracted', at: r.declineRecordedAt, declineKind: r.declineKind, ageBucket: ageBucket(state.issuedAt, r.declineRecordedAt) });
    }
    if (l.honoredAt !== undefined) out.push({ ...on(l), measure: 'honored', at: l.honoredAt, ...(l.honoredSource !== undefined && { source: l.honoredSource }) });
    if (l.missedPickup && l.releasedAt !== undefined) {
      out.push({ ...on(l), measure: 'missed_pickup', at: l.releasedAt, ...(l.releaseSource !== undefined && { source: l.releaseSource }) });
    }
    if (l.shortNotice && l.releaseScheduledRecordedAt !== undefined) out.push({ ...on(l), measure: 'short_notice', at: l.releaseScheduledRecordedAt });
  }
  return out;
}

/**
 * What one detainer adds to its jurisdictions' measured practice (the profile), lodging by lodging,
 * from the same state and the same decline rule as the weekly figures. Excluded records (issued in
 * error, wrong subject, U.S. citizen, misdirected, excluded by a dispute) add nothing here.
 *
 * - `lodged`: each lodging, placed at the instant its 24-hour answer was settled: the acknowledgment
 *   if it came within 24 hours (`onTime`), else 24 hours after the request reached the agency. A
 *   lodging that ended unacknowledged inside its first 24 hours (cancelled, moved) adds nothing.
 * - `release_notice`: each lodging whose release was scheduled, at the (latest) notice, `onTime`
 *   when given at least 48 hours ahead (the complement of a short notice).
 * - `concluded`: each lodging that ended in custody to ICE, a decline (at the instant the decline
 *   counts), a missed pickup or a release to the community; a move to another agency that carries
 *   the request on, a cancellation or an open lodging is not concluded. `holdAsked` when the form
 *   asks for a hold.
 */
export function profileContributionsOf(state: DetainerState): Contribution[] {
  if (!state.lodgings[0] || exclusionOf(state) !== undefined) return [];
  const disputedLodgings = new Set(openDisputes(state).map((d) => d.lodging));
  const holdAsked = FORM_RULES[state.form].asksHold;
  const out: Contribution[] = [];
  for (const l of state.lodgings) {
    if (l.status === 'misdirected') continue;
    const on = {
      detainerId: state.id, lodgingSeq: l.seq, jurisdictionId: l.place.jurisdictionId, agencyId: l.place.agencyId, facilityId: l.place.facilityId,
      disputed: disputedLodgings.has(l.seq),
    };
    const start = l.seq === 1 ? state.issuedAt : l.openedAt;
    const due = new Date(start.getTime() + ACKNOWLEDGE_WITHIN_HOURS * HOUR_MS);
    if (l.acknowledgedAt !== undefined && l.acknowledgedAt.getTime() <= due.getTime()) {
      out.push({ ...on, measure: 'lodged', at: l.acknowledgedAt.getTime() < start.getTime() ? start : l.acknowledgedAt, onTime: true });
    } else if (!(l.acknowledgedAt === undefined && l.closedAt !== undefined && l.closedAt.getTime() < due.getTime())) {
      out.push({ ...on, measure: 'lodged', at: due, onTime: false });
    }
    if (l.releaseScheduledRecordedAt !== undefined && l.noticeLeadHours !== undefined) {
      out.push({ ...on, measure: 'release_notice', at: l.releaseScheduledRecordedAt, onTime: !l.shortNotice });
    }
    const concluded = conclusionOf(l);
    if (concluded) out.push({ ...on, measure: 'concluded', at: concluded.at, conclusion: concluded.conclusion, holdAsked, ...(l.declineKind !== undefined && concluded.conclusion === 'declined' && { declineKind: l.declineKind }) });
  }
  return out;
}

function conclusionOf(l: LodgingState): { conclusion: Conclusion; at: Date } | undefined {
  if (l.honoredAt !== undefined) return { conclusion: 'custody_to_ice', at: l.honoredAt };
  if (l.declined && l.declineRecordedAt !== undefined) return { conclusion: 'declined', at: l.declineRecordedAt };
  if (l.missedPickup && l.releasedAt !== undefined) return { conclusion: 'missed_pickup', at: l.releasedAt };
  if (l.destination === 'community' && l.releasedAt !== undefined) return { conclusion: 'released', at: l.releasedAt };
  return undefined;
}

/** Everything a detainer's change stores: the weekly figures' contributions and the profile's. */
export function storedContributionsOf(state: DetainerState): Contribution[] {
  return [...contributionsOf(state), ...profileContributionsOf(state)];
}

const REPORT_MEASURES: ReadonlySet<string> = new Set(MEASURES);
export function isReportMeasure(m: StoredMeasure): m is Measure {
  return REPORT_MEASURES.has(m);
}

/** A stable text key for a contribution: equal keys, equal contribution. */
export function contributionKey(c: Contribution): string {
  return [
    c.measure, c.detainerId, c.lodgingSeq, c.jurisdictionId, c.agencyId, c.facilityId, c.at.toISOString(),
    c.declineKind ?? '', c.ageBucket ?? '', c.exclusion ?? '', c.source ?? '', c.acknowledged ?? '', c.disputed,
    c.onTime ?? '', c.conclusion ?? '', c.holdAsked ?? '',
  ].join('|');
}

/**
 * What a change from `before` to `after` does: what the detainer now contributes (report and profile),
 * whether that differs from before, and the report weeks (their `weekStart`, oldest first) whose
 * figures differ (the profile's contributions never touch a report week).
 */
export interface ContributionDelta {
  after: Contribution[];
  changed: boolean;
  weeksTouched: string[];
}

export function contributionDelta(before: DetainerState | null, after: DetainerState, cfg: WeekConfig): ContributionDelta {
  const stored = storedContributionsOf(after);
  const afterContributions = stored.filter((c) => isReportMeasure(c.measure));
  const byWeek = new Map<string, { before: Set<string>; after: Set<string> }>();
  const add = (contributions: readonly Contribution[], side: 'before' | 'after') => {
    for (const c of contributions) {
      const week = weekContaining(c.at, cfg).weekStart;
      const entry = byWeek.get(week) ?? { before: new Set<string>(), after: new Set<string>() };
      entry[side].add(contributionKey(c));
      byWeek.set(week, entry);
    }
  };
  if (before) add(contributionsOf(before), 'before');
  add(afterContributions, 'after');
  const touched: string[] = [];
  for (const [week, { before: b, after: a }] of byWeek) {
    if (b.size !== a.size || [...b].some((k) => !a.has(k))) touched.push(week);
  }
  const beforeKeys = before ? storedContributionsOf(before).map(contributionKey).sort() : [];
  const afterKeys = stored.map(contributionKey).sort();
  const changed = before === null || beforeKeys.length !== afterKeys.length || beforeKeys.some((k, i) => k !== afterKeys[i]);
  return { after: stored, changed, weeksTouched: touched.sort() };
}

/** Report weeks (their `weekStart`) whose figures a change from `before` to `after` alters, oldest first. */
export function weeksTouched(before: DetainerState | null, after: DetainerState, cfg: WeekConfig): string[] {
  return contributionDelta(before, after, cfg).weeksTouched;
}
