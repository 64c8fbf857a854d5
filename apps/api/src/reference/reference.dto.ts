import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { CertificationKind, JurisdictionKind, PolicyKind, Program287g } from '@app/persistence';
import { PageQuery } from '../common/paging.dto';
import { IsCalendarDate } from '../common/validators';

export const JURISDICTION_KINDS: JurisdictionKind[] = ['county', 'city', 'state', 'tribal'];
export const PROGRAMS: Program287g[] = ['none', 'jail_enforcement', 'task_force', 'warrant_service'];
export const POLICY_KINDS: PolicyKind[] = ['ordinance', 'statute', 'sheriff_policy', 'court_order', 'executive_order', 'psp_certification', 'other'];

export class CreateAreaDto {
  @ApiProperty({ example: 'SEA' }) @Matches(/^[A-Za-z]{3}$/, { message: 'code is three letters, e.g. SEA' })
  code!: string;
  @ApiProperty({ example: 'Seattle' }) @IsString() @IsNotEmpty() @MaxLength(100)
  name!: string;
}

export class CreateJurisdictionDto {
  @ApiProperty({ example: 'Clark County' }) @IsString() @IsNotEmpty() @MaxLength(200)
  name!: string;
  @ApiProperty({ enum: JURISDICTION_KINDS }) @IsIn(JURISDICTION_KINDS)
  kind!: JurisdictionKind;
  @ApiProperty({ example: 'NV' }) @Matches(/^[A-Za-z]{2}$/, { message: 'state is a two-letter USPS code' })
  state!: string;
  @ApiPropertyOptional({ example: '32003', description: 'County FIPS (5 digits, starting with the state FIPS); required for counties' })
  @IsOptional() @Matches(/^\d{5}$/, { message: 'fips is 5 digits' })
  fips?: string;
  @ApiPropertyOptional({ example: '3240000', description: 'Census place code (7 digits) for cities' })
  @IsOptional() @Matches(/^\d{7}$/, { message: 'placeCode is 7 digits' })
  placeCode?: string;
  @ApiPropertyOptional({ example: 'NV0020100' }) @IsOptional() @Matches(/^[A-Za-z0-9]{9}$/, { message: 'ori is 9 letters and digits' })
  ori?: string;
}

export class RenameJurisdictionDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200)
  name!: string;
}

export class ListJurisdictionsQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Za-z]{2}$/) state?: string;
  @ApiPropertyOptional({ enum: JURISDICTION_KINDS }) @IsOptional() @IsIn(JURISDICTION_KINDS) kind?: JurisdictionKind;
}

export class CreatePolicyDto {
  @ApiProperty({ enum: POLICY_KINDS }) @IsIn(POLICY_KINDS) kind!: PolicyKind;
  @ApiProperty({ example: 'Travis County Sheriff\'s Office Policy 2017-01' }) @IsString() @IsNotEmpty() @MaxLength(500) citation!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) summary!: string;
  @ApiProperty() @IsBoolean() limitsHold!: boolean;
  @ApiProperty() @IsBoolean() limitsNotification!: boolean;
  @ApiProperty() @IsBoolean() limitsAccess!: boolean;
  @ApiProperty({ example: '2017-02-01' }) @IsCalendarDate() effectiveFrom!: string;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() effectiveTo?: string;
}

export const CERTIFICATION_KINDS: CertificationKind[] = ['facility_access', 'release_notice_48h', 'hold_48h'];

export class CreateCertificationDto {
  @ApiProperty({ enum: CERTIFICATION_KINDS, description: 'facility_access: federal officers may enter its facilities; release_notice_48h: 48 hours\' notice of release; hold_48h: holds up to 48 hours' })
  @IsIn(CERTIFICATION_KINDS) kind!: CertificationKind;
  @ApiProperty({ example: '2026-10-01' }) @IsCalendarDate() certifiedOn!: string;
  @ApiPropertyOptional({ example: '2027-09-30' }) @IsOptional() @IsCalendarDate() expiresOn?: string;
  @ApiProperty({ example: 'Sheriff\'s letter to the field office, 1 October 2026' }) @IsString() @IsNotEmpty() @MaxLength(1000) source!: string;
}

export class UpdatePolicyDto {
  @ApiPropertyOptional({ type: 'string', format: 'date', nullable: true, example: '2026-11-30', description: 'The last day in force; null: no end' })
  @IsOptional() @IsCalendarDate() effectiveTo?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(500) citation?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(4000) summary?: string;
}

export class CreateAgencyDto {
  @ApiProperty({ example: 'NV0020000' }) @Matches(/^[A-Za-z0-9]{9}$/, { message: 'ori is 9 letters and digits, the first two the state' }) ori!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty() @IsUUID() jurisdictionId!: string;
  @ApiPropertyOptional({ enum: PROGRAMS, default: 'none' }) @IsOptional() @IsIn(PROGRAMS) program287g?: Program287g;
  @ApiPropertyOptional({ format: 'date', example: '2017-02-15', description: "The 287(g) agreement's first day in force" }) @IsOptional() @IsCalendarDate() program287gSince?: string;
  @ApiPropertyOptional({ format: 'date', description: 'Its last day, once it ended' }) @IsOptional() @IsCalendarDate() program287gUntil?: string;
}

export class ListAgenciesQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() jurisdictionId?: string;
}

export class CreateFacilityDto {
  @ApiProperty() @IsUUID() agencyId!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty({ example: 'America/Los_Angeles' }) @IsString() @MaxLength(64) timeZone!: string;
  @ApiProperty() @IsUUID() areaId!: string;
}

export class ListFacilitiesQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() agencyId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() areaId?: string;
}

export class UpdateAreaDto {
  @ApiProperty({ example: 'Seattle', description: 'The code never changes: users, facilities and records are attributed by it' }) @IsString() @IsNotEmpty() @MaxLength(100)
  name!: string;
}

export class UpdateAgencyDto {
  @ApiPropertyOptional({ example: 'NV0020000' }) @IsOptional() @Matches(/^[A-Za-z0-9]{9}$/, { message: 'ori is 9 letters and digits, the first two the state' }) ori?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ enum: PROGRAMS }) @IsOptional() @IsIn(PROGRAMS) program287g?: Program287g;
  @ApiPropertyOptional({ type: 'string', format: 'date', nullable: true, description: "The 287(g) agreement's first day in force; null: none" })
  @IsOptional() @IsCalendarDate() program287gSince?: string | null;
  @ApiPropertyOptional({ type: 'string', format: 'date', nullable: true, description: 'Its last day; null: still in force' })
  @IsOptional() @IsCalendarDate() program287gUntil?: string | null;
}

export class UpdateFacilityDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ example: 'America/Los_Angeles', description: 'Only while nothing was ever lodged with the facility' }) @IsOptional() @IsString() @MaxLength(64) timeZone?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Only while nothing was ever lodged with the facility' }) @IsOptional() @IsUUID() areaId?: string;
}
