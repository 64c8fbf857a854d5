import { LodgingPlace, QuarantineReason, releaseRowKey, STATE_MAIN_TIME_ZONES, undatedLift } from '@app/domain';
import { Database, ImportRepository } from '@app/persistence';
import { Crosswalk } from './crosswalk';
import { BatchCounts, readPlacedRow, SourceRow } from './read-placed-row';

/**
 * A dry run of an import: the same reading and checks, batch by batch, and nothing written. A
 * facility the crosswalk would create counts as placed when its row's AOR is on file, as in a real
 * run; a row already seen in the file is a duplicate, as a real run's staging finds it.
 */
export class ImportDryRun {
  private readonly keys = new Set<string>();
  /** AOR code -> on file. */
  private readonly areas = new Map<string, boolean>();

  constructor(
    private readonly db: Database,
    private readonly imports: ImportRepository,
    private readonly crosswalk: Crosswalk,
    private readonly places: ReadonlyMap<string, LodgingPlace>,
    private readonly sha256: string,
    private readonly file: string,
  ) {}

  async batch(rows: readonly SourceRow[]): Promise<BatchCounts> {
    const counts: BatchCounts = { rows: rows.length, imported: 0, corrected: 0, unchanged: 0, quarantined: 0, undatedDeclines: 0, undatedLifts: 0, byReason: {} };
    const { crosswalk, places, areas, keys } = this;
    const aors = [...new Set(rows.map((r) => String(r.raw.facility_aor ?? '').trim().toUpperCase()))].filter((a) => a !== '' && !areas.has(a));
    if (aors.length) {
      const found = await this.db.read((sql) => this.imports.areaIdsByCode(sql, aors));
      for (const a of aors) areas.set(a, found.has(a));
    }
    for (const r of rows) {
      const read = readPlacedRow(r, crosswalk, (code, facts) => places.get(code) ?? (crosswalk.entries.get(code)?.kind === 'facility'
        ? { reason: 'unmapped_facility', detail: `the crosswalk maps ${code} to a facility that is not on file` }
        : !areas.get(facts.facilityAor ?? '') ? { reason: 'unknown_aor', detail: `facility_aor '${facts.facilityAor ?? ''}' is no AOR on file: the facility for ${code} cannot be created` } : {
        facilityId: '00000000-0000-0000-0000-000000000000', agencyId: '', jurisdictionId: '', areaId: facts.facilityAor ?? '',
        timeZone: STATE_MAIN_TIME_ZONES[(crosswalk.entries.get(code) as { state?: string }).state ?? ''] ?? 'America/New_York',
      }), this.sha256, this.file)!;
      let reason: QuarantineReason | null = 'quarantine' in read ? read.quarantine.reason : null;
      if (reason === null && 'record' in read) {
        const key = releaseRowKey(read.record.facts);
        if (keys.has(key)) reason = 'duplicate_row';
        keys.add(key);
        if (reason === null) {
          counts.imported += 1;
          if (undatedLift(read.record.facts)) counts[read.record.facts.liftOutcome === 'declined' ? 'undatedDeclines' : 'undatedLifts'] += 1;
        }
      }
      if (reason !== null) {
        counts.quarantined += 1;
        counts.byReason[reason] = (counts.byReason[reason] ?? 0) + 1;
      }
    }
    return counts;
  }
}
