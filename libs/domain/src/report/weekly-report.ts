/**
 * The weekly report, assembled from rolled-up figures, the policy registry and the cases behind the
 * declines. Pure: the same inputs always give the same report, which is what lets a published
 * version be compared with the live figures field by field.
 */
import { DECLINE_KINDS, type DeclineKind } from '../detainer/types';
import type { ReportWeek, WeekConfig } from '../time/week';
import { AGE_BUCKETS, type AgeBucket, COUNTING_RULES, EXCLUSION_REASONS, type ExclusionReason, FIGURE_LABELS } from './rules';

export const SOURCE_KINDS = ['lea_reported', 'ice_observed', 'system', 'unknown'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** One jurisdiction's rolled-up figures for one week. */
export interface JurisdictionFigures {
  jurisdictionId: string;
  code: string;
  name: string;
  state: string;
  issued: number;
  declined: number;
  declinedByKind: Record<DeclineKind, number>;
  declinedByAge: Record<AgeBucket, number>;
  declinedBySource: Record<SourceKind, number>;
  honored: number;
  honoredBySource: Record<SourceKind, number>;
  missedPickups: number;
  shortNotices: number;
  excluded: number;
  excludedByReason: Record<ExclusionReason, number>;
  declinesRetracted: number;
  unacknowledged: number;
  /** Records on this row with an open dispute. */
  disputed: number;
}

export interface AgencyReconciliation {
  agencyId: string;
  ori: string;
  name: string;
  jurisdictionId: string;
  program287g: string;
  issued: number;
  acknowledged: number;
  unacknowledged: number;
  /** A surplus of unacknowledged detainers: blocks publication until a supervisor confirms it. */
  flagged: boolean;
  /** `note`: null unless its author marked it public. */
  confirmation: { confirmedAt: string; note: string | null } | null;
}

export interface PolicyInForce {
  policyId: string;
  jurisdictionId: string;
  kind: string;
  citation: string;
  summary: string;
  limitsHold: boolean;
  limitsNotification: boolean;
  limitsAccess: boolean;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface JurisdictionRef {
  jurisdictionId: string;
  code: string;
  name: string;
  state: string;
}

export interface DeclineCase {
  caseRef: string;
  jurisdictionId: string;
  agencyOri: string;
  form: string;
  citizenship: string;
  /** Local dates (YYYY-MM-DD) at the facility concerned. */
  issuedDate: string;
  declinedDate: string;
  declineKind: DeclineKind;
  ageBucket: AgeBucket;
  source: SourceKind;
  mostSeriousCharge: { description: string; level: string; status: string; ncicCode?: string } | null;
  disputed: boolean;
}

/** A dispute shown on the row (and case) it concerns, with the agency's side of it. */
export interface RowDispute {
  disputeId: string;
  jurisdictionId: string;
  agencyOri: string;
  caseRef: string;
  measures: string[];
  status: 'open' | 'upheld' | 'rejected';
  /** The agency's words, only when it marked them public (null otherwise); status and measures are always published. */
  reason: string | null;
  openedAt: string;
  resolution: { decision: 'upheld' | 'rejected'; note: string | null; correction: string | null; resolvedAt: string } | null;
}

export interface ReportInput {
  week: ReportWeek;
  config: WeekConfig;
  figures: JurisdictionFigures[];
  /** Every jurisdiction named in Section III or with figures. */
  jurisdictions: JurisdictionRef[];
  reconciliation: AgencyReconciliation[];
  policies: PolicyInForce[];
  programs287g: { jurisdictionId: string; ori: string; name: string; program287g: string }[];
  cases: DeclineCase[];
  disputes: RowDispute[];
  trend: { weekStart: string; issued: number; declined: number }[];
  publicRecord: PublicRecordFidelity | null;
}

export type Totals = Omit<JurisdictionFigures, 'jurisdictionId' | 'code' | 'name' | 'state'>;

export interface WeeklyReportBody {
  weekStart: string;
  weekEnd: string;
  timeZone: string;
  start: string;
  end: string;
  weekDefinition: string;
  labels: typeof FIGURE_LABELS;
  totals: Totals;
  states: (Totals & { state: string })[];
  jurisdictions: (JurisdictionFigures & {
    restrictivePolicy: boolean;
    program287g: { ori: string; program287g: string }[];
    reconciliationFlagged: boolean;
    disputes: RowDispute[];
  })[];
  reconciliation: AgencyReconciliation[];
  sections: {
    I: { title: string; label: string; rows: SectionIRow[] };
    II: { title: string; label: string; jurisdictions: SectionIIJurisdiction[] };
    III: { title: string; label: string; jurisdictions: SectionIIIJurisdiction[] };
    IV: { title: string; countingRules: readonly string[]; fidelity: Fidelity };
  };
  trend: { weekStart: string; issued: number; declined: number }[];
}

/** A published version's frozen report: the body as rendered, with the version and who published it. */
export type PublishedReport = WeeklyReportBody & {
  version: number;
  status: 'published';
  publishedAt: string;
  publishedBy: 'supervisor' | 'system';
};

export interface SectionIRow {
  rank: number;
  jurisdictionId: string;
  code: string;
  name: string;
  state: string;
  issued: number;
  issuedLabel: string;
  declined: number;
  citations: string[];
  program287g: { ori: string; program287g: string }[];
  disputed: number;
  disputes: RowDispute[];
}

export interface SectionIIJurisdiction {
  jurisdictionId: string;
  code: string;
  name: string;
  state: string;
  declined: number;
  declinedByKind: Record<DeclineKind, number>;
  declinedByAge: Record<AgeBucket, number>;
  disputed: number;
  cases: (DeclineCase & { dispute: RowDispute | null })[];
}

export interface SectionIIIJurisdiction {
  jurisdictionId: string;
  code: string;
  name: string;
  state: string;
  issued: number;
  declined: number;
  program287g: { ori: string; program287g: string }[];
  disputed: number;
  policies: PolicyInForce[];
}

/** The federal release's share of a week (Section IV): what was imported, from which files, and what could not be counted. */
export interface PublicRecordFidelity {
  /** Detainers issued this week (counted as issued or excluded) that came from the release, per file. */
  importedThisWeek: { fileName: string; sha256: string; detainers: number }[];
  /** Release rows prepared this week that were quarantined (not counted), by reason. */
  quarantinedThisWeek: Partial<Record<string, number>>;
  /** Release rows quarantined with no readable prepare date: in no week. */
  quarantinedUndated: number;
  /** Imported declines with no lift date: in no week, counted only here. */
  declinesWithoutDate: number;
}

export interface Fidelity {
  /** Null when no release has been imported. */
  publicRecord: PublicRecordFidelity | null;
  declines: Record<SourceKind, number>;
  honored: Record<SourceKind, number>;
  disputedOpen: number;
  disputesOnRecordsThisWeek: { open: number; upheld: number; rejected: number };
  corrected: { declinesRetracted: number; excludedByDispute: number };
  excluded: Record<ExclusionReason, number>;
  unacknowledged: number;
  reconciliationFlags: number;
}

/** Section I lists at most this many jurisdictions, as the 2017 reports did. */
export const SECTION_I_LIMIT = 10;

const zeroes = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export function emptyFigures(j: JurisdictionRef): JurisdictionFigures {
  return {
    ...j,
    issued: 0,
    declined: 0,
    declinedByKind: zeroes(DECLINE_KINDS),
    declinedByAge: zeroes(AGE_BUCKETS),
    declinedBySource: zeroes(SOURCE_KINDS),
    honored: 0,
    honoredBySource: zeroes(SOURCE_KINDS),
    missedPickups: 0,
    shortNotices: 0,
    excluded: 0,
    excludedByReason: zeroes(EXCLUSION_REASONS),
    declinesRetracted: 0,
    unacknowledged: 0,
    disputed: 0,
  };
}

function emptyTotals(): Totals {
  const { jurisdictionId: _i, code: _c, name: _n, state: _s, ...totals } = emptyFigures({ jurisdictionId: '', code: '', name: '', state: '' });
  return totals;
}

function addInto(target: Totals, f: Totals): void {
  const add = <K extends string>(a: Record<K, number>, b: Record<K, number>) => {
    for (const k of Object.keys(b) as K[]) a[k] += b[k];
  };
  target.issued += f.issued;
  target.declined += f.declined;
  add(target.declinedByKind, f.declinedByKind);
  add(target.declinedByAge, f.declinedByAge);
  add(target.declinedBySource, f.declinedBySource);
  target.honored += f.honored;
  add(target.honoredBySource, f.honoredBySource);
  target.missedPickups += f.missedPickups;
  target.shortNotices += f.shortNotices;
  target.excluded += f.excluded;
  add(target.excludedByReason, f.excludedByReason);
  target.declinesRetracted += f.declinesRetracted;
  target.unacknowledged += f.unacknowledged;
  target.disputed += f.disputed;
}

/** A policy restricts cooperation when it limits holds, notification or access (certifications of cooperation do not). */
export function isRestrictive(p: Pick<PolicyInForce, 'kind' | 'limitsHold' | 'limitsNotification' | 'limitsAccess'>): boolean {
  return p.kind !== 'psp_certification' && (p.limitsHold || p.limitsNotification || p.limitsAccess);
}

/** In force on at least one day of the week (local dates, inclusive). */
export function inForceDuring(p: Pick<PolicyInForce, 'effectiveFrom' | 'effectiveTo'>, week: Pick<ReportWeek, 'weekStart' | 'weekEnd'>): boolean {
  return p.effectiveFrom <= week.weekEnd && (p.effectiveTo === null || p.effectiveTo >= week.weekStart);
}

const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

function describeWeek(cfg: WeekConfig): string {
  const day = cfg.startDay.charAt(0).toUpperCase() + cfg.startDay.slice(1);
  return `${day} ${String(cfg.startHour).padStart(2, '0')}:00 ${cfg.timeZone}, for 7 days`;
}

export function buildWeeklyReport(input: ReportInput): WeeklyReportBody {
  const refs = new Map(input.jurisdictions.map((j) => [j.jurisdictionId, j]));
  const figures = new Map(input.figures.map((f) => [f.jurisdictionId, f]));
  const policies = input.policies.filter((p) => inForceDuring(p, input.week) && isRestrictive(p));
  const restrictive = new Map<string, PolicyInForce[]>();
  for (const p of policies) restrictive.set(p.jurisdictionId, [...(restrictive.get(p.jurisdictionId) ?? []), p]);
  const programs = new Map<string, { ori: string; program287g: string }[]>();
  for (const a of input.programs287g) {
    if (a.program287g !== 'none') programs.set(a.jurisdictionId, [...(programs.get(a.jurisdictionId) ?? []), { ori: a.ori, program287g: a.program287g }]);
  }
  const disputesOn = new Map<string, RowDispute[]>();
  for (const d of input.disputes) disputesOn.set(d.jurisdictionId, [...(disputesOn.get(d.jurisdictionId) ?? []), d]);
  const flaggedJurisdictions = new Set(input.reconciliation.filter((r) => r.flagged).map((r) => r.jurisdictionId));

  const rows = [...figures.values()].sort(byCode).map((f) => ({
    ...f,
    restrictivePolicy: restrictive.has(f.jurisdictionId),
    program287g: programs.get(f.jurisdictionId) ?? [],
    reconciliationFlagged: flaggedJurisdictions.has(f.jurisdictionId),
    disputes: disputesOn.get(f.jurisdictionId) ?? [],
  }));

  const totals = emptyTotals();
  const states = new Map<string, Totals & { state: string }>();
  for (const f of rows) {
    addInto(totals, f);
    const s = states.get(f.state) ?? { state: f.state, ...emptyTotals() };
    addInto(s, f);
    states.set(f.state, s);
  }

  const ref = (id: string): JurisdictionRef => refs.get(id) ?? figures.get(id) ?? { jurisdictionId: id, code: id, name: '', state: '' };
  const sectionI: SectionIRow[] = rows
    .filter((r) => r.restrictivePolicy && r.issued > 0)
    .sort((a, b) => b.issued - a.issued || byCode(a, b))
    .slice(0, SECTION_I_LIMIT)
    .map((r, i) => ({
      rank: i + 1,
      jurisdictionId: r.jurisdictionId,
      code: r.code,
      name: r.name,
      state: r.state,
      issued: r.issued,
      issuedLabel: 'detainers ISSUED this week (requests sent; not declines)',
      declined: r.declined,
      citations: (restrictive.get(r.jurisdictionId) ?? []).map((p) => p.citation),
      program287g: r.program287g,
      disputed: r.disputed,
      disputes: r.disputes,
    }));

  const disputeOfCase = new Map(input.disputes.map((d) => [d.caseRef, d]));
  const casesOf = new Map<string, DeclineCase[]>();
  for (const c of input.cases) casesOf.set(c.jurisdictionId, [...(casesOf.get(c.jurisdictionId) ?? []), c]);
  const sectionII: SectionIIJurisdiction[] = rows
    .filter((r) => r.declined > 0)
    .sort((a, b) => b.declined - a.declined || byCode(a, b))
    .map((r) => ({
      jurisdictionId: r.jurisdictionId,
      code: r.code,
      name: r.name,
      state: r.state,
      declined: r.declined,
      declinedByKind: r.declinedByKind,
      declinedByAge: r.declinedByAge,
      disputed: r.disputed,
      cases: (casesOf.get(r.jurisdictionId) ?? [])
        .slice()
        .sort((a, b) => (a.declinedDate + a.caseRef < b.declinedDate + b.caseRef ? -1 : 1))
        .map((c) => ({ ...c, dispute: disputeOfCase.get(c.caseRef) ?? null })),
    }));

  const sectionIII: SectionIIIJurisdiction[] = [...restrictive.entries()]
    .map(([id, ps]) => {
      const j = ref(id);
      const f = figures.get(id);
      return {
        jurisdictionId: id,
        code: j.code,
        name: j.name,
        state: j.state,
        issued: f?.issued ?? 0,
        declined: f?.declined ?? 0,
        program287g: programs.get(id) ?? [],
        disputed: f?.disputed ?? 0,
        policies: ps.slice().sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : a.citation < b.citation ? -1 : 1)),
      };
    })
    .sort(byCode);

  const disputeCounts = { open: 0, upheld: 0, rejected: 0 };
  for (const d of new Map(input.disputes.map((d) => [d.disputeId, d])).values()) disputeCounts[d.status] += 1;

  return {
    weekStart: input.week.weekStart,
    weekEnd: input.week.weekEnd,
    timeZone: input.week.timeZone,
    start: input.week.start.toISOString(),
    end: input.week.end.toISOString(),
    weekDefinition: describeWeek(input.config),
    labels: FIGURE_LABELS,
    totals,
    states: [...states.values()].sort((a, b) => (a.state < b.state ? -1 : 1)),
    jurisdictions: rows,
    reconciliation: input.reconciliation.slice().sort((a, b) => (a.ori < b.ori ? -1 : 1)),
    sections: {
      I: {
        title: 'I. Highest volume of detainers ISSUED to jurisdictions with restrictive policies',
        label: 'These are detainers ISSUED (requests sent) to jurisdictions with a restrictive policy in force this week. They are NOT declines: declines are in Section II.',
        rows: sectionI,
      },
      II: {
        title: 'II. Jurisdictions with declines recorded this week',
        label: 'Each case: citizenship, date issued, date the decline was recorded, and most serious charge; no identity.',
        jurisdictions: sectionII,
      },
      III: {
        title: 'III. Jurisdictions with policies restricting cooperation in force this week',
        label: 'From the policy registry; only policies in force on at least one day of this week, with their citations.',
        jurisdictions: sectionIII,
      },
      IV: {
        title: 'IV. Scope and data fidelity',
        countingRules: COUNTING_RULES,
        fidelity: {
          publicRecord: input.publicRecord,
          declines: totals.declinedBySource,
          honored: totals.honoredBySource,
          disputedOpen: totals.disputed,
          disputesOnRecordsThisWeek: disputeCounts,
          corrected: { declinesRetracted: totals.declinesRetracted, excludedByDispute: totals.excludedByReason.excluded_by_dispute },
          excluded: totals.excludedByReason,
          unacknowledged: totals.unacknowledged,
          reconciliationFlags: input.reconciliation.filter((r) => r.flagged).length,
        },
      },
    },
    trend: input.trend,
  };
}

/** What a published version must not have: unconfirmed reconciliation flags. */
export function publicationBlockers(report: Pick<WeeklyReportBody, 'reconciliation'>): string[] {
  return report.reconciliation
    .filter((r) => r.flagged && r.confirmation === null)
    .map((r) => `${r.ori} (${r.name}): ${r.issued} issued, ${r.acknowledged} acknowledged as received; a supervisor must confirm the surplus of ${r.unacknowledged}`);
}

/** The part of a report that a new version is about (the trend is context, frozen as published). */
export function reportContent(report: WeeklyReportBody): Omit<WeeklyReportBody, 'trend'> {
  const { trend: _trend, ...content } = report;
  return content;
}

export interface FigureChange {
  scope: 'nationwide' | 'state' | 'jurisdiction' | 'agency' | 'section_i' | 'section_iii';
  /** State code, jurisdiction code or agency ORI; null for nationwide. */
  key: string | null;
  field: string;
  from: unknown;
  to: unknown;
}

/** A record whose contributions differ between two versions, and the events recorded since that explain it. */
export interface RecordChange {
  caseRef: string;
  measure: string;
  jurisdictionCode: string;
  change: 'added' | 'removed' | 'changed';
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  because: { kind: string; recordedAt: string; source: string; detail: Record<string, unknown> }[];
}

/** What changed in a version since the previous one, and why: stored with the version it was published with. */
export interface ChangeList {
  weekStart: string;
  version: number;
  previousVersion: number | null;
  publishedAt: string;
  summary: string;
  figures: FigureChange[];
  records: RecordChange[];
}

/** Field-by-field differences between two versions of one week (numbers, flags, section membership). */
export function diffReports(prev: WeeklyReportBody, next: WeeklyReportBody): FigureChange[] {
  const changes: FigureChange[] = [];
  const flat = (value: unknown, prefix = ''): Map<string, unknown> => {
    const out = new Map<string, unknown>();
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) for (const [fk, fv] of flat(v, prefix ? `${prefix}.${k}` : k)) out.set(fk, fv);
    } else out.set(prefix, value);
    return out;
  };
  const compare = (scope: FigureChange['scope'], key: string | null, a: object | undefined, b: object | undefined, skip: string[] = []) => {
    const fa = flat(a ?? {});
    const fb = flat(b ?? {});
    for (const field of new Set([...fa.keys(), ...fb.keys()])) {
      if (skip.some((s) => field === s || field.startsWith(`${s}.`))) continue;
      const from = fa.get(field) ?? (typeof fb.get(field) === 'number' ? 0 : null);
      const to = fb.get(field) ?? (typeof fa.get(field) === 'number' ? 0 : null);
      if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ scope, key, field, from, to });
    }
  };
  compare('nationwide', null, prev.totals, next.totals);
  const keyed = <T>(list: T[], key: (t: T) => string) => new Map(list.map((t) => [key(t), t]));
  const pairs = <T>(a: Map<string, T>, b: Map<string, T>) => [...new Set([...a.keys(), ...b.keys()])].sort().map((k) => [k, a.get(k), b.get(k)] as const);
  for (const [k, a, b] of pairs(keyed(prev.states, (s) => s.state), keyed(next.states, (s) => s.state))) compare('state', k, a, b, ['state']);
  const skipRow = ['jurisdictionId', 'code', 'name', 'state', 'disputes', 'program287g'];
  for (const [k, a, b] of pairs(keyed(prev.jurisdictions, (j) => j.code), keyed(next.jurisdictions, (j) => j.code))) compare('jurisdiction', k, a, b, skipRow);
  const rec = (r: AgencyReconciliation) => ({ issued: r.issued, acknowledged: r.acknowledged, unacknowledged: r.unacknowledged, flagged: r.flagged, confirmed: r.confirmation !== null });
  for (const [k, a, b] of pairs(keyed(prev.reconciliation, (r) => r.ori), keyed(next.reconciliation, (r) => r.ori))) {
    compare('agency', k, a && rec(a), b && rec(b));
  }
  const sectionI = (r: WeeklyReportBody) => keyed(r.sections.I.rows, (x) => x.code);
  for (const [k, a, b] of pairs(sectionI(prev), sectionI(next))) {
    compare('section_i', k, a && { listed: true, rank: a.rank }, b && { listed: true, rank: b.rank });
  }
  const sectionIII = (r: WeeklyReportBody) => keyed(r.sections.III.jurisdictions, (x) => x.code);
  for (const [k, a, b] of pairs(sectionIII(prev), sectionIII(next))) {
    const cites = (x: SectionIIIJurisdiction | undefined) => x && { listed: true, citations: x.policies.map((p) => p.citation).join(' | ') };
    compare('section_iii', k, cites(a), cites(b));
  }
  return changes;
}
