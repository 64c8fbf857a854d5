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

/** Decodes the columns of `report_contributions` / `report_version_contributions` a row carries. */
export function contributionFactsOf(r: Record<string, unknown>): ContributionFacts {
  return {
    measure: r.measure as Measure,
    detainerId: r.detainer_id as string,
    lodgingSeq: r.lodging_seq as number,
    jurisdictionId: r.jurisdiction_id as string,
    agencyId: r.agency_id as string,
    at: r.at as Date,
    declineKind: (r.decline_kind as DeclineKind | null) ?? null,
    ageBucket: (r.age_bucket as AgeBucket | null) ?? null,
    exclusion: (r.exclusion as ExclusionReason | null) ?? null,
    source: (r.source as string | null) ?? null,
    acknowledged: (r.acknowledged as boolean | null) ?? null,
    disputed: r.disputed as boolean,
  };
}
