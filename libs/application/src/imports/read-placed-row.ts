import { createHash } from 'node:crypto';
import {
  checkPlacedRow, ImportedRecord, isQuarantined, LodgingPlace, Quarantined, QuarantineReason, RawReleaseRow, readReleaseRow, releaseRowKey, ReleaseRowFacts,
} from '@app/domain';
import { RunCounts } from '@app/persistence';
import { Crosswalk } from './crosswalk';

/** A row of the release file as read, with its number in the file. */
export interface SourceRow {
  rowNumber: number;
  raw: RawReleaseRow;
}

/** A row's place in a batch once read: quarantined, or a record to write. */
export type ReadRow = SourceRow & ({ quarantine: Quarantined; facts?: ReleaseRowFacts } | { record: ImportedRecord; factsHash: string });

/** What a batch did, as the run adds it up. */
export type BatchCounts = RunCounts & { byReason: Partial<Record<QuarantineReason, number>> };

const uuidOf = (text: string): string => {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * Reads and checks a row, placing it through the crosswalk when `place` knows its facility (`place`
 * answers null: not yet known, and so does this). The same reading for an import and its dry run.
 */
export function readPlacedRow(
  row: SourceRow, crosswalk: Crosswalk, place: (code: string, facts: ReleaseRowFacts) => LodgingPlace | Quarantined | null, sha256: string, file: string,
): ReadRow | null {
  const facts = readReleaseRow(row.raw);
  if (isQuarantined(facts)) return { ...row, quarantine: facts };
  const entry = crosswalk.entries.get(facts.facilityCode);
  if (!entry) return { ...row, facts, quarantine: { reason: 'unmapped_facility', detail: `detention_facility_code ${facts.facilityCode} is not in the crosswalk` } };
  const where = place(facts.facilityCode, facts);
  if (where === null) return null;
  if ('reason' in where) return { ...row, facts, quarantine: where };
  const invalid = checkPlacedRow(facts, where.timeZone);
  if (invalid) return { ...row, facts, quarantine: invalid };
  const rowKey = releaseRowKey(facts);
  const record: ImportedRecord = {
    detainerId: uuidOf(`ice-release:detainer:${rowKey}`), subjectId: uuidOf(`ice-release:subject:${facts.uniqueId}`), place: where, facts, sha256, file,
  };
  // what the row says, not which file said it: the same row in another file is unchanged
  const factsHash = createHash('sha256').update(JSON.stringify({ facts, place: where })).digest('hex');
  return { ...row, record, factsHash };
}
