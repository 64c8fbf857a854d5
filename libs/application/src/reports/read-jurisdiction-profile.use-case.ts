import { Injectable } from '@nestjs/common';
import {
  addCounts, DeclaredForComparison, disagreementsOf, DomainError, Measured, measuredOf, NO_COUNTS, previousWeek, PROFILE_DEFINITIONS, PROFILE_NOTES, ProfileCounts, ProfileKey, ReportWeek,
} from '@app/domain';
import {
  AccessScope, AgencyRecord, CertificationRecord, Database, JurisdictionProfileRepository, JurisdictionRecord, PolicyRecord, ProfileDispute, ReferenceRepository,
} from '@app/persistence';
import { Clock } from '../clock';
import { detainerScopeOf, Principal } from '../principal';
import { ReportCalendar } from './report-calendar';
import { assertMayReadLive, mayReadLive, nationally } from './weekly-report';

export const PROFILE_MAX_WEEKS = 52;

export type CertificationStatus = 'in_force' | 'expired' | 'not_yet_in_force';

export interface JurisdictionProfile {
  jurisdiction: Pick<JurisdictionRecord, 'id' | 'code' | 'name' | 'kind' | 'state'>;
  basis: 'published' | 'live';
  weeks: { count: number; firstWeekStart: string; lastWeekEnd: string; timeZone: string; counted: number; notPublished: string[] };
  declared: {
    policies: Omit<PolicyRecord, 'jurisdictionId'>[];
    program287g: (Pick<AgencyRecord, 'id' | 'ori' | 'name' | 'program287g'> & { since: string | null; until: string | null; inForce: boolean })[];
    certifications: (Omit<CertificationRecord, 'jurisdictionId' | 'createdBy' | 'createdAt'> & { status: CertificationStatus; inForceDuringWeeks: boolean })[];
  };
  measured: Measured;
  definitions: Record<ProfileKey, string>;
  notes: readonly string[];
  disagreements: string[];
  trend: { weekStart: string; counted: boolean; measured: Measured }[];
  disputes: ProfileDispute[];
}

/** A date range [from, to] (local dates, inclusive) overlaps the weeks [first, last]. */
const overlaps = (from: string | null, to: string | null, first: string, last: string) => (from === null || from <= last) && (to === null || to >= first);

/**
 * A jurisdiction's cooperation as declared (policies in force, 287(g), certifications) beside what
 * the records measure over 1 to 52 report weeks. Everyone may read it built from published weeks
 * only (the weeks ending with the last closed one, each counted only once a version of it is
 * published), de-identified. Live figures (weeks ending with the open one, every week counted):
 * supervisors and admins, and the jurisdiction's own jail staff. Jail staff read their own
 * jurisdiction's profile only. A dispute's record id is shown only to a caller whose scope reaches it.
 */
@Injectable()
export class ReadJurisdictionProfile {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly calendar: ReportCalendar,
    private readonly refs: ReferenceRepository,
    private readonly profiles: JurisdictionProfileRepository,
  ) {}

  async execute(principal: Principal | null, jurisdictionId: string, weekCount: number, live: boolean): Promise<JurisdictionProfile> {
    const now = this.clock.now();
    const { jurisdiction, agencies, policies, certifications } = await this.db.read(async (sql) => {
      const j = await this.refs.findJurisdiction(sql, jurisdictionId);
      return {
        jurisdiction: j,
        agencies: j ? await this.refs.agenciesOfJurisdiction(sql, jurisdictionId) : [],
        policies: j ? await this.refs.listPolicies(sql, jurisdictionId) : [],
        certifications: j ? await this.refs.listCertifications(sql, jurisdictionId) : [],
      };
    });
    if (!jurisdiction) throw new DomainError('not_found', 'No jurisdiction with this id.');
    const ownJailStaff = principal?.role === 'jail_staff' && agencies.some((a) => a.id === principal.agencyId);
    // a jail's staff see their own jurisdiction's profile only: any other is outside their scope
    if (principal?.role === 'jail_staff' && !ownJailStaff) throw new DomainError('not_found', 'No jurisdiction with this id.');
    if (live && !ownJailStaff) assertMayReadLive(principal);

    const last = live ? this.calendar.currentWeek(now) : this.calendar.lastClosedWeek(now);
    const weeks: ReportWeek[] = [last];
    while (weeks.length < weekCount) weeks.unshift(previousWeek(weeks[0], this.calendar.weekConfig));
    const first = weeks[0].weekStart;
    const lastDay = last.weekEnd;
    const disputeScope: AccessScope = principal && (live ? ownJailStaff || mayReadLive(principal) : principal.role === 'supervisor' || principal.role === 'admin')
      ? detainerScopeOf(principal)
      : { kind: 'none' };

    const { counts, published, disputes } = await nationally(() => this.db.read(async (sql) => {
      const published = live ? new Set(weeks.map((w) => w.weekStart)) : await this.profiles.publishedWeeks(sql, weeks.map((w) => w.weekStart));
      const countedWeeks = weeks.filter((w) => published.has(w.weekStart));
      return {
        published,
        counts: countedWeeks.length ? await this.profiles.weeklyCounts(sql, jurisdictionId, countedWeeks, now) : new Map<string, ProfileCounts>(),
        disputes: countedWeeks.length ? await this.profiles.disputes(sql, jurisdictionId, countedWeeks, now, disputeScope) : [],
      };
    }));

    const trend = weeks.map((w) => ({ weekStart: w.weekStart, counted: published.has(w.weekStart), measured: measuredOf(counts.get(w.weekStart) ?? NO_COUNTS) }));
    const total = weeks.reduce((sum, w) => addCounts(sum, counts.get(w.weekStart) ?? NO_COUNTS), NO_COUNTS);
    const measured = measuredOf(total);

    const policiesInForce = policies.filter((p) => overlaps(p.effectiveFrom, p.effectiveTo, first, lastDay));
    const programs = agencies.filter((a) => a.program287g !== 'none').map((a) => ({
      id: a.id, ori: a.ori, name: a.name, program287g: a.program287g, since: a.program287gSince, until: a.program287gUntil,
      inForce: overlaps(a.program287gSince, a.program287gUntil, first, lastDay),
    }));
    const certs = certifications.map((c) => {
      const status: CertificationStatus = c.certifiedOn > lastDay ? 'not_yet_in_force' : c.expiresOn !== null && c.expiresOn < lastDay ? 'expired' : 'in_force';
      return {
        id: c.id, kind: c.kind, certifiedOn: c.certifiedOn, expiresOn: c.expiresOn, source: c.source, status,
        inForceDuringWeeks: overlaps(c.certifiedOn, c.expiresOn, first, lastDay),
      };
    });
    const comparison: DeclaredForComparison = {
      certifications: certs.filter((c) => c.inForceDuringWeeks),
      policies: policiesInForce,
      programs287g: programs.filter((p) => p.inForce).map((p) => ({ agencyName: p.name, program287g: p.program287g })),
    };

    return {
      jurisdiction: { id: jurisdiction.id, code: jurisdiction.code, name: jurisdiction.name, kind: jurisdiction.kind, state: jurisdiction.state },
      basis: live ? 'live' : 'published',
      weeks: {
        count: weeks.length, firstWeekStart: first, lastWeekEnd: lastDay, timeZone: last.timeZone,
        counted: weeks.filter((w) => published.has(w.weekStart)).length, notPublished: weeks.filter((w) => !published.has(w.weekStart)).map((w) => w.weekStart),
      },
      declared: {
        policies: policiesInForce.map(({ jurisdictionId: _j, ...p }) => p),
        program287g: programs,
        certifications: certs,
      },
      measured,
      definitions: PROFILE_DEFINITIONS,
      notes: PROFILE_NOTES,
      disagreements: disagreementsOf(comparison, measured),
      trend,
      disputes,
    };
  }
}
