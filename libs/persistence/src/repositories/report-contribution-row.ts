import { AgeBucket, DeclineKind, ExclusionReason, Measure } from '@app/domain';

/** What one contribution row says, the same in the live table and in a published version's copy. */
export interface ContributionFacts {
  measure: Measure;
  detainerId: string;
  lodgingSeq: number;
  jurisdictionId: string;
  agencyId: string;
  at: Date;
  declineKind: DeclineKind | null;
  ageBucket: AgeBucket | null;
  exclusion: ExclusionReason | null;
  source: string | null;
  acknowledged: boolean | null;
  disputed: boolean;
}

/** The columns of `report_contributions` / `report_version_contributions` a row carries. */
export interface ContributionFactsRow {
  measure: Measure;
  detainer_id: string;
  lodging_seq: number;
  jurisdiction_id: string;
  agency_id: string;
  at: Date;
  decline_kind: DeclineKind | null;
  age_bucket: AgeBucket | null;
  exclusion: ExclusionReason | null;
  source: string | null;
  acknowledged: boolean | null;
  disputed: boolean;
}

/** Decodes them (the drill-down and the change lists add their own columns around it). */
export function contributionFactsOf(r: ContributionFactsRow): ContributionFacts {
  return {
    measure: r.measure,
    detainerId: r.detainer_id,
    lodgingSeq: r.lodging_seq,
    jurisdictionId: r.jurisdiction_id,
    agencyId: r.agency_id,
    at: r.at,
    declineKind: r.decline_kind ?? null,
    ageBucket: r.age_bucket ?? null,
    exclusion: r.exclusion ?? null,
    source: r.source ?? null,
    acknowledged: r.acknowledged ?? null,
    disputed: r.disputed,
  };
}
