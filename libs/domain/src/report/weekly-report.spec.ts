import { weekStartingOn, DEFAULT_WEEK_CONFIG } from '../time/week';
import {
  AgencyReconciliation, buildWeeklyReport, diffReports, emptyFigures, inForceDuring, isRestrictive, JurisdictionFigures, PolicyInForce,
  publicationBlockers, ReportInput, reportContent, SECTION_I_LIMIT,
} from './weekly-report';

const week = weekStartingOn('2017-01-28', DEFAULT_WEEK_CONFIG);
const ref = (id: string, state = 'TX') => ({ jurisdictionId: id, code: `US-${state}-${id}`, name: `County ${id}`, state });
const fig = (id: string, over: Partial<JurisdictionFigures> = {}, state = 'TX'): JurisdictionFigures => ({ ...emptyFigures(ref(id, state)), ...over });
const policy = (jurisdictionId: string, over: Partial<PolicyInForce> = {}): PolicyInForce => ({
  policyId: `p-${jurisdictionId}`, jurisdictionId, kind: 'ordinance', citation: `Ord. ${jurisdictionId}`, summary: 's',
  limitsHold: true, limitsNotification: false, limitsAccess: false, effectiveFrom: '2016-01-01', effectiveTo: null, ...over,
});
const recon = (over: Partial<AgencyReconciliation> = {}): AgencyReconciliation => ({
  agencyId: 'a1', ori: 'TX0010000', name: 'Sheriff', jurisdictionId: '48001', program287g: 'none', issued: 3, acknowledged: 3,
  unacknowledged: 0, flagged: false, confirmation: null, ...over,
});
const input = (over: Partial<ReportInput> = {}): ReportInput => ({
  week, config: DEFAULT_WEEK_CONFIG, figures: [], jurisdictions: [], reconciliation: [], policies: [], programs287g: [], cases: [], disputes: [], trend: [], publicRecord: null, ...over,
});

describe('the weekly report builder', () => {
  it('policies count when in force on at least one day of the week; certifications never restrict', () => {
    expect(inForceDuring({ effectiveFrom: '2017-02-01', effectiveTo: null }, week)).toBe(true); // from mid-week
    expect(inForceDuring({ effectiveFrom: '2017-02-04', effectiveTo: null }, week)).toBe(false); // the day after
    expect(inForceDuring({ effectiveFrom: '2010-01-01', effectiveTo: '2017-01-28' }, week)).toBe(true); // ends on day one
    expect(inForceDuring({ effectiveFrom: '2010-01-01', effectiveTo: '2017-01-27' }, week)).toBe(false);
    expect(isRestrictive({ kind: 'psp_certification', limitsHold: true, limitsNotification: false, limitsAccess: false })).toBe(false);
    expect(isRestrictive({ kind: 'ordinance', limitsHold: false, limitsNotification: false, limitsAccess: false })).toBe(false);
    expect(isRestrictive({ kind: 'ordinance', limitsHold: false, limitsNotification: false, limitsAccess: true })).toBe(true);
  });

  it('sums rows into states and the nation; Section I ranks restrictive jurisdictions by detainers ISSUED, at most ten', () => {
    const figures = Array.from({ length: 12 }, (_, i) => fig(String(48001 + i), { issued: 20 - i, declined: i }));
    figures.push(fig('36059', { issued: 50, declined: 1 }, 'NY'));
    const policies = figures.map((f) => policy(f.jurisdictionId));
    policies.push(policy('48001', { policyId: 'expired', citation: 'Old', effectiveTo: '2016-12-31' }));
    const r = buildWeeklyReport(input({ figures, jurisdictions: figures.map((f) => ref(f.jurisdictionId, f.state)), policies }));
    expect(r.totals.issued).toBe(figures.reduce((s, f) => s + f.issued, 0));
    expect(r.states.map((s) => [s.state, s.issued])).toEqual([['NY', 50], ['TX', 174]]);
    expect(r.sections.I.rows).toHaveLength(SECTION_I_LIMIT);
    expect(r.sections.I.rows.slice(0, 2).map((x) => [x.rank, x.code, x.issued])).toEqual([[1, 'US-NY-36059', 50], [2, 'US-TX-48001', 20]]);
    expect(r.sections.I.rows[1].citations).toEqual(['Ord. 48001']); // the expired one is not cited
    expect(r.sections.III.jurisdictions).toHaveLength(13);
    expect(r.sections.II.jurisdictions[0]).toMatchObject({ code: 'US-TX-48012', declined: 11 });
  });

  it('Section III lists restrictive jurisdictions without activity too; Section II only those with declines', () => {
    const r = buildWeeklyReport(input({ jurisdictions: [ref('48453')], policies: [policy('48453')], figures: [fig('48001', { issued: 2 })] }));
    expect(r.sections.III.jurisdictions.map((j) => [j.code, j.issued])).toEqual([['US-TX-48453', 0]]);
    expect(r.sections.I.rows).toEqual([]);
    expect(r.sections.II.jurisdictions).toEqual([]);
  });

  it('disputes appear on the rows, cases and Section I entries they concern', () => {
    const dispute = { disputeId: 'd', jurisdictionId: '48001', agencyOri: 'TX0010000', caseRef: 'c-1', measures: ['declined'], status: 'open' as const, reason: 'we notified', openedAt: '2017-02-01T00:00:00.000Z', resolution: null };
    const c = { caseRef: 'c-1', jurisdictionId: '48001', agencyOri: 'TX0010000', form: 'I-247D', citizenship: 'MX', issuedDate: '2017-01-01', declinedDate: '2017-02-01', declineKind: 'no_notice' as const, ageBucket: 'under_year' as const, source: 'lea_reported' as const, mostSeriousCharge: null, disputed: true };
    const r = buildWeeklyReport(input({
      figures: [fig('48001', { issued: 1, declined: 1, disputed: 1 })], policies: [policy('48001')], cases: [c], disputes: [dispute],
      programs287g: [{ jurisdictionId: '48001', ori: 'TX0010000', name: 'Sheriff', program287g: 'jail_enforcement' }],
    }));
    expect(r.jurisdictions[0]).toMatchObject({ disputed: 1, disputes: [dispute], program287g: [{ ori: 'TX0010000', program287g: 'jail_enforcement' }] });
    expect(r.sections.II.jurisdictions[0].cases[0].dispute).toEqual(dispute);
    expect(r.sections.I.rows[0]).toMatchObject({ disputed: 1, disputes: [dispute] });
    expect(r.sections.IV.fidelity.disputesOnRecordsThisWeek).toEqual({ open: 1, upheld: 0, rejected: 0 });
  });

  it('unconfirmed reconciliation flags block publication; a confirmation lifts them', () => {
    expect(publicationBlockers({ reconciliation: [recon()] })).toEqual([]);
    const flagged = recon({ issued: 65, acknowledged: 25, unacknowledged: 40, flagged: true });
    expect(publicationBlockers({ reconciliation: [flagged] })).toEqual([expect.stringContaining('65 issued, 25 acknowledged')]);
    expect(publicationBlockers({ reconciliation: [{ ...flagged, confirmation: { confirmedAt: 'x', note: 'n' } }] })).toEqual([]);
  });

  it('diffs two versions field by field, including section membership', () => {
    const before = buildWeeklyReport(input({ figures: [fig('48001', { issued: 2 }), fig('48003', { issued: 1 })], policies: [policy('48001')] }));
    const after = buildWeeklyReport(input({ figures: [fig('48001', { issued: 1, excluded: 1, excludedByReason: { ...emptyFigures(ref('x')).excludedByReason, issued_in_error: 1 } })], policies: [policy('48001'), policy('48005')], jurisdictions: [ref('48005')] }));
    const changes = diffReports(before, after);
    expect(changes).toEqual(expect.arrayContaining([
      { scope: 'nationwide', key: null, field: 'issued', from: 3, to: 1 },
      { scope: 'jurisdiction', key: 'US-TX-48001', field: 'excludedByReason.issued_in_error', from: 0, to: 1 },
      { scope: 'jurisdiction', key: 'US-TX-48003', field: 'issued', from: 1, to: 0 },
      { scope: 'section_iii', key: 'US-TX-48005', field: 'listed', from: null, to: true },
    ]));
    expect(diffReports(before, before)).toEqual([]);
    expect(reportContent(before)).not.toHaveProperty('trend');
  });
});
