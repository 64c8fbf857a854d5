import { Injectable } from '@nestjs/common';
import { buildWeeklyReport, mostSeriousCharge, ReportWeek, WeeklyReportBody } from '@app/domain';
import { ImportRepository, ReportContentRepository, ReportReconciliationRepository, Sql } from '@app/persistence';
import { ReportCalendar } from './report-calendar';
import { TrendPoint } from './weekly-report';

/** The report body from the rolled-up tables (the caller made sure the week is rolled). */
@Injectable()
export class ReportRenderer {
  constructor(
    private readonly calendar: ReportCalendar,
    private readonly content: ReportContentRepository,
    private readonly reconciliations: ReportReconciliationRepository,
    private readonly imports: ImportRepository,
  ) {}

  async render(sql: Sql, week: ReportWeek, trend: TrendPoint[]): Promise<WeeklyReportBody> {
    const figures = await this.content.figures(sql, week.weekStart);
    const reconciliation = await this.reconciliations.reconciliation(sql, week.weekStart);
    const policies = await this.content.policiesInForce(sql, week);
    const ids = [...new Set([...figures.map((f) => f.jurisdictionId), ...policies.map((p) => p.jurisdictionId)])];
    const publicRecord = await this.imports.publicRecordFidelity(sql, week.weekStart, week.weekEnd);
    const [jurisdictions, programs, cases, disputes] = [
      await this.content.jurisdictionRefs(sql, ids),
      await this.content.programs287g(sql, ids),
      await this.content.declineCases(sql, week.weekStart),
      await this.content.rowDisputes(sql, week.weekStart),
    ];
    // The week in progress is in the trend with its live figures; earlier weeks as rolled up.
    const current = figures.reduce((t, f) => ({ issued: t.issued + f.issued, declined: t.declined + f.declined }), { issued: 0, declined: 0 });
    return buildWeeklyReport({
      week,
      config: this.calendar.weekConfig,
      figures,
      jurisdictions,
      reconciliation,
      policies,
      programs287g: programs,
      cases: cases.map(({ charges, ...c }) => {
        const charge = mostSeriousCharge(charges);
        return {
          ...c,
          mostSeriousCharge: charge
            ? { description: charge.description, level: charge.level, status: charge.status, ...(charge.ncicCode !== undefined && { ncicCode: charge.ncicCode }) }
            : null,
        };
      }),
      disputes,
      publicRecord: publicRecord && { importedThisWeek: await this.imports.importedInWeek(sql, week.start, week.end), ...publicRecord },
      trend: trend.map((t) => (t.weekStart === week.weekStart ? { weekStart: t.weekStart, ...current } : t)),
    });
  }
}
