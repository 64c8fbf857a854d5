import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { AGE_BUCKETS, DECLINE_KINDS, EXCLUSION_REASONS, FIGURE_LABELS, MEASURES, RECORD_CORRECTION_KINDS, SOURCE_KINDS } from '@app/domain';
import { AgencyRef, JurisdictionRef } from '../common/responses';

/** `{ <key>: integer }` for every key: a breakdown of a count. */
function countsOf(keys: readonly string[], description?: string): ApiPropertyOptions {
  return {
    type: 'object',
    properties: Object.fromEntries(keys.map((k) => [k, { type: 'integer' }])),
    required: [...keys],
    selfRequired: true,
    ...(description && { description }),
  };
}

/** A figure, flag or list: any JSON value. */
const ANY_VALUE: ApiPropertyOptions = {
  oneOf: [{ type: 'number' }, { type: 'string' }, { type: 'boolean' }, { type: 'array', items: {} }, { type: 'object', additionalProperties: true }, { type: 'null' }],
  example: 3,
};

const WEEK_DATE = { format: 'date', example: '2017-01-28' } as const;
const INSTANT = { format: 'date-time' } as const;

export class ReportWeekRef {
  @ApiProperty({ ...WEEK_DATE, description: 'First day of the week (local date in timeZone)' }) weekStart!: string;
  @ApiProperty({ ...WEEK_DATE, example: '2017-02-03', description: 'Last day of the week' }) weekEnd!: string;
  @ApiProperty({ example: 'America/New_York' }) timeZone!: string;
  @ApiProperty({ ...INSTANT, description: 'The instant the week starts' }) start!: string;
  @ApiProperty({ ...INSTANT, description: 'The instant the next week starts' }) end!: string;
}

export class PublishedVersionRef {
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty(INSTANT) publishedAt!: string;
  @ApiProperty({ enum: ['supervisor', 'system'], description: 'system: a correction re-published automatically' }) publishedBy!: 'supervisor' | 'system';
}

export class ReportWeekResponse extends ReportWeekRef {
  @ApiProperty({ type: 'integer', nullable: true }) latestVersion!: number | null;
  @ApiProperty({ type: [PublishedVersionRef] }) versions!: PublishedVersionRef[];
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) rolledUpAt!: string | null;
  @ApiProperty({ description: 'A change to the week waits for the next re-roll' }) awaitingReroll!: boolean;
}

export class WeekStartsOn {
  @ApiProperty({ example: 'saturday' }) day!: string;
  @ApiProperty({ type: 'integer', example: 0 }) hour!: number;
  @ApiProperty({ example: 'America/New_York' }) timeZone!: string;
}

export class ReportWeekList {
  @ApiProperty({ type: [ReportWeekResponse] }) items!: ReportWeekResponse[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
  @ApiProperty({ type: ReportWeekRef, description: 'The week open now' }) currentWeek!: ReportWeekRef;
  @ApiProperty({ type: ReportWeekRef, description: 'The week that closed last' }) lastClosedWeek!: ReportWeekRef;
  @ApiProperty({ type: WeekStartsOn }) weekStartsOn!: WeekStartsOn;
}

export class Totals {
  @ApiProperty({ type: 'integer' }) issued!: number;
  @ApiProperty({ type: 'integer' }) declined!: number;
  @ApiProperty(countsOf(DECLINE_KINDS)) declinedByKind!: Record<string, number>;
  @ApiProperty(countsOf(AGE_BUCKETS)) declinedByAge!: Record<string, number>;
  @ApiProperty(countsOf(SOURCE_KINDS)) declinedBySource!: Record<string, number>;
  @ApiProperty({ type: 'integer' }) honored!: number;
  @ApiProperty(countsOf(SOURCE_KINDS)) honoredBySource!: Record<string, number>;
  @ApiProperty({ type: 'integer' }) missedPickups!: number;
  @ApiProperty({ type: 'integer' }) shortNotices!: number;
  @ApiProperty({ type: 'integer' }) excluded!: number;
  @ApiProperty(countsOf(EXCLUSION_REASONS)) excludedByReason!: Record<string, number>;
  @ApiProperty({ type: 'integer' }) declinesRetracted!: number;
  @ApiProperty({ type: 'integer' }) unacknowledged!: number;
  @ApiProperty({ type: 'integer' }) disputed!: number;
}

export class StateTotals extends Totals {
  @ApiProperty({ example: 'TX' }) state!: string;
}

export class ProgramMembership {
  @ApiProperty({ example: 'NV0020000' }) ori!: string;
  @ApiProperty({ enum: ['none', 'jail_enforcement', 'task_force', 'warrant_service'] }) program287g!: string;
}

export class DisputeResolution {
  @ApiProperty({ enum: ['upheld', 'rejected'] }) decision!: 'upheld' | 'rejected';
  @ApiProperty({ type: 'string', nullable: true, description: "The supervisor's note, when they marked it public; null otherwise" }) note!: string | null;
  @ApiProperty({ type: 'string', enum: [...RECORD_CORRECTION_KINDS], nullable: true }) correction!: string | null;
  @ApiProperty(INSTANT) resolvedAt!: string;
}

export class RowDisputeResponse {
  @ApiProperty({ format: 'uuid' }) disputeId!: string;
  @ApiProperty({ format: 'uuid' }) jurisdictionId!: string;
  @ApiProperty() agencyOri!: string;
  @ApiProperty({ description: 'The case it concerns (no identity)' }) caseRef!: string;
  @ApiProperty({ type: [String], description: 'The measures of the row it touches' }) measures!: string[];
  @ApiProperty({ enum: ['open', 'upheld', 'rejected'] }) status!: 'open' | 'upheld' | 'rejected';
  @ApiProperty({ type: 'string', nullable: true, description: "The agency's side of it, when it marked it public; null otherwise" }) reason!: string | null;
  @ApiProperty(INSTANT) openedAt!: string;
  @ApiProperty({ type: DisputeResolution, nullable: true }) resolution!: DisputeResolution | null;
}

export class JurisdictionFiguresResponse extends Totals {
  @ApiProperty({ format: 'uuid' }) jurisdictionId!: string;
  @ApiProperty({ example: 'TX-48453' }) code!: string;
  @ApiProperty({ example: 'Travis County' }) name!: string;
  @ApiProperty({ example: 'TX' }) state!: string;
  @ApiProperty() restrictivePolicy!: boolean;
  @ApiProperty({ type: [ProgramMembership] }) program287g!: ProgramMembership[];
  @ApiProperty() reconciliationFlagged!: boolean;
  @ApiProperty({ type: [RowDisputeResponse] }) disputes!: RowDisputeResponse[];
}

export class ReconciliationConfirmation {
  @ApiProperty(INSTANT) confirmedAt!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'The note, when its author marked it public; null otherwise' }) note!: string | null;
}

export class AgencyReconciliationResponse {
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty() ori!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid' }) jurisdictionId!: string;
  @ApiProperty() program287g!: string;
  @ApiProperty({ type: 'integer' }) issued!: number;
  @ApiProperty({ type: 'integer', description: 'Acknowledged as received by the agency' }) acknowledged!: number;
  @ApiProperty({ type: 'integer' }) unacknowledged!: number;
  @ApiProperty({ description: 'An unacknowledged surplus: blocks publication until a supervisor confirms it' }) flagged!: boolean;
  @ApiProperty({ type: ReconciliationConfirmation, nullable: true }) confirmation!: ReconciliationConfirmation | null;
}

export class PolicyInForceResponse {
  @ApiProperty({ format: 'uuid' }) policyId!: string;
  @ApiProperty({ format: 'uuid' }) jurisdictionId!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() citation!: string;
  @ApiProperty() summary!: string;
  @ApiProperty() limitsHold!: boolean;
  @ApiProperty() limitsNotification!: boolean;
  @ApiProperty() limitsAccess!: boolean;
  @ApiProperty({ format: 'date' }) effectiveFrom!: string;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) effectiveTo!: string | null;
}

export class SectionIRowResponse {
  @ApiProperty({ type: 'integer' }) rank!: number;
  @ApiProperty({ format: 'uuid' }) jurisdictionId!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() state!: string;
  @ApiProperty({ type: 'integer' }) issued!: number;
  @ApiProperty({ description: 'What the number is (issued, not declined)' }) issuedLabel!: string;
  @ApiProperty({ type: 'integer' }) declined!: number;
  @ApiProperty({ type: [String] }) citations!: string[];
  @ApiProperty({ type: [ProgramMembership] }) program287g!: ProgramMembership[];
  @ApiProperty({ type: 'integer' }) disputed!: number;
  @ApiProperty({ type: [RowDisputeResponse] }) disputes!: RowDisputeResponse[];
}

export class MostSeriousCharge {
  @ApiProperty() description!: string;
  @ApiProperty() level!: string;
  @ApiProperty() status!: string;
  @ApiPropertyOptional() ncicCode?: string;
}

export class DeclineCaseResponse {
  @ApiProperty({ description: 'A reference to the case (no identity)' }) caseRef!: string;
  @ApiProperty({ format: 'uuid' }) jurisdictionId!: string;
  @ApiProperty() agencyOri!: string;
  @ApiProperty({ example: 'I-247A' }) form!: string;
  @ApiProperty({ example: 'MX' }) citizenship!: string;
  @ApiProperty({ format: 'date', description: 'Local date at the facility' }) issuedDate!: string;
  @ApiProperty({ format: 'date' }) declinedDate!: string;
  @ApiProperty({ enum: DECLINE_KINDS }) declineKind!: string;
  @ApiProperty({ enum: AGE_BUCKETS }) ageBucket!: string;
  @ApiProperty({ enum: SOURCE_KINDS }) source!: string;
  @ApiProperty({ type: MostSeriousCharge, nullable: true }) mostSeriousCharge!: MostSeriousCharge | null;
  @ApiProperty() disputed!: boolean;
  @ApiProperty({ type: RowDisputeResponse, nullable: true }) dispute!: RowDisputeResponse | null;
}

export class SectionIIJurisdictionResponse {
  @ApiProperty({ format: 'uuid' }) jurisdictionId!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() state!: string;
  @ApiProperty({ type: 'integer' }) declined!: number;
  @ApiProperty(countsOf(DECLINE_KINDS)) declinedByKind!: Record<string, number>;
  @ApiProperty(countsOf(AGE_BUCKETS)) declinedByAge!: Record<string, number>;
  @ApiProperty({ type: 'integer' }) disputed!: number;
  @ApiProperty({ type: [DeclineCaseResponse] }) cases!: DeclineCaseResponse[];
}

export class SectionIIIJurisdictionResponse {
  @ApiProperty({ format: 'uuid' }) jurisdictionId!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() state!: string;
  @ApiProperty({ type: 'integer' }) issued!: number;
  @ApiProperty({ type: 'integer' }) declined!: number;
  @ApiProperty({ type: [ProgramMembership] }) program287g!: ProgramMembership[];
  @ApiProperty({ type: 'integer' }) disputed!: number;
  @ApiProperty({ type: [PolicyInForceResponse] }) policies!: PolicyInForceResponse[];
}

export class DisputesOnRecords {
  @ApiProperty({ type: 'integer' }) open!: number;
  @ApiProperty({ type: 'integer' }) upheld!: number;
  @ApiProperty({ type: 'integer' }) rejected!: number;
}

export class Corrections {
  @ApiProperty({ type: 'integer' }) declinesRetracted!: number;
  @ApiProperty({ type: 'integer' }) excludedByDispute!: number;
}

export class ImportedFileCount {
  @ApiProperty({ example: 'ice-detainers-2017.csv' }) fileName!: string;
  @ApiProperty({ description: 'SHA-256 of the file' }) sha256!: string;
  @ApiProperty({ type: 'integer', description: 'Detainers issued this week (issued or excluded) that this file\'s rows stand for' }) detainers!: number;
}

export class PublicRecordFidelityResponse {
  @ApiProperty({ type: [ImportedFileCount], description: 'How much of the week is imported from the federal release, and from which file' }) importedThisWeek!: ImportedFileCount[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Release rows prepared this week that were quarantined, by reason (not counted in any figure)' })
  quarantinedThisWeek!: Partial<Record<string, number>>;
  @ApiProperty({ type: 'integer', description: 'Release rows quarantined with no readable prepare date (in no week)' }) quarantinedUndated!: number;
  @ApiProperty({ type: 'integer', description: 'Imported declines with no lift date: in no week, counted only here' }) declinesWithoutDate!: number;
}

export class FidelityResponse {
  @ApiProperty({ type: PublicRecordFidelityResponse, nullable: true, description: 'The federal release\'s share of the week; null when none was imported' })
  publicRecord!: PublicRecordFidelityResponse | null;
  @ApiProperty(countsOf(SOURCE_KINDS, 'Declines by who reported them')) declines!: Record<string, number>;
  @ApiProperty(countsOf(SOURCE_KINDS)) honored!: Record<string, number>;
  @ApiProperty({ type: 'integer' }) disputedOpen!: number;
  @ApiProperty({ type: DisputesOnRecords }) disputesOnRecordsThisWeek!: DisputesOnRecords;
  @ApiProperty({ type: Corrections }) corrected!: Corrections;
  @ApiProperty(countsOf(EXCLUSION_REASONS)) excluded!: Record<string, number>;
  @ApiProperty({ type: 'integer' }) unacknowledged!: number;
  @ApiProperty({ type: 'integer' }) reconciliationFlags!: number;
}

export class SectionI {
  @ApiProperty() title!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ type: [SectionIRowResponse] }) rows!: SectionIRowResponse[];
}

export class SectionII {
  @ApiProperty() title!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ type: [SectionIIJurisdictionResponse] }) jurisdictions!: SectionIIJurisdictionResponse[];
}

export class SectionIII {
  @ApiProperty() title!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ type: [SectionIIIJurisdictionResponse] }) jurisdictions!: SectionIIIJurisdictionResponse[];
}

export class SectionIV {
  @ApiProperty() title!: string;
  @ApiProperty({ type: [String] }) countingRules!: readonly string[];
  @ApiProperty({ type: FidelityResponse }) fidelity!: FidelityResponse;
}

export class ReportSections {
  @ApiProperty({ type: SectionI, description: 'Highest volume of detainers ISSUED to jurisdictions with restrictive policies' }) I!: SectionI;
  @ApiProperty({ type: SectionII, description: 'Jurisdictions with recorded declines, case by case (no identity)' }) II!: SectionII;
  @ApiProperty({ type: SectionIII, description: 'Jurisdictions with policies in force during the week, with citations' }) III!: SectionIII;
  @ApiProperty({ type: SectionIV, description: 'Scope and data fidelity, and the counting rules' }) IV!: SectionIV;
}

export class TrendPoint {
  @ApiProperty({ format: 'date' }) weekStart!: string;
  @ApiProperty({ type: 'integer' }) issued!: number;
  @ApiProperty({ type: 'integer' }) declined!: number;
}

export class Publishable {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: [String] }) blockers!: string[];
}

export class ReportLinks {
  @ApiProperty({ example: '/api/v1/reports/weekly/2017-01-28/detainers?version=1&measure={measure}&jurisdictionId={jurisdictionId}' }) drillDown!: string;
  @ApiProperty() csv!: string;
  @ApiProperty() pdf!: string;
  @ApiPropertyOptional({ description: 'Published versions: what changed in this one' }) changes?: string;
  @ApiProperty({ example: '/api/v1/jurisdictions/{jurisdictionId}/profile?weeks=12', description: 'A row\'s jurisdiction: its cooperation as declared and as measured (Sections I and III link to it)' }) jurisdictionProfile!: string;
}

export class WeeklyReportResponse extends ReportWeekRef {
  @ApiProperty({ description: 'How weeks are cut, in words' }) weekDefinition!: string;
  @ApiProperty({ type: 'object', properties: Object.fromEntries(Object.keys(FIGURE_LABELS).map((k) => [k, { type: 'string' }])), required: Object.keys(FIGURE_LABELS), selfRequired: true, description: 'What each figure means' })
  labels!: Record<string, string>;
  @ApiProperty({ type: Totals, description: 'Nationwide' }) totals!: Totals;
  @ApiProperty({ type: [StateTotals] }) states!: StateTotals[];
  @ApiProperty({ type: [JurisdictionFiguresResponse] }) jurisdictions!: JurisdictionFiguresResponse[];
  @ApiProperty({ type: [AgencyReconciliationResponse] }) reconciliation!: AgencyReconciliationResponse[];
  @ApiProperty({ type: ReportSections }) sections!: ReportSections;
  @ApiProperty({ type: [TrendPoint], description: 'Issued and declined over the weeks up to this one' }) trend!: TrendPoint[];
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string', enum: ['live'] }], description: 'The published version, or live' }) version!: number | 'live';
  @ApiProperty({ enum: ['published', 'live'] }) status!: 'published' | 'live';
  @ApiPropertyOptional(INSTANT) publishedAt?: string;
  @ApiPropertyOptional({ enum: ['supervisor', 'system'] }) publishedBy?: 'supervisor' | 'system';
  @ApiPropertyOptional({ description: 'Live: whether the week has closed' }) closed?: boolean;
  @ApiPropertyOptional({ type: Publishable, description: 'Live: whether it can be published, and what blocks it' }) publishable?: Publishable;
  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'Live: the latest published version' }) latestPublishedVersion?: number | null;
}

export class WeeklyReportWithLinks extends WeeklyReportResponse {
  @ApiProperty({ type: ReportLinks }) links!: ReportLinks;
}

export class FigureChangeResponse {
  @ApiProperty({ enum: ['nationwide', 'state', 'jurisdiction', 'agency', 'section_i', 'section_iii'] }) scope!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'State code, jurisdiction code or agency ORI; null nationwide' }) key!: string | null;
  @ApiProperty({ example: 'declinedByKind.refused' }) field!: string;
  @ApiProperty({ ...ANY_VALUE, description: 'The value before' }) from!: unknown;
  @ApiProperty({ ...ANY_VALUE, description: 'The value now' }) to!: unknown;
}

export class ChangeCause {
  @ApiProperty({ example: 'decline_retracted', description: 'The event kind' }) kind!: string;
  @ApiProperty(INSTANT) recordedAt!: string;
  @ApiProperty() source!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) detail!: Record<string, unknown>;
}

export class RecordChangeResponse {
  @ApiProperty() caseRef!: string;
  @ApiProperty({ enum: MEASURES }) measure!: string;
  @ApiProperty() jurisdictionCode!: string;
  @ApiProperty({ enum: ['added', 'removed', 'changed'] }) change!: 'added' | 'removed' | 'changed';
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) before!: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) after!: Record<string, unknown> | null;
  @ApiProperty({ type: [ChangeCause], description: 'The events recorded since the previous version that explain it' }) because!: ChangeCause[];
}

export class ChangeListResponse {
  @ApiProperty({ format: 'date' }) weekStart!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ type: 'integer', nullable: true }) previousVersion!: number | null;
  @ApiProperty(INSTANT) publishedAt!: string;
  @ApiProperty() summary!: string;
  @ApiProperty({ type: [FigureChangeResponse] }) figures!: FigureChangeResponse[];
  @ApiProperty({ type: [RecordChangeResponse] }) records!: RecordChangeResponse[];
}

export class DrillDownItem {
  @ApiProperty({ enum: MEASURES }) measure!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Absent for analysts (de-identified)' }) detainerId?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'Absent for analysts (de-identified)' }) lodgingSeq?: number;
  @ApiProperty({ description: 'The de-identified case reference, as in Section II' }) caseRef!: string;
  @ApiProperty({ format: 'uuid' }) jurisdictionId!: string;
  @ApiProperty() jurisdictionCode!: string;
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty() agencyOri!: string;
  @ApiProperty({ format: 'uuid' }) facilityId!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty({ ...INSTANT, description: 'When it counted (issue, decline recorded, ...)' }) at!: string;
  @ApiProperty({ type: 'string', enum: [...DECLINE_KINDS], nullable: true }) declineKind!: string | null;
  @ApiProperty({ type: 'string', enum: [...AGE_BUCKETS], nullable: true }) ageBucket!: string | null;
  @ApiProperty({ type: 'string', enum: [...EXCLUSION_REASONS], nullable: true }) exclusion!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) source!: string | null;
  @ApiProperty({ type: 'boolean', nullable: true }) acknowledged!: boolean | null;
  @ApiProperty() disputed!: boolean;
  @ApiPropertyOptional({ example: '/api/v1/detainers/5b1d…', description: 'The detainer (scoped like every read); absent for analysts' }) detainer?: string;
}

export class DrillDownPage {
  @ApiProperty({ type: [DrillDownItem] }) items!: DrillDownItem[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}

export class ReconciliationResult {
  @ApiProperty({ type: AgencyReconciliationResponse, nullable: true }) reconciliation!: AgencyReconciliationResponse | null;
  @ApiPropertyOptional({ type: Publishable }) publishable?: Publishable;
}

export class DisputeResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) detainerId!: string;
  @ApiProperty({ type: 'integer', description: 'The lodging disputed' }) lodging!: number;
  @ApiProperty({ type: AgencyRef }) agency!: AgencyRef;
  @ApiProperty({ type: JurisdictionRef }) jurisdiction!: JurisdictionRef;
  @ApiProperty({ description: "The agency's side of it (published with the report only when reasonPublic)" }) reason!: string;
  @ApiProperty({ description: 'The agency let its reason be published with the report' }) reasonPublic!: boolean;
  @ApiProperty({ enum: ['open', 'upheld', 'rejected'] }) status!: 'open' | 'upheld' | 'rejected';
  @ApiProperty(INSTANT) openedAt!: string;
  @ApiPropertyOptional(INSTANT) resolvedAt?: string;
  @ApiPropertyOptional({ description: "The supervisor's note (published with the report only when notePublic)" }) note?: string;
  @ApiPropertyOptional({ description: 'Once decided: the supervisor let the note be published with the report' }) notePublic?: boolean;
  @ApiPropertyOptional({ enum: RECORD_CORRECTION_KINDS }) correction?: string;
}
