import { ApiProperty } from '@nestjs/swagger';
import { QUARANTINE_REASONS, QuarantineReason } from '@app/domain';
import { ImportRunRecord, QuarantineRow } from '@app/persistence';
import { PageOf } from '../common/responses';

const BY_REASON = {
  type: 'object',
  additionalProperties: { type: 'integer' },
  description: `Rows quarantined, by reason (${QUARANTINE_REASONS.join(', ')}); reasons with none are absent`,
  example: { unmapped_facility: 12, bad_date: 3 },
} as const;

/** One run of `npm run import -- ice-release`. */
export class ImportRunResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['ice_release'] }) kind!: 'ice_release';
  @ApiProperty({ example: 'ice-detainers-2017.csv', description: 'The file name as given to the command (no directory)' }) fileName!: string;
  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', description: 'SHA-256 of the file\'s bytes' }) sha256!: string;
  @ApiProperty({ description: 'SHA-256 of the crosswalk the run placed facilities with' }) crosswalkSha256!: string;
  @ApiProperty({ enum: ['running', 'completed'], description: 'running: in progress, or killed (the next run of the same file and crosswalk resumes it)' }) status!: 'running' | 'completed';
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: 'integer', description: 'Rows read so far (the checkpoint a resumed run continues after)' }) rowsRead!: number;
  @ApiProperty({ type: 'integer', description: 'Rows written as new imported detainers' }) imported!: number;
  @ApiProperty({ type: 'integer', description: 'Rows that corrected a record imported before (a new event; the weeks it changes are re-rolled)' }) corrected!: number;
  @ApiProperty({ type: 'integer', description: 'Rows already on file as they are: nothing written' }) unchanged!: number;
  @ApiProperty({ type: 'integer', description: 'Rows not imported (see the quarantine)' }) quarantined!: number;
  @ApiProperty(BY_REASON) quarantinedByReason!: Partial<Record<QuarantineReason, number>>;
  @ApiProperty({ type: 'integer', description: 'Imported declines with no lift date: in no week, counted in Section IV' }) undatedDeclines!: number;
  @ApiProperty({ type: 'integer', description: 'Other imported lifts (custody to ICE, releases) with no lift date: the request stays issued' }) undatedLifts!: number;
}

export class ImportRunPage extends PageOf(ImportRunResponse) {}

export class QuarantineRowResponse {
  @ApiProperty({ type: 'integer', description: 'The row\'s number in the file (1: the first row after the header)' }) rowNumber!: number;
  @ApiProperty({ enum: QUARANTINE_REASONS }) reason!: QuarantineReason;
  @ApiProperty({ example: 'detention_facility_code BRNSDJL is not in the crosswalk' }) detail!: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'BRNSDJL' }) facilityCode!: string | null;
  @ApiProperty({ type: 'string', format: 'date', nullable: true, description: 'The prepare date, when it could be read' }) preparedOn!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The row as read, by normalised column name' }) row!: Record<string, unknown>;
}

export class QuarantinePage extends PageOf(QuarantineRowResponse) {
  @ApiProperty({ type: ImportRunResponse }) run!: ImportRunResponse;
}

export function presentRun(r: ImportRunRecord): ImportRunResponse {
  return {
    id: r.id, kind: r.kind, fileName: r.fileName, sha256: r.sha256, crosswalkSha256: r.crosswalkSha256, status: r.status,
    startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null, rowsRead: r.rowsRead, imported: r.imported,
    corrected: r.corrected, unchanged: r.unchanged, quarantined: r.quarantined, quarantinedByReason: { ...r.quarantinedByReason },
    undatedDeclines: r.undatedDeclines, undatedLifts: r.undatedLifts,
  };
}

export function presentQuarantineRow(q: QuarantineRow): QuarantineRowResponse {
  return { rowNumber: q.rowNumber, reason: q.reason, detail: q.detail, facilityCode: q.facilityCode, preparedOn: q.preparedOn, row: q.row };
}
