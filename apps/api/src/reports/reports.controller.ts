import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  ConfirmReconciliation, DrillDownReport, ListReportWeeks, mayReadIdentity, Principal, PublishReport, ReadChangeList, ReadReport, ReportCalendar,
  VersionSelector,
} from '@app/application';
import { DomainError } from '@app/domain';
import { CurrentPrincipal, Public, Roles } from '../common/auth';
import { OptionalPrincipal } from '../common/optional-principal';
import { ChangeListResponse, DrillDownPage, ReconciliationResult, ReportWeekList, WeeklyReportResponse, WeeklyReportWithLinks } from './reports.responses';
import { pageOf, PageQuery } from '../common/paging.dto';
import { reportCsv } from './report-csv';
import { reportPdf } from './report-pdf';
import { ConfirmReconciliationDto, DrillDownQuery, ReportVersionQuery } from './reports.dto';

const WEEK = /^(\d{4}-\d{2}-\d{2})(\.csv|\.pdf)?$/;
const agencyId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', 'No agency with this id.') });

function selectorOf(version: string | undefined): VersionSelector {
  if (version === undefined || version === 'latest') return 'latest';
  if (version === 'live') return 'live';
  return Number(version);
}

function weekParam(raw: string): { weekStart: string; format: 'json' | 'csv' | 'pdf' } {
  const m = WEEK.exec(raw);
  if (!m) throw DomainError.invalidInput('weekStart', 'weekStart must be a date YYYY-MM-DD (optionally .csv or .pdf)');
  return { weekStart: m[1], format: m[2] === '.csv' ? 'csv' : m[2] === '.pdf' ? 'pdf' : 'json' };
}

/**
 * The weekly declined-detainer report. Published versions are public and de-identified; live figures,
 * publication and reconciliation are for supervisors (and admins, read-only); the drill-down from a
 * count to its detainers is scoped to what the caller may read.
 */
@ApiTags('reports')
@ApiExtraModels(WeeklyReportWithLinks)
@ApiBearerAuth()
@Controller('api/v1/reports/weekly')
export class ReportsController {
  constructor(
    private readonly calendar: ReportCalendar,
    private readonly listWeeks: ListReportWeeks,
    private readonly readReport: ReadReport,
    private readonly readChangeList: ReadChangeList,
    private readonly drillDownReport: DrillDownReport,
    private readonly publishReport: PublishReport,
    private readonly confirmReconciliation: ConfirmReconciliation,
    private readonly optional: OptionalPrincipal,
  ) {}

  private optionalPrincipal(req: Request): Promise<Principal | null> {
    return this.optional.of(req);
  }

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Report weeks with their published versions (supervisors and admins also see rolled-up weeks not yet published)',
    description: 'Also currentWeek (open now), lastClosedWeek and weekStartsOn { day, hour, timeZone }, so that a client can open weeks not rolled up yet.',
  })
  @ApiOkResponse({ type: ReportWeekList })
  @ApiResponse({ status: 401, description: 'Credentials were sent and are bad (they are optional here)' })
  @ApiResponse({ status: 403, description: 'Credentials were sent for a role that must enrol a second factor first' })
  async list(@Req() req: Request, @Query() q: PageQuery): Promise<ReportWeekList> {
    const page = await this.listWeeks.execute(await this.optionalPrincipal(req), pageOf(q));
    return {
      items: page.items.map((w) => ({
        weekStart: w.weekStart,
        weekEnd: w.weekEnd,
        timeZone: w.timeZone,
        start: w.start.toISOString(),
        end: w.end.toISOString(),
        latestVersion: w.versions.at(-1)?.version ?? null,
        versions: w.versions.map((v) => ({ version: v.version, publishedAt: v.publishedAt.toISOString(), publishedBy: v.publishedByKind === 'user' ? 'supervisor' : 'system' })),
        rolledUpAt: w.rolledAt?.toISOString() ?? null,
        awaitingReroll: w.dirty,
      })),
      nextCursor: page.nextCursor,
      // Where to find weeks not rolled up yet (the open one, the one just closed), and how weeks are cut.
      currentWeek: weekRef(this.calendar.currentWeek()),
      lastClosedWeek: weekRef(this.calendar.lastClosedWeek()),
      weekStartsOn: { day: this.calendar.weekConfig.startDay, hour: this.calendar.weekConfig.startHour, timeZone: this.calendar.weekConfig.timeZone },
    };
  }

  @Get(':week')
  @Public()
  @ApiOperation({ summary: 'One week\'s report as JSON, or .csv (a row per jurisdiction, then per case) or .pdf (printable, with charts)' })
  @ApiResponse({
    status: 200,
    description: 'The report: JSON for {weekStart}, CSV for {weekStart}.csv, PDF for {weekStart}.pdf',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(WeeklyReportWithLinks) } },
      'text/csv': { schema: { type: 'string' } },
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiResponse({ status: 400, description: 'Not a week start date, or a bad version' })
  @ApiResponse({ status: 401, description: 'version=live without a token, or bad credentials' })
  @ApiResponse({ status: 403, description: 'version=live is for supervisors and admins' })
  @ApiResponse({ status: 404, description: 'No such week or version (or nothing published yet)' })
  async get(@Param('week') week: string, @Query() q: ReportVersionQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { weekStart, format } = weekParam(week);
    const report = await this.readReport.execute(await this.optionalPrincipal(req), weekStart, selectorOf(q.version));
    const name = `declined-detainers-${weekStart}-v${report.version}`;
    res.setHeader('Cache-Control', report.status === 'live' ? 'no-store' : 'public, max-age=300');
    if (format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
      return reportCsv(report);
    }
    if (format === 'pdf') {
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `inline; filename="${name}.pdf"`);
      res.end(await reportPdf(report));
      return undefined;
    }
    return {
      ...report,
      links: {
        drillDown: `/api/v1/reports/weekly/${weekStart}/detainers?version=${report.version}&measure={measure}&jurisdictionId={jurisdictionId}`,
        csv: `/api/v1/reports/weekly/${weekStart}.csv?version=${report.version}`,
        pdf: `/api/v1/reports/weekly/${weekStart}.pdf?version=${report.version}`,
        jurisdictionProfile: '/api/v1/jurisdictions/{jurisdictionId}/profile?weeks=12',
        ...(typeof report.version === 'number' && { changes: `/api/v1/reports/weekly/${weekStart}/versions/${report.version}/changes` }),
      },
    };
  }

  @Get(':weekStart/versions/:version/changes')
  @Public()
  @ApiOperation({ summary: 'What changed in this version since the previous one, and why (machine-readable)' })
  @ApiOkResponse({ type: ChangeListResponse })
  changes(@Param('weekStart') weekStart: string, @Param('version') version: string): Promise<ChangeListResponse> {
    if (!/^[1-9][0-9]{0,5}$/.test(version)) throw new DomainError('not_found', `No version ${version}.`);
    return this.readChangeList.execute(weekParam(weekStart).weekStart, Number(version));
  }

  @Get(':weekStart/detainers')
  @Roles('officer', 'supervisor', 'jail_staff', 'admin', 'analyst')
  @ApiOperation({
    summary: 'Drill-down: the detainers behind a count (only those you may read)',
    description: 'Analysts follow the counts of published versions (not live) to their cases nationally, like the report, with the de-identified columns only: no detainerId, lodgingSeq or detainer link.',
  })
  @ApiOkResponse({ type: DrillDownPage })
  @ApiResponse({ status: 403, description: 'version=live for a role that reads published versions only' })
  async drillDown(@CurrentPrincipal() p: Principal, @Param('weekStart') weekStart: string, @Query() q: DrillDownQuery): Promise<DrillDownPage> {
    const page = await this.drillDownReport.execute(p, weekParam(weekStart).weekStart, selectorOf(q.version), {
      measure: q.measure, jurisdictionId: q.jurisdictionId, state: q.state, agencyId: q.agencyId, declineKind: q.declineKind, ageBucket: q.ageBucket, exclusion: q.exclusion,
    }, pageOf(q));
    const identified = mayReadIdentity(p);
    return {
      items: page.items.map(({ detainerId, lodgingSeq, ...c }) => ({
        ...c,
        at: c.at.toISOString(),
        timeZone: c.timeZone,
        ...(identified && { detainerId, lodgingSeq, detainer: `/api/v1/detainers/${detainerId}` }),
      })),
      nextCursor: page.nextCursor,
    };
  }

  @Post(':weekStart/publish')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Freeze the week\'s figures as the next version (201); 200 with the latest version when nothing changed' })
  @ApiCreatedResponse({ type: WeeklyReportResponse, description: 'A new version, published' })
  @ApiOkResponse({ type: WeeklyReportResponse, description: 'Nothing changed since the latest version: that version' })
  @ApiResponse({ status: 409, description: 'Week still open, or reconciliation flags not confirmed (blockers lists them)' })
  async publish(@CurrentPrincipal() p: Principal, @Param('weekStart') weekStart: string, @Res({ passthrough: true }) res: Response): Promise<WeeklyReportResponse> {
    const result = await this.publishReport.execute(p, weekParam(weekStart).weekStart);
    res.status(result.created ? 201 : 200);
    return result.report;
  }

  @Post(':weekStart/reconciliation/:agencyId/confirm')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Confirm an agency\'s unacknowledged surplus (issued vs acknowledged as received) so the week can be published' })
  @ApiOkResponse({ type: ReconciliationResult })
  async confirm(@CurrentPrincipal() p: Principal, @Param('weekStart') weekStart: string, @Param('agencyId', agencyId) agency: string, @Body() b: ConfirmReconciliationDto): Promise<ReconciliationResult> {
    await this.confirmReconciliation.execute(p, weekParam(weekStart).weekStart, agency, b.note, b.notePublic === true);
    const live = await this.readReport.execute(p, weekParam(weekStart).weekStart, 'live');
    return { reconciliation: live.reconciliation.find((r) => r.agencyId === agency) ?? null, publishable: live.publishable };
  }
}

function weekRef(w: { weekStart: string; weekEnd: string; timeZone: string; start: Date; end: Date }) {
  return { weekStart: w.weekStart, weekEnd: w.weekEnd, timeZone: w.timeZone, start: w.start.toISOString(), end: w.end.toISOString() };
}
