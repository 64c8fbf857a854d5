import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/domain';
import { Database, ReportReconciliationRepository, ReportWeeksRepository } from '@app/persistence';
import { Clock } from '../clock';
import { Principal } from '../principal';
import { ReportCalendar } from './report-calendar';
import { RollUpWeek } from './roll-up-week.use-case';

/** A supervisor confirms an agency's unacknowledged surplus, for the figures as they stand now. */
@Injectable()
export class ConfirmReconciliation {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly calendar: ReportCalendar,
    private readonly weeks: ReportWeeksRepository,
    private readonly reconciliations: ReportReconciliationRepository,
    private readonly rollUpWeek: RollUpWeek,
  ) {}

  async execute(principal: Principal, weekStart: string, agencyId: string, note: string, notePublic = false): Promise<void> {
    if (principal.role !== 'supervisor' || !principal.areaId) throw new DomainError('forbidden', 'Only a supervisor confirms reconciliation flags.');
    if (typeof note !== 'string' || note.trim() === '') throw DomainError.invalidInput('note', 'note is required: say what the agency confirmed or why the surplus stands');
    const week = this.calendar.week(weekStart);
    const areaId = principal.areaId;
    await this.rollUpWeek.ensureRolled(weekStart);
    await this.db.transaction(async (sql) => {
      await this.weeks.lockWeek(sql, week);
      if (!(await this.reconciliations.agencyInArea(sql, agencyId, areaId))) throw new DomainError('not_found', 'No agency with this id in your area.');
      const row = await this.reconciliations.reconciliationRow(sql, weekStart, agencyId);
      if (!row || row.issued <= row.acknowledged) throw new DomainError('invalid_transition', 'This agency has no unacknowledged surplus to confirm this week.', { state: 'not_flagged', action: 'confirm', allowedActions: [] });
      await this.reconciliations.confirmReconciliation(sql, { weekStart, agencyId, issued: row.issued, acknowledged: row.acknowledged, userId: principal.id, at: this.clock.now(), note, notePublic });
    });
  }
}
