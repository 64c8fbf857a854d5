/**
 * What one detainer contributes to the weekly figures: a pure function of its state. The roll-up
 * computes the same rows set-based in SQL; this is the reference it is tested against, and what
 * tells a change which report weeks it touched.
 */
import { openDisputes } from '../detainer/record-disputes';
import type { DeclineKind, DetainerState, EventSource, LodgingState } from '../detainer/types';
import { type WeekConfig, weekContaining } from '../time/week';
import { type AgeBucket, ageBucket, declineSourceOf, type ExclusionReason, exclusionOf, type Measure } from './rules';

export interface Contribution {
  measure: Measure;
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
}

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

/** A stable text key for a contribution: equal keys, equal contribution. */
export function contributionKey(c: Contribution): string {
  return [
    c.measure, c.detainerId, c.lodgingSeq, c.jurisdictionId, c.agencyId, c.facilityId, c.at.toISOString(),
    c.declineKind ?? '', c.ageBucket ?? '', c.exclusion ?? '', c.source ?? '', c.acknowledged ?? '', c.disputed,
  ].join('|');
}

/** What a change from `before` to `after` does to the report: what the detainer now contributes, and the weeks (their `weekStart`, oldest first) whose figures differ. */
export interface ContributionDelta {
  after: Contribution[];
  weeksTouched: string[];
}

export function contributionDelta(before: DetainerState | null, after: DetainerState, cfg: WeekConfig): ContributionDelta {
  const afterContributions = contributionsOf(after);
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
  return { after: afterContributions, weeksTouched: touched.sort() };
}

/** Report weeks (their `weekStart`) whose figures a change from `before` to `after` alters, oldest first. */
export function weeksTouched(before: DetainerState | null, after: DetainerState, cfg: WeekConfig): string[] {
  return contributionDelta(before, after, cfg).weeksTouched;
}
