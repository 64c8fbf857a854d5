import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/domain';
import { Database, ImportRepository, ImportRunRecord, Page, QuarantineRow } from '@app/persistence';
import { Principal } from '../principal';
import { nationally } from '../reports/weekly-report';

/** Who may read the import runs and their quarantine: admins and analysts (the public record, de-identified). */
function assertMayReadImports(p: Principal): void {
  if (p.role !== 'admin' && p.role !== 'analyst') {
    throw new DomainError('forbidden', `Your role (${p.role}) may not read import runs: they are for admins and analysts.`);
  }
}

/** The runs of the federal-release import and the rows each quarantined, read nationally. */
@Injectable()
export class ImportQueries {
  constructor(
    private readonly db: Database,
    private readonly imports: ImportRepository,
  ) {}

  listRuns(principal: Principal, page: { limit: number; cursor?: string }): Promise<Page<ImportRunRecord>> {
    assertMayReadImports(principal);
    return nationally(() => this.db.read((sql) => this.imports.listRuns(sql, page)));
  }

  async run(principal: Principal, runId: string): Promise<ImportRunRecord> {
    assertMayReadImports(principal);
    const run = await nationally(() => this.db.read((sql) => this.imports.findRun(sql, runId)));
    if (!run) throw new DomainError('not_found', `No import run ${runId}.`);
    return run;
  }

  async quarantine(principal: Principal, runId: string, page: { limit: number; cursor?: string }): Promise<Page<QuarantineRow> & { run: ImportRunRecord }> {
    assertMayReadImports(principal);
    return nationally(() => this.db.read(async (sql) => {
      const run = await this.imports.findRun(sql, runId);
      if (!run) throw new DomainError('not_found', `No import run ${runId}.`);
      return { run, ...(await this.imports.quarantine(sql, runId, page)) };
    }));
  }
}
