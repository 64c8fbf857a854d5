import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Injectable } from '@nestjs/common';
import {
  citizenshipCodeOf, DetainerEvent, DetainerState, evolve, importedEvents, ImportedRecord, LodgingPlace,
  parseReleaseDate, Quarantined, QuarantineReason, releaseRowKey, ReleaseRowFacts, replay, STATE_MAIN_TIME_ZONES, undatedLift,
} from '@app/domain';
import { Database, DetainerWriteRepository, ImportRepository, ImportRunRecord, QuarantineRow, Sql, StagedRecord } from '@app/persistence';
import { Clock } from '../clock';
import { NewDetainersContributions, ReportContributionRecorder } from '../reports/report-contribution-recorder';
import { Crosswalk, readCrosswalk } from './crosswalk';
import { ImportDryRun } from './import-dry-run';
import { BatchCounts, readPlacedRow, ReadRow, SourceRow } from './read-placed-row';
import { openReleaseFile } from './release-readers';

export interface ImportProgress {
  rows: number;
  position: number;
  total: number;
}

export interface ImportOptions {
  file: string;
  crosswalk: string;
  dryRun?: boolean;
  /** Rows per transaction (and checkpoint). */
  batchSize?: number;
  onStart?: (info: { total: number; format: string; resumedAt: number; runId: string | null }) => void;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportSummary {
  runId: string | null;
  dryRun: boolean;
  file: string;
  sha256: string;
  crosswalkSha256: string;
  resumedAt: number;
  rowsRead: number;
  imported: number;
  corrected: number;
  unchanged: number;
  quarantined: number;
  quarantinedByReason: Partial<Record<QuarantineReason, number>>;
  undatedDeclines: number;
  undatedLifts: number;
  seconds: number;
}

/** What a record writes if it is new: the events it stands for, the state they give, what it contributes to the report. */
interface BuiltRecord {
  record: ImportedRecord;
  events: DetainerEvent[];
  state: DetainerState;
  contributes: NewDetainersContributions;
}

/** A batch read and built ahead of its transaction. */
interface PreparedBatch {
  rows: SourceRow[];
  /** Per row: read, or null when its facility was not known yet (the crosswalk creates it). */
  read: (ReadRow | null)[];
  /** By row number, every record read. */
  built: Map<number, BuiltRecord>;
}

/** Rows read and built between two turns of the event loop, so that the batch being written meanwhile is not kept waiting. */
const ROWS_PER_TURN = 250;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * `npm run import -- ice-release`: reads a federal release file row by row, places each row's facility
 * through the crosswalk (never by name), and writes each row as a read-only detainer whose events say
 * what the release says, batch by batch. Each batch is one transaction that also moves the run's
 * checkpoint, so a killed run resumes after its last committed batch and ends with exactly the rows of
 * an uninterrupted one. The report's contributions and week marks come from ReportContributionRecorder,
 * as for every other change. The same file again changes nothing; a corrected row appends an
 * `import_corrected` event, and the weeks it changes are marked for re-roll (published ones get a new
 * version with its change list).
 */
@Injectable()
export class ImportIceRelease {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly imports: ImportRepository,
    private readonly writer: DetainerWriteRepository,
    private readonly recorder: ReportContributionRecorder,
  ) {}

  async execute(opts: ImportOptions): Promise<ImportSummary> {
    const started = Date.now();
    const batchSize = opts.batchSize ?? 5000;
    const crosswalk = await readCrosswalk(opts.crosswalk);
    const source = await openReleaseFile(opts.file);
    const sha256 = await sha256OfFile(opts.file);
    const fileName = basename(opts.file);
    const dryRun = opts.dryRun ?? false;

    let run: ImportRunRecord | null = null;
    if (!dryRun) {
      run = (await this.db.transaction((sql) => this.imports.startOrResume(sql, { fileName, sha256, crosswalkSha256: crosswalk.sha256, now: this.clock.now() }))).run;
    }
    const resumedAt = run?.rowsRead ?? 0;
    opts.onStart?.({ total: source.total, format: source.format, resumedAt, runId: run?.id ?? null });
    const places = await this.db.read((sql) => this.knownPlaces(sql, crosswalk));
    const totals: BatchCounts = {
      rows: 0, imported: 0, corrected: 0, unchanged: 0, quarantined: 0, undatedDeclines: 0, undatedLifts: 0, byReason: {},
    };
    const dry = dryRun ? new ImportDryRun(this.db, this.imports, crosswalk, places, sha256, fileName) : null;

    const add = (counts: BatchCounts) => {
      for (const k of ['rows', 'imported', 'corrected', 'unchanged', 'quarantined', 'undatedDeclines', 'undatedLifts'] as const) totals[k] += counts[k];
      for (const [r, n] of Object.entries(counts.byReason)) totals.byReason[r as QuarantineReason] = (totals.byReason[r as QuarantineReason] ?? 0) + n;
      opts.onProgress?.({ rows: resumedAt + totals.rows, position: source.position(), total: source.total });
    };

    let rowNumber = 0;
    let batch: SourceRow[] = [];
    // While a batch is written the next one is read and built (Node and PostgreSQL each busy on a
    // core); it is written when the one before has committed, so batches still commit one after another.
    const writes = new OneWriteAtATime();
    const flush = async () => {
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      if (dry) {
        add(await dry.batch(rows));
        return;
      }
      const prepared = await this.prepareBatch(rows, crosswalk, places, sha256, fileName);
      await writes.start(() => this.writeBatch(run!, prepared, crosswalk, places, sha256, fileName).then(add));
    };
    try {
      for await (const raw of source.rows()) {
        rowNumber += 1;
        if (rowNumber <= resumedAt) continue;
        batch.push({ rowNumber, raw });
        if (batch.length >= batchSize) await flush();
      }
      await flush();
      await writes.last();
    } finally {
      // a file that fails to read half-way stops the import only once the batch being written has ended
      await writes.last().catch(() => undefined);
    }

    const finished = run ? await this.db.transaction((sql) => this.imports.finish(sql, run.id, this.clock.now())) : null;
    return {
      runId: run?.id ?? null,
      dryRun,
      file: fileName,
      sha256,
      crosswalkSha256: crosswalk.sha256,
      resumedAt,
      rowsRead: finished?.rowsRead ?? totals.rows,
      imported: finished?.imported ?? totals.imported,
      corrected: finished?.corrected ?? totals.corrected,
      unchanged: finished?.unchanged ?? totals.unchanged,
      quarantined: finished?.quarantined ?? totals.quarantined,
      quarantinedByReason: finished?.quarantinedByReason ?? totals.byReason,
      undatedDeclines: finished?.undatedDeclines ?? totals.undatedDeclines,
      undatedLifts: finished?.undatedLifts ?? totals.undatedLifts,
      seconds: (Date.now() - started) / 1000,
    };
  }

  /** Places of the crosswalk's facility ids and of the codes whose facility an earlier import created. */
  private async knownPlaces(sql: Sql, crosswalk: Crosswalk): Promise<Map<string, LodgingPlace>> {
    const byId = [...crosswalk.entries].filter(([, e]) => e.kind === 'facility') as [string, { kind: 'facility'; facilityId: string }][];
    const facilities = await this.imports.placesOfFacilities(sql, byId.map(([, e]) => e.facilityId));
    const places = new Map<string, LodgingPlace>();
    for (const [code, e] of byId) {
      const place = facilities.get(e.facilityId);
      if (place) places.set(code, place);
    }
    const codes = [...crosswalk.entries].filter(([, e]) => e.kind === 'codes').map(([code]) => code);
    for (const [code, place] of await this.imports.placesOfCodes(sql, codes)) places.set(code, place);
    return places;
  }

  /** Reads and builds a batch, outside any transaction: rows whose facility is not known yet are left for its transaction. */
  private async prepareBatch(
    rows: SourceRow[], crosswalk: Crosswalk, places: ReadonlyMap<string, LodgingPlace>, sha256: string, file: string,
  ): Promise<PreparedBatch> {
    const read: (ReadRow | null)[] = [];
    const built = new Map<number, BuiltRecord>();
    for (const [i, row] of rows.entries()) {
      if (i > 0 && i % ROWS_PER_TURN === 0) await nextTurn();
      const r = readPlacedRow(row, crosswalk, (code) => places.get(code) ?? null, sha256, file);
      read.push(r);
      if (r && 'record' in r) built.set(r.rowNumber, this.build(r.record));
    }
    return { rows, read, built };
  }

  private build(record: ImportedRecord): BuiltRecord {
    const events = importedEvents(record);
    const state = replay(events);
    return { record, events, state, contributes: this.recorder.contributionsOfNew([state]) };
  }

  private async writeBatch(
    run: ImportRunRecord, prepared: PreparedBatch, crosswalk: Crosswalk, places: Map<string, LodgingPlace>, sha256: string, file: string,
  ): Promise<BatchCounts> {
    const now = this.clock.now();
    const created = new Map<string, LodgingPlace>();
    const result = await this.db.transaction(async (sql) => {
      // Rows whose facility was not known when they were read: an earlier batch may have created it
      // since; the crosswalk's facilities placed by codes that no import created yet are created now, in the row's AOR.
      const pending = new Map<string, { aor: string | null }>();
      const placed = prepared.read.map((r, i) => r ?? readPlacedRow(prepared.rows[i], crosswalk, (code, facts) => {
        const known = places.get(code);
        if (known) return known;
        if (!pending.has(code)) pending.set(code, { aor: facts.facilityAor });
        return null;
      }, sha256, file));
      if (pending.size > 0) {
        const areas = await this.imports.areaIdsByCode(sql, [...pending.values()].map((p) => p.aor ?? ''));
        for (const [code, { aor }] of pending) {
          const entry = crosswalk.entries.get(code)!;
          if (entry.kind !== 'codes') continue;
          const areaId = aor ? areas.get(aor) : undefined;
          if (!areaId) continue;
          const made = await this.imports.createCodeFacility(sql, {
            code, jurisdictionCode: entry.jurisdictionCode, state: entry.state, countyFips: entry.countyFips, ori: entry.ori, facilityName: entry.facilityName,
            areaId, timeZone: STATE_MAIN_TIME_ZONES[entry.state] ?? 'America/New_York',
          });
          if ('error' in made) throw new Error(`crosswalk ${code}: ${made.error}`);
          created.set(code, made);
        }
      }
      const read = placed.map((r, i) => r ?? readPlacedRow(prepared.rows[i], crosswalk, (code, facts) => {
        const place = created.get(code) ?? places.get(code);
        if (place) return place;
        const entry = crosswalk.entries.get(code);
        if (entry?.kind === 'facility') return { reason: 'unmapped_facility', detail: `the crosswalk maps ${code} to facility ${entry.facilityId}, which is not on file` };
        return { reason: 'unknown_aor', detail: `facility_aor '${facts.facilityAor ?? ''}' is no AOR on file: the facility for ${code} cannot be created` };
      }, sha256, file)!);
      return this.writeRows(sql, run.id, read, prepared.built, now);
    });
    for (const [code, place] of created) places.set(code, place);
    return result;
  }

  private async writeRows(
    sql: Sql, runId: string, read: ReadRow[], built: ReadonlyMap<number, BuiltRecord>, now: Date,
  ): Promise<BatchCounts> {
    const counts = { rows: read.length, imported: 0, corrected: 0, unchanged: 0, quarantined: 0, undatedDeclines: 0, undatedLifts: 0, byReason: {} as Partial<Record<QuarantineReason, number>> };
    const quarantine: QuarantineRow[] = [];
    const quarantined = (r: ReadRow, q: Quarantined, facts?: ReleaseRowFacts) => {
      quarantine.push({
        // a row quarantined before its facts were read (a bad lift date, an unknown form) still has its code and, often, its prepare date: its week
        rowNumber: r.rowNumber, reason: q.reason, detail: q.detail,
        facilityCode: facts?.facilityCode ?? (String(r.raw.detention_facility_code ?? '').trim().toUpperCase() || null),
        preparedOn: (facts?.preparedLocal ?? parseReleaseDate(r.raw.detainer_prepare_date ?? null))?.slice(0, 10) ?? null,
        row: Object.fromEntries(Object.entries(r.raw).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v ?? null])),
      });
      counts.byReason[q.reason] = (counts.byReason[q.reason] ?? 0) + 1;
    };
    const records = new Map<number, { record: ImportedRecord; factsHash: string }>();
    const staged: StagedRecord[] = [];
    for (const r of read) {
      if ('quarantine' in r) quarantined(r, r.quarantine, r.facts);
      else {
        records.set(r.rowNumber, { record: r.record, factsHash: r.factsHash });
        staged.push({
          rowNumber: r.rowNumber, rowKey: releaseRowKey(r.record.facts), detainerId: r.record.detainerId, factsHash: r.factsHash,
          undatedDecline: r.record.facts.liftOutcome === 'declined' && r.record.facts.liftedLocal === null,
        });
      }
    }
    const onFile = staged.length ? await this.imports.stage(sql, staged) : [];
    const seenInBatch = new Set<string>();
    const fresh: BuiltRecord[] = [];
    const correctedRows: number[] = [];
    const createdRows: number[] = [];
    const seenRows: number[] = [];
    for (const s of onFile) {
      const { record } = records.get(s.rowNumber)!;
      const duplicate = seenInBatch.has(s.rowKey) || (s.onFile !== null && s.onFile.seenRunId === runId && s.onFile.seenRowNumber < s.rowNumber);
      seenInBatch.add(s.rowKey);
      if (duplicate) {
        quarantined({ rowNumber: s.rowNumber, raw: read.find((r) => r.rowNumber === s.rowNumber)!.raw } as ReadRow,
          { reason: 'duplicate_row', detail: `the file already has a row for unique_id ${record.facts.uniqueId} prepared ${record.facts.preparedLocal} at ${record.facts.facilityCode}` }, record.facts);
        continue;
      }
      if (undatedLift(record.facts)) {
        if (record.facts.liftOutcome === 'declined') counts.undatedDeclines += 1;
        else counts.undatedLifts += 1;
      }
      if (s.onFile === null) {
        // built ahead unless its facility was created in this batch's transaction
        fresh.push(built.get(s.rowNumber) ?? this.build(record));
        createdRows.push(s.rowNumber);
      } else if (s.onFile.factsHash === s.factsHash) {
        counts.unchanged += 1;
        seenRows.push(s.rowNumber);
      } else {
        await this.correct(sql, record, now);
        correctedRows.push(s.rowNumber);
        counts.corrected += 1;
      }
    }
    if (fresh.length) {
      await this.imports.ensureSubjects(sql, [...new Map(fresh.map(({ record }) => [record.subjectId, {
        id: record.subjectId, uniqueId: record.facts.uniqueId, citizenship: citizenshipCodeOf(record.facts.citizenshipCountry),
        sex: sexOf(record.facts.gender), birthYear: record.facts.birthYear,
      }])).values()]);
      await this.writer.insertNewMany(sql, fresh, requestIdOf(fresh[0].record.sha256));
      await this.recorder.storeForNew(sql, { stored: fresh.flatMap((f) => f.contributes.stored), marks: fresh.flatMap((f) => f.contributes.marks) }, now);
      counts.imported += fresh.length;
    }
    if (staged.length) await this.imports.settle(sql, runId, { created: createdRows, corrected: correctedRows, seen: seenRows });
    if (quarantine.length) await this.imports.addQuarantine(sql, runId, quarantine);
    counts.quarantined = quarantine.length;
    await this.imports.advance(sql, runId, counts);
    return counts;
  }

  /** A corrected row: its detainer's state becomes what the row now says, by an appended event. */
  private async correct(sql: Sql, record: ImportedRecord, now: Date): Promise<void> {
    const stream = await this.writer.loadStream(sql, record.detainerId);
    if (!stream) throw new Error(`imported detainer ${record.detainerId} is on file but cannot be loaded`);
    const before = replay(stream.events);
    const event: DetainerEvent = {
      version: before.version + 1, lodging: 1, occurredAt: now, recordedAt: now,
      actor: { kind: 'system', id: null, role: 'system', agencyId: null, areaId: null }, source: 'ice_observed',
      kind: 'import_corrected', data: { record },
    };
    const after = evolve(before, event);
    const applied = await this.writer.applyChange(sql, { version: stream.version, eventCount: stream.events.length }, after, [event], now, requestIdOf(record.sha256));
    if (!applied) throw new Error(`imported detainer ${record.detainerId} changed while it was corrected`);
    await this.recorder.onDetainerChanged(sql, { before, after, events: [event], now });
  }

}

/** Writes started one after another, each once the one before has ended. */
class OneWriteAtATime {
  private current: Promise<void> = Promise.resolve();

  /** Waits for the write before (failing with it), then starts `write` without waiting for it. */
  async start(write: () => Promise<void>): Promise<void> {
    await this.current;
    this.current = write();
    // awaited by the next start or by last(): until then its failure is not an unhandled rejection
    this.current.catch(() => undefined);
  }

  last(): Promise<void> {
    return this.current;
  }
}

/** Every event of an import carries the file's checksum. */
const requestIdOf = (sha256: string): string => `ice-release:${sha256}`;

function sexOf(gender: string | null): string | null {
  const g = gender?.trim().toUpperCase();
  if (g === 'M' || g === 'MALE') return 'M';
  if (g === 'F' || g === 'FEMALE') return 'F';
  return null;
}
