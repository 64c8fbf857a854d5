import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  buildWeeklyReport, Charge, diffReports, DomainError, mostSeriousCharge, previousWeek, publicationBlockers, reportContent, ReportWeek,
  weekContaining, WeekConfig, WeeklyReportBody, weekStartingOn,
} from '@app/domain';
import { APP_CONFIG, AppConfig } from '@app/config';
import { ContributionRow, Database, DrillDownFilter, Page, REPORTING_SCOPE, ReportRepository, ReportWeekRow, Sql, VersionRow, withDatabaseScope } from '@app/persistence';
import { Clock } from '../clock';
import { detainerScopeOf, Principal } from '../principal';
import { weekConfigOf } from './week-config';

/** A report as served: the frozen body of a version, or the live figures. */
export type WeeklyReport = WeeklyReportBody & {
  version: number | 'live';
  status: 'published' | 'live';
  publishedAt?: string;
  publishedBy?: 'supervisor' | 'system';
  /** Live only: whether the week has closed, and what blocks publication. */
  closed?: boolean;
  publishable?: { ok: boolean; blockers: string[] };
  latestPublishedVersion?: number | null;
};

export interface RecordChange {
  caseRef: string;
  measure: string;
  jurisdictionCode: string;
  change: 'added' | 'removed' | 'changed';
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  because: { kind: string; recordedAt: string; source: string; detail: Record<string, unknown> }[];
}

export interface ChangeList {
  weekStart: string;
  version: number;
  previousVersion: number | null;
  publishedAt: string;
  summary: string;
  figures: ReturnType<typeof diffReports>;
  records: RecordChange[];
}

export type VersionSelector = number | 'latest' | 'live';

/** How many weeks the trend line covers, ending with the report's week. */
export const TREND_WEEKS = 12;
/** A re-roll sweep handles at most this many weeks per run; the rest wait for the next run. */
export const REROLL_BATCH = 25;

const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * The weekly report: roll-up (set-based, under the week's lock), rendering, publication as frozen
 * versions with change lists, reconciliation confirmations and the drill-down.
 */
@Injectable()
export class WeeklyReportService {
  private readonly logger = new Logger('WeeklyReport');

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly reports: ReportRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get weekConfig(): WeekConfig {
    return weekConfigOf(this.config);
  }

  week(weekStart: string): ReportWeek {
    return weekStartingOn(weekStart, this.weekConfig);
  }

  /** The week `now` falls in (still open). */
  currentWeek(now = this.clock.now()): ReportWeek {
    return weekContaining(now, this.weekConfig);
  }

  /** The week that closed most recently before `now`. */
  lastClosedWeek(now = this.clock.now()): ReportWeek {
    return previousWeek(weekContaining(now, this.weekConfig), this.weekConfig);
  }

  // ------------------------------------------------------------------ roll-up

  /**
   * Rolls one week up from the projection. Idempotent: a second run gives the same rows. When the
   * week was published and its figures changed, publishes the correction as the next version, unless
   * an unconfirmed reconciliation flag blocks it (a supervisor then publishes).
   */
  async rollUpWeek(weekStart: string): Promise<{ weekStart: string; contributions: number; newVersion: number | null }> {
    const week = this.week(weekStart);
    return nationally(() => this.db.transaction(async (sql) => {
      const locked = await this.reports.lockWeek(sql, week);
      const now = this.clock.now();
      const { contributions } = await this.reports.rollUp(sql, week, locked, now);
      let newVersion: number | null = null;
      const latest = await this.reports.version(sql, weekStart, 'latest');
      if (latest) {
        const body = await this.render(sql, week, trendOf(latest));
        if (sha256(reportContent(body)) !== latest.contentHash && publicationBlockers(body).length === 0) {
          newVersion = (await this.insertVersion(sql, week, body, latest, null, now)).version;
          this.logger.log({ weekStart, version: newVersion }, 'correction published as a new version');
        }
      }
      return { weekStart, contributions, newVersion };
    }));
  }

  /** Rolls up closed weeks that changes touched since their last roll-up. */
  async rollUpMarkedWeeks(limit = REROLL_BATCH): Promise<string[]> {
    const weeks = await this.db.read((sql) => this.reports.dirtyClosedWeeks(sql, this.clock.now(), limit));
    for (const w of weeks) await this.rollUpWeek(w);
    return weeks;
  }

  /** Rolls a week if it was never rolled or a change touched it since. */
  private async ensureRolled(weekStart: string): Promise<ReportWeekRow> {
    const row = await this.db.read((sql) => this.reports.findWeek(sql, weekStart));
    if (row && !row.dirty && row.rolledAt) return row;
    await this.rollUpWeek(weekStart);
    return (await this.db.read((sql) => this.reports.findWeek(sql, weekStart)))!;
  }

  // ------------------------------------------------------------------ reading

  async report(principal: Principal | null, weekStart: string, selector: VersionSelector): Promise<WeeklyReport> {
    const week = this.week(weekStart);
    if (selector === 'live') {
      assertMayReadLive(principal);
      await this.ensureRolled(weekStart);
      const trend = await this.trend(week);
      return nationally(() => this.db.read(async (sql) => {
        const body = await this.render(sql, week, trend);
        const blockers = publicationBlockers(body);
        const latest = await this.reports.version(sql, weekStart, 'latest');
        return {
          ...body,
          version: 'live',
          status: 'live',
          closed: week.end.getTime() <= this.clock.now().getTime(),
          publishable: { ok: blockers.length === 0 && week.end.getTime() <= this.clock.now().getTime(), blockers },
          latestPublishedVersion: latest?.version ?? null,
        };
      }));
    }
    const version = await this.db.read((sql) => this.reports.version(sql, weekStart, selector));
    if (!version) {
      throw new DomainError('not_found', selector === 'latest' ? `The week of ${weekStart} has no published version yet.` : `The week of ${weekStart} has no version ${selector}.`);
    }
    return version.report as WeeklyReport;
  }

  async listWeeks(principal: Principal | null, page: { limit: number; cursor?: string }) {
    const publishedOnly = !mayReadLive(principal);
    return this.db.read((sql) => this.reports.listWeeks(sql, { publishedOnly }, page));
  }

  async changes(weekStart: string, version: number): Promise<ChangeList> {
    this.week(weekStart);
    return this.db.read(async (sql) => {
      const v = await this.reports.version(sql, weekStart, version);
      if (!v) throw new DomainError('not_found', `The week of ${weekStart} has no version ${version}.`);
      const stored = await this.reports.changes(sql, v.id);
      return stored!.changes as ChangeList;
    });
  }

  /**
   * The detainers behind a count, scoped to what the caller may read. Analysts follow the counts of a
   * published version to its cases nationally, like the report itself; the caller strips them to the
   * de-identified columns (mayReadIdentity).
   */
  async drillDown(principal: Principal, weekStart: string, selector: VersionSelector, filter: DrillDownFilter, page: { limit: number; cursor?: string }): Promise<Page<ContributionRow>> {
    this.week(weekStart);
    if (principal.role === 'analyst') {
      if (selector === 'live') throw new DomainError('forbidden', 'Analysts follow the counts of published versions only; live figures are for supervisors and admins.');
      return nationally(() => this.db.read(async (sql) => {
        const v = await this.reports.version(sql, weekStart, selector);
        if (!v) throw new DomainError('not_found', `The week of ${weekStart} has no published version ${selector}.`);
        return this.reports.contributions(sql, weekStart, v.id, filter, { kind: 'all' }, page);
      }));
    }
    const scope = detainerScopeOf(principal);
    if (selector === 'live') {
      assertMayReadLive(principal);
      await this.ensureRolled(weekStart);
      return this.db.read((sql) => this.reports.contributions(sql, weekStart, null, filter, scope, page));
    }
    return this.db.read(async (sql) => {
      const v = await this.reports.version(sql, weekStart, selector);
      if (!v) throw new DomainError('not_found', `The week of ${weekStart} has no published version ${selector}.`);
      return this.reports.contributions(sql, weekStart, v.id, filter, scope, page);
    });
  }

  // ------------------------------------------------------------------ publishing

  /** Freezes the week's current figures as the next version (or returns the latest when nothing changed). */
  async publish(principal: Principal, weekStart: string): Promise<{ created: boolean; report: WeeklyReport }> {
    if (principal.role !== 'supervisor') throw new DomainError('forbidden', 'Only a supervisor publishes the weekly report.');
    const week = this.week(weekStart);
    const now = this.clock.now();
    if (week.end.getTime() > now.getTime()) {
      throw new DomainError('invalid_transition', `The week of ${weekStart} is still open until ${week.end.toISOString()}; publish it once it has closed.`, {
        state: 'open', action: 'publish', allowedActions: [],
      });
    }
    const trend = await this.trend(week);
    return nationally(() => this.db.transaction(async (sql) => {
      const locked = await this.reports.lockWeek(sql, week);
      await this.reports.rollUp(sql, week, locked, now);
      const body = await this.render(sql, week, trend);
      const blockers = publicationBlockers(body);
      if (blockers.length > 0) {
        throw new DomainError('invalid_transition', `Reconciliation flags must be confirmed by a supervisor before publishing: ${blockers.join('; ')}.`, {
          state: 'reconciliation_flagged', action: 'publish', allowedActions: ['confirm_reconciliation'], blockers,
        });
      }
      const latest = await this.reports.version(sql, weekStart, 'latest');
      if (latest && latest.contentHash === sha256(reportContent(body))) return { created: false, report: latest.report as WeeklyReport };
      const version = await this.insertVersion(sql, week, body, latest, principal.id, now);
      return { created: true, report: version.report as WeeklyReport };
    }));
  }

  /** A supervisor confirms an agency's unacknowledged surplus, for the figures as they stand now. */
  async confirmReconciliation(principal: Principal, weekStart: string, agencyId: string, note: string, notePublic = false): Promise<void> {
    if (principal.role !== 'supervisor' || !principal.areaId) throw new DomainError('forbidden', 'Only a supervisor confirms reconciliation flags.');
    if (typeof note !== 'string' || note.trim() === '') throw DomainError.invalidInput('note', 'note is required: say what the agency confirmed or why the surplus stands');
    const week = this.week(weekStart);
    await this.ensureRolled(weekStart);
    await this.db.transaction(async (sql) => {
      await this.reports.lockWeek(sql, week);
      const inArea = await sql.one('SELECT 1 FROM facilities WHERE agency_id = $1 AND area_id = $2 LIMIT 1', [agencyId, principal.areaId]);
      if (!inArea) throw new DomainError('not_found', 'No agency with this id in your area.');
      const row = await this.reports.reconciliationRow(sql, weekStart, agencyId);
      if (!row || row.issued <= row.acknowledged) throw new DomainError('invalid_transition', 'This agency has no unacknowledged surplus to confirm this week.', { state: 'not_flagged', action: 'confirm', allowedActions: [] });
      await this.reports.confirmReconciliation(sql, { weekStart, agencyId, issued: row.issued, acknowledged: row.acknowledged, userId: principal.id, at: this.clock.now(), note, notePublic });
    });
  }

  private async insertVersion(sql: Sql, week: ReportWeek, body: WeeklyReportBody, latest: VersionRow | null, publishedBy: string | null, now: Date): Promise<VersionRow> {
    const number = (latest?.version ?? 0) + 1;
    const report: WeeklyReport = {
      ...body,
      version: number,
      status: 'published',
      publishedAt: now.toISOString(),
      publishedBy: publishedBy ? 'supervisor' : 'system',
    };
    const changes: ChangeList = latest
      ? await this.changeList(sql, week, latest, body, number, now)
      : { weekStart: week.weekStart, version: number, previousVersion: null, publishedAt: now.toISOString(), summary: 'First publication of this week.', figures: [], records: [] };
    const inserted = await this.reports.insertVersion(sql, { weekStart: week.weekStart, version: number, publishedAt: now, publishedBy, report, contentHash: sha256(reportContent(body)) });
    await this.reports.insertChanges(sql, inserted.id, latest?.version ?? null, changes);
    return inserted;
  }

  /** What changed since `previous` and why: figures field by field, records with the events recorded since. */
  private async changeList(sql: Sql, week: ReportWeek, previous: VersionRow, body: WeeklyReportBody, number: number, now: Date): Promise<ChangeList> {
    const figures = diffReports(previous.report as WeeklyReportBody, body);
    const diff = await this.reports.contributionDiff(sql, previous.id, week.weekStart);
    const events = await this.reports.eventsSince(sql, [...new Set(diff.map((d) => d.row.detainer_id as string))], previous.publishedAt);
    const records = new Map<string, RecordChange>();
    const facts = (r: Record<string, unknown>) => ({
      jurisdictionCode: r.jurisdiction_code, at: (r.at as Date).toISOString(), declineKind: r.decline_kind ?? undefined, ageBucket: r.age_bucket ?? undefined,
      exclusion: r.exclusion ?? undefined, source: r.source ?? undefined, acknowledged: r.acknowledged ?? undefined, disputed: r.disputed,
    });
    for (const { side, row } of diff) {
      const key = `${row.case_ref as string}|${row.measure as string}`;
      const entry = records.get(key) ?? {
        caseRef: row.case_ref as string,
        measure: row.measure as string,
        jurisdictionCode: row.jurisdiction_code as string,
        change: side,
        before: null,
        after: null,
        because: events
          .filter((e) => e.detainer_id === row.detainer_id)
          .map((e) => ({ kind: e.kind as string, recordedAt: (e.recorded_at as Date).toISOString(), source: e.source as string, detail: publicDetail(e.kind as string, e.payload as Record<string, unknown>, e.occurred_at as Date) })),
      };
      if (side === 'removed') entry.before = facts(row);
      else entry.after = facts(row);
      entry.change = entry.before && entry.after ? 'changed' : entry.before ? 'removed' : 'added';
      records.set(key, entry);
    }
    const list = [...records.values()].sort((a, b) => (a.caseRef + a.measure < b.caseRef + b.measure ? -1 : 1));
    const kinds = [...new Set(list.flatMap((r) => r.because.map((b) => b.kind)))].sort();
    const summary =
      `${figures.length} figure(s) and ${list.length} record contribution(s) changed since version ${previous.version}` +
      (kinds.length ? `; events recorded since: ${kinds.join(', ')}` : '') + '.';
    return { weekStart: week.weekStart, version: number, previousVersion: previous.version, publishedAt: now.toISOString(), summary, figures, records: list };
  }

  // ------------------------------------------------------------------ rendering

  /** Nationwide issued and declined for the 12 weeks ending with `week` (rolling any week not yet rolled). */
  private async trend(week: ReportWeek): Promise<{ weekStart: string; issued: number; declined: number }[]> {
    const weeks: ReportWeek[] = [week];
    while (weeks.length < TREND_WEEKS) weeks.unshift(previousWeek(weeks[0]!, this.weekConfig));
    for (const w of weeks.slice(0, -1)) await this.ensureRolled(w.weekStart);
    const totals = await this.db.read((sql) => this.reports.totalsOf(sql, weeks.map((w) => w.weekStart)));
    return weeks.map((w) => ({ weekStart: w.weekStart, ...(totals.get(w.weekStart) ?? { issued: 0, declined: 0 }) }));
  }

  /** The report body from the rolled-up tables (the caller made sure the week is rolled). */
  private async render(sql: Sql, week: ReportWeek, trend: { weekStart: string; issued: number; declined: number }[]): Promise<WeeklyReportBody> {
    const figures = await this.reports.figures(sql, week.weekStart);
    const reconciliation = await this.reports.reconciliation(sql, week.weekStart);
    const policies = await this.reports.policiesInForce(sql, week);
    const ids = [...new Set([...figures.map((f) => f.jurisdictionId), ...policies.map((p) => p.jurisdictionId)])];
    const [jurisdictions, programs, cases, disputes] = [
      await this.reports.jurisdictionRefs(sql, ids),
      await this.reports.programs287g(sql, ids),
      await this.reports.declineCases(sql, week.weekStart),
      await this.reports.rowDisputes(sql, week.weekStart),
    ];
    // The week in progress is in the trend with its live figures; earlier weeks as rolled up.
    const current = figures.reduce((t, f) => ({ issued: t.issued + f.issued, declined: t.declined + f.declined }), { issued: 0, declined: 0 });
    return buildWeeklyReport({
      week,
      config: this.weekConfig,
      figures,
      jurisdictions,
      reconciliation,
      policies,
      programs287g: programs,
      cases: cases.map(({ charges, ...c }) => {
        const charge = mostSeriousCharge((charges ?? []) as Charge[]);
        return {
          ...c,
          mostSeriousCharge: charge
            ? { description: charge.description, level: charge.level, status: charge.status, ...(charge.ncicCode !== undefined && { ncicCode: charge.ncicCode }) }
            : null,
        };
      }),
      disputes,
      trend: trend.map((t) => (t.weekStart === week.weekStart ? { weekStart: t.weekStart, ...current } : t)),
    });
  }
}

function trendOf(version: VersionRow): { weekStart: string; issued: number; declined: number }[] {
  return (version.report as WeeklyReportBody).trend;
}

function mayReadLive(p: Principal | null): boolean {
  return p !== null && (p.role === 'supervisor' || p.role === 'admin');
}

function assertMayReadLive(p: Principal | null): void {
  if (p === null) throw new DomainError('unauthenticated', 'Live figures are for supervisors and admins: sign in (Authorization: Bearer <token>).');
  if (!mayReadLive(p)) throw new DomainError('forbidden', `Your role (${p.role}) reads published versions only; live figures are for supervisors and admins.`);
}

/** What a change list may say about an event in public: codes, never free text that could identify someone. */
function publicDetail(kind: string, payload: Record<string, unknown>, occurredAt: Date): Record<string, unknown> {
  switch (kind) {
    case 'detainer_issued':
      return { issuedAt: occurredAt.toISOString(), lateRecord: true };
    case 'cancelled':
      return { reason: payload.reason };
    case 'acknowledged':
      return { response: payload.response };
    case 'record_disputed':
      return { disputeId: payload.disputeId, ...(payload.reasonPublic === true && { reason: payload.reason }) };
    case 'record_dispute_resolved':
      return { disputeId: payload.disputeId, decision: payload.decision, correction: payload.correction ?? null, ...(payload.notePublic === true && { note: payload.note }) };
    case 'decline_retracted':
      return { disputeId: payload.disputeId, declineKind: payload.declineKind };
    case 'record_excluded':
      return { disputeId: payload.disputeId };
    case 'decline_recorded':
      return { source: payload.source, at: occurredAt.toISOString() };
    default:
      return { at: occurredAt.toISOString() };
  }
}

/**
 * National figures are computed over every agency's records, whoever asks: in the reporting scope,
 * which reads no subject's identity (see DatabaseScope). What callers then see is de-identified.
 */
function nationally<T>(work: () => Promise<T>): Promise<T> {
  return withDatabaseScope(REPORTING_SCOPE, work);
}
