import { ApiProperty, ApiPropertyOptions, OmitType } from '@nestjs/swagger';
import { PROFILE_DEFINITIONS, PROFILE_KEYS } from '@app/domain';
import { CERTIFICATION_KINDS } from '../reference/reference.dto';
import { PolicyInForceResponse } from './reports.responses';

const DATE = { format: 'date' } as const;

export class ProfileRatio {
  @ApiProperty({ type: 'integer' }) numerator!: number;
  @ApiProperty({ type: 'integer' }) denominator!: number;
  @ApiProperty({ type: 'number', nullable: true, description: 'numerator / denominator; null when the denominator is 0 (no cases, not 0 %)', example: 0.4 }) rate!: number | null;
}

export class DeclinedByKind {
  @ApiProperty({ type: 'integer' }) refused!: number;
  @ApiProperty({ type: 'integer' }) no_notice!: number;
  @ApiProperty({ type: 'integer' }) hold_refused!: number;
}

export class DeclinedRatio extends ProfileRatio {
  @ApiProperty({ type: DeclinedByKind }) byKind!: DeclinedByKind;
}

const ratio = (key: (typeof PROFILE_KEYS)[number]): ApiPropertyOptions => ({ type: ProfileRatio, description: PROFILE_DEFINITIONS[key] });

export class MeasuredFigures {
  @ApiProperty(ratio('acknowledgedWithin24h')) acknowledgedWithin24h!: ProfileRatio;
  @ApiProperty(ratio('notifiedAtLeast48h')) notifiedAtLeast48h!: ProfileRatio;
  @ApiProperty(ratio('holdsHonored')) holdsHonored!: ProfileRatio;
  @ApiProperty(ratio('custodyToIce')) custodyToIce!: ProfileRatio;
  @ApiProperty({ type: DeclinedRatio, description: PROFILE_DEFINITIONS.declined }) declined!: DeclinedRatio;
  @ApiProperty(ratio('missedPickups')) missedPickups!: ProfileRatio;
  @ApiProperty(ratio('misdirected')) misdirected!: ProfileRatio;
  @ApiProperty(ratio('cancelledIssuedInError')) cancelledIssuedInError!: ProfileRatio;
}

export class ProfileDefinitions {
  @ApiProperty() acknowledgedWithin24h!: string;
  @ApiProperty() notifiedAtLeast48h!: string;
  @ApiProperty() holdsHonored!: string;
  @ApiProperty() custodyToIce!: string;
  @ApiProperty() declined!: string;
  @ApiProperty() missedPickups!: string;
  @ApiProperty() misdirected!: string;
  @ApiProperty() cancelledIssuedInError!: string;
}

export class ProfileJurisdiction {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'NV-32003', description: 'Canonical code (never the name)' }) code!: string;
  @ApiProperty({ example: 'Clark County' }) name!: string;
  @ApiProperty({ enum: ['county', 'city', 'state', 'tribal'] }) kind!: string;
  @ApiProperty({ example: 'NV' }) state!: string;
}

export class ProfileWeeks {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 52 }) count!: number;
  @ApiProperty({ ...DATE, description: 'First day of the first week' }) firstWeekStart!: string;
  @ApiProperty({ ...DATE, description: 'Last day of the last week (published: the last closed week; live: the open one)' }) lastWeekEnd!: string;
  @ApiProperty({ example: 'America/New_York' }) timeZone!: string;
  @ApiProperty({ type: 'integer', description: 'Weeks whose figures are counted (published: those with a published version)' }) counted!: number;
  @ApiProperty({ type: [String], description: 'Weeks in the range not counted because no version of them is published yet' }) notPublished!: string[];
}

export class ProfilePolicy extends OmitType(PolicyInForceResponse, ['policyId', 'jurisdictionId'] as const) {
  @ApiProperty({ format: 'uuid' }) id!: string;
}

export class ProfileProgram287g {
  @ApiProperty({ format: 'uuid', description: 'The agency' }) id!: string;
  @ApiProperty({ example: 'NV0020000' }) ori!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['jail_enforcement', 'task_force', 'warrant_service'] }) program287g!: string;
  @ApiProperty({ ...DATE, type: 'string', nullable: true }) since!: string | null;
  @ApiProperty({ ...DATE, type: 'string', nullable: true }) until!: string | null;
  @ApiProperty({ description: 'In force on at least one day of the weeks' }) inForce!: boolean;
}

export class ProfileCertification {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: CERTIFICATION_KINDS }) kind!: string;
  @ApiProperty(DATE) certifiedOn!: string;
  @ApiProperty({ ...DATE, type: 'string', nullable: true }) expiresOn!: string | null;
  @ApiProperty() source!: string;
  @ApiProperty({ enum: ['in_force', 'expired', 'not_yet_in_force'], description: 'On the last day of the weeks: a certification expires when its end date passes' }) status!: string;
  @ApiProperty({ description: 'In force on at least one day of the weeks' }) inForceDuringWeeks!: boolean;
}

export class ProfileDeclared {
  @ApiProperty({ type: [ProfilePolicy], description: 'Policies in force on at least one day of the weeks, with citations and dates' }) policies!: ProfilePolicy[];
  @ApiProperty({ type: [ProfileProgram287g], description: 'Each agency\'s 287(g) agreement with its dates' }) program287g!: ProfileProgram287g[];
  @ApiProperty({ type: [ProfileCertification], description: 'The Public Safety Partnership certifications, with dates and source' }) certifications!: ProfileCertification[];
}

export class ProfileTrendPoint {
  @ApiProperty(DATE) weekStart!: string;
  @ApiProperty({ description: 'Counted (published: a version of the week is published)' }) counted!: boolean;
  @ApiProperty({ type: MeasuredFigures }) measured!: MeasuredFigures;
}

export class ProfileDisputeResponse {
  @ApiProperty({ example: 'c-3f2a9b1c0d4e', description: 'De-identified reference to the record' }) caseRef!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'Only where your scope reaches the record' }) detainerId!: string | null;
  @ApiProperty() agencyOri!: string;
  @ApiProperty({ type: [String], description: 'The measures the record counts in' }) measures!: string[];
  @ApiProperty({ enum: ['open', 'upheld', 'rejected'] }) status!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'Only where its author marked it public' }) reason!: string | null;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) resolvedAt!: string | null;
  @ApiProperty({ type: 'string', nullable: true, enum: ['retract_decline', 'exclude_record', null] }) correction!: string | null;
}

export class JurisdictionProfileResponse {
  @ApiProperty({ type: ProfileJurisdiction }) jurisdiction!: ProfileJurisdiction;
  @ApiProperty({ enum: ['published', 'live'] }) basis!: 'published' | 'live';
  @ApiProperty({ type: ProfileWeeks }) weeks!: ProfileWeeks;
  @ApiProperty({ type: ProfileDeclared }) declared!: ProfileDeclared;
  @ApiProperty({ type: MeasuredFigures, description: 'Over all the weeks counted' }) measured!: MeasuredFigures;
  @ApiProperty({ type: ProfileDefinitions, description: 'What each measure counts, printed with the figures' }) definitions!: ProfileDefinitions;
  @ApiProperty({ type: [String] }) notes!: string[];
  @ApiProperty({ type: [String], description: 'Plain sentences where what was declared and what the records measure disagree' }) disagreements!: string[];
  @ApiProperty({ type: [ProfileTrendPoint], description: 'Week by week, oldest first' }) trend!: ProfileTrendPoint[];
  @ApiProperty({ type: [ProfileDisputeResponse], description: 'Disputes about records counted here, newest first' }) disputes!: ProfileDisputeResponse[];
}
