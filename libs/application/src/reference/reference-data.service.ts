import { Injectable } from '@nestjs/common';
import { DomainError, isValidTimeZone, jurisdictionCode, validateOri } from '@app/domain';
import {
  AgencyRecord, AreaRecord, CertificationKind, CertificationRecord, Database, FacilityOwner, FacilityRecord, JurisdictionKind, JurisdictionRecord, Page, PolicyKind, PolicyRecord,
  Program287g, ReferenceRepository, ReportWeeksRepository,
} from '@app/persistence';
import { Clock } from '../clock';

export interface NewJurisdiction {
  name: string;
  kind: JurisdictionKind;
  state: string;
  fips?: string;
  placeCode?: string;
  ori?: string;
}

export interface NewPolicy {
  kind: PolicyKind;
  citation: string;
  summary: string;
  limitsHold: boolean;
  limitsNotification: boolean;
  limitsAccess: boolean;
  effectiveFrom: string;
  effectiveTo?: string;
}

export interface NewCertification {
  kind: CertificationKind;
  certifiedOn: string;
  expiresOn?: string;
  source: string;
}

export interface PolicyPatch {
  /** null: in force again with no end. */
  effectiveTo?: string | null;
  citation?: string;
  summary?: string;
}

export interface AgencyPatch {
  ori?: string;
  name?: string;
  program287g?: Program287g;
  /** null: no first day (the programme is none, or its date unknown). */
  program287gSince?: string | null;
  program287gUntil?: string | null;
}

export interface FacilityPatch {
  name?: string;
  timeZone?: string;
  areaId?: string;
}

type PageRequest = { limit: number; cursor?: string };

/** Reference data: identified by canonical codes (FIPS, ORI, AOR code), never by name. */
@Injectable()
export class ReferenceDataService {
  constructor(
    private readonly db: Database,
    private readonly refs: ReferenceRepository,
    private readonly reports: ReportWeeksRepository,
    private readonly clock: Clock,
  ) {}

  createArea(input: { code: string; name: string }): Promise<AreaRecord> {
    return this.db.transaction((sql) => this.refs.insertArea(sql, { code: input.code.toUpperCase(), name: input.name }));
  }
  listAreas(page: PageRequest): Promise<Page<AreaRecord>> {
    return this.db.read((sql) => this.refs.listAreas(sql, page));
  }
  async getArea(id: string): Promise<AreaRecord> {
    return found(await this.db.read((sql) => this.refs.findArea(sql, id)), 'area');
  }

  /** Only the name: the code is what users, facilities and records are attributed by. */
  async renameArea(id: string, name: string): Promise<AreaRecord> {
    return found(await this.db.transaction((sql) => this.refs.updateArea(sql, id, name)), 'area');
  }

  createJurisdiction(input: NewJurisdiction): Promise<JurisdictionRecord> {
    const state = input.state.toUpperCase();
    const ori = input.ori?.toUpperCase();
    if (ori) {
      const problem = validateOri(ori, state);
      if (problem) throw DomainError.invalidInput('ori', problem);
    }
    const code = jurisdictionCode({ kind: input.kind, state, fips: input.fips, placeCode: input.placeCode, ori });
    if ('error' in code) throw DomainError.invalidInput(code.error.field, code.error.message);
    return this.db.transaction((sql) =>
      this.refs.insertJurisdiction(sql, {
        code: code.code, name: input.name, kind: input.kind, state, fips: input.fips ?? null, placeCode: input.placeCode ?? null, ori: ori ?? null,
      }),
    );
  }
  listJurisdictions(filter: { state?: string; kind?: JurisdictionKind }, page: PageRequest): Promise<Page<JurisdictionRecord>> {
    return this.db.read((sql) => this.refs.listJurisdictions(sql, { ...filter, state: filter.state?.toUpperCase() }, page));
  }
  async getJurisdiction(id: string): Promise<JurisdictionRecord> {
    return found(await this.db.read((sql) => this.refs.findJurisdiction(sql, id)), 'jurisdiction');
  }
  /** Only the display name may change: the canonical code is what records are attributed by. */
  async renameJurisdiction(id: string, name: string): Promise<JurisdictionRecord> {
    return found(await this.db.transaction((sql) => this.refs.updateJurisdictionName(sql, id, name, this.clock.now())), 'jurisdiction');
  }

  /** A policy recorded late (in force in weeks already published) gives those weeks a corrected version. */
  async createPolicy(jurisdictionId: string, input: NewPolicy): Promise<PolicyRecord> {
    if (input.effectiveTo && input.effectiveTo < input.effectiveFrom) {
      throw DomainError.invalidInput('effectiveTo', 'effectiveTo must be on or after effectiveFrom.');
    }
    return this.db.transaction(async (sql) => {
      found(await this.refs.findJurisdiction(sql, jurisdictionId), 'jurisdiction');
      const policy = await this.refs.insertPolicy(sql, { ...input, jurisdictionId, effectiveTo: input.effectiveTo ?? null });
      await this.reports.markPublishedWeeksOverlapping(sql, input.effectiveFrom, input.effectiveTo ?? null, this.clock.now());
      return policy;
    });
  }
  /**
   * Corrects (citation, summary, end date) or ends a policy. The published weeks it touches are marked
   * for re-roll, so their next roll-up publishes a new version: the whole span when the wording changed
   * (Section III prints it), else only the days between the old and the new end.
   */
  async updatePolicy(id: string, patch: PolicyPatch): Promise<{ policy: PolicyRecord; weeksReRolled: string[] }> {
    return this.db.transaction(async (sql) => {
      const before = found(await this.refs.findPolicy(sql, id, { forUpdate: true }), 'policy');
      const after = {
        effectiveTo: patch.effectiveTo === undefined ? before.effectiveTo : patch.effectiveTo,
        citation: patch.citation ?? before.citation,
        summary: patch.summary ?? before.summary,
      };
      if (after.effectiveTo !== null && after.effectiveTo < before.effectiveFrom) {
        throw DomainError.invalidInput('effectiveTo', `effectiveTo must be on or after the policy's effectiveFrom (${before.effectiveFrom}).`);
      }
      const policy = await this.refs.updatePolicy(sql, id, after);
      const span = touchedSpan(before, policy);
      const weeksReRolled = span ? await this.reports.markPublishedWeeksOverlapping(sql, span.from, span.to, this.clock.now()) : [];
      return { policy, weeksReRolled };
    });
  }
  async listPolicies(jurisdictionId: string): Promise<PolicyRecord[]> {
    return this.db.read(async (sql) => {
      found(await this.refs.findJurisdiction(sql, jurisdictionId), 'jurisdiction');
      return this.refs.listPolicies(sql, jurisdictionId);
    });
  }

  /** A Public Safety Partnership certification the jurisdiction made (kind, dates, where it was read). */
  async createCertification(jurisdictionId: string, input: NewCertification, createdBy: string | null): Promise<CertificationRecord> {
    if (input.expiresOn && input.expiresOn < input.certifiedOn) throw DomainError.invalidInput('expiresOn', 'expiresOn must be on or after certifiedOn.');
    return this.db.transaction(async (sql) => {
      found(await this.refs.findJurisdiction(sql, jurisdictionId), 'jurisdiction');
      return this.refs.insertCertification(sql, { jurisdictionId, kind: input.kind, certifiedOn: input.certifiedOn, expiresOn: input.expiresOn ?? null, source: input.source, createdBy });
    });
  }
  async listCertifications(jurisdictionId: string): Promise<CertificationRecord[]> {
    return this.db.read(async (sql) => {
      found(await this.refs.findJurisdiction(sql, jurisdictionId), 'jurisdiction');
      return this.refs.listCertifications(sql, jurisdictionId);
    });
  }

  createAgency(input: { ori: string; name: string; jurisdictionId: string; program287g?: Program287g; program287gSince?: string; program287gUntil?: string }): Promise<AgencyRecord> {
    const ori = input.ori.toUpperCase();
    const program = input.program287g ?? 'none';
    checkProgram287g(program, input.program287gSince ?? null, input.program287gUntil ?? null);
    return this.db.transaction(async (sql) => {
      const jurisdiction = await this.refs.findJurisdiction(sql, input.jurisdictionId);
      if (!jurisdiction) throw DomainError.invalidInput('jurisdictionId', 'No jurisdiction has this id.');
      const problem = validateOri(ori, jurisdiction.state);
      if (problem) throw DomainError.invalidInput('ori', problem);
      return this.refs.insertAgency(sql, {
        ori, name: input.name, jurisdictionId: jurisdiction.id, program287g: program, program287gSince: input.program287gSince ?? null, program287gUntil: input.program287gUntil ?? null,
      });
    });
  }
  /**
   * Corrects an agency: name, ORI (still of its jurisdiction's state) and 287(g) programme. Its
   * jurisdiction never changes (the report counts by it). Published reports are frozen; a programme
   * change marks the published weeks of the old and new agreement for a new version (Section III
   * shows 287(g) participants), as a policy change does.
   */
  async updateAgency(id: string, patch: AgencyPatch): Promise<{ agency: AgencyRecord; weeksReRolled: string[] }> {
    return this.db.transaction(async (sql) => {
      const before = found(await this.refs.findAgencyForUpdate(sql, id), 'agency');
      const after = {
        ori: patch.ori?.toUpperCase() ?? before.ori,
        name: patch.name ?? before.name,
        program287g: patch.program287g ?? before.program287g,
        program287gSince: patch.program287gSince === undefined ? before.program287gSince : patch.program287gSince,
        program287gUntil: patch.program287gUntil === undefined ? before.program287gUntil : patch.program287gUntil,
      };
      checkProgram287g(after.program287g, after.program287gSince, after.program287gUntil);
      if (after.ori !== before.ori) {
        const jurisdiction = (await this.refs.findJurisdiction(sql, before.jurisdictionId))!;
        const problem = validateOri(after.ori, jurisdiction.state);
        if (problem) throw DomainError.invalidInput('ori', problem);
      }
      const agency = await this.refs.updateAgency(sql, id, after);
      const span = programSpan(before, agency);
      const weeksReRolled = span ? await this.reports.markPublishedWeeksOverlapping(sql, span.from, span.to, this.clock.now()) : [];
      return { agency, weeksReRolled };
    });
  }
  listAgencies(filter: { jurisdictionId?: string }, page: PageRequest): Promise<Page<AgencyRecord>> {
    return this.db.read((sql) => this.refs.listAgencies(sql, filter, page));
  }
  async getAgency(id: string): Promise<AgencyRecord> {
    return found(await this.db.read((sql) => this.refs.findAgency(sql, id)), 'agency');
  }

  createFacility(input: { agencyId: string; name: string; timeZone: string; areaId: string }): Promise<FacilityRecord> {
    if (!isValidTimeZone(input.timeZone)) throw DomainError.invalidInput('timeZone', 'timeZone must be an IANA zone such as America/Chicago.');
    return this.db.transaction(async (sql) => {
      if (!(await this.refs.findAgency(sql, input.agencyId))) throw DomainError.invalidInput('agencyId', 'No agency has this id.');
      if (!(await this.refs.findArea(sql, input.areaId))) throw DomainError.invalidInput('areaId', 'No area has this id.');
      return this.refs.insertFacility(sql, input);
    });
  }
  /**
   * Renames a facility; its zone and AOR change only while nothing was ever lodged there: each lodging
   * keeps the AOR and zone it was made under, but the traces of published counts show local dates in
   * the facility's zone, and an AOR's officers would lose or gain the facility's past. A facility that
   * really moved is a new facility. Its agency never changes.
   */
  async updateFacility(id: string, patch: FacilityPatch): Promise<FacilityRecord & Partial<FacilityOwner>> {
    if (patch.timeZone !== undefined && !isValidTimeZone(patch.timeZone)) throw DomainError.invalidInput('timeZone', 'timeZone must be an IANA zone such as America/Chicago.');
    return this.db.transaction(async (sql) => {
      const before = found(await this.refs.findFacilityForUpdate(sql, id), 'facility');
      const after = { name: patch.name ?? before.name, timeZone: patch.timeZone ?? before.timeZone, areaId: patch.areaId ?? before.areaId };
      if (after.areaId !== before.areaId && !(await this.refs.findArea(sql, after.areaId))) throw DomainError.invalidInput('areaId', 'No area has this id.');
      const moved = (['timeZone', 'areaId'] as const).filter((k) => after[k] !== before[k]);
      if (moved.length && (await this.refs.facilityHasLodgings(sql, id))) {
        throw new DomainError('conflict', 'Detainers were lodged with this facility: its time zone and area stay as they were, so that past records and published weeks keep their dates and AOR. Create a new facility instead.', moved.map((field) => ({
          field, message: 'cannot change once detainers were lodged here',
        })));
      }
      const facility = await this.refs.updateFacility(sql, id, after);
      return { ...facility, ...(await this.refs.facilityOwners(sql, [facility.agencyId])).get(facility.agencyId) };
    });
  }
  /** Facilities with their agency and state, so that pickers never show a bare name (two "Franklin County Jail"s). */
  listFacilities(filter: { agencyId?: string; areaId?: string }, page: PageRequest): Promise<Page<FacilityRecord & Partial<FacilityOwner>>> {
    return this.db.read(async (sql) => {
      const listed = await this.refs.listFacilities(sql, filter, page);
      const owners = await this.refs.facilityOwners(sql, listed.items.map((f) => f.agencyId));
      return { ...listed, items: listed.items.map((f) => ({ ...f, ...owners.get(f.agencyId) })) };
    });
  }
  async getFacility(id: string): Promise<FacilityRecord & Partial<FacilityOwner>> {
    return this.db.read(async (sql) => {
      const f = found(await this.refs.findFacility(sql, id), 'facility');
      return { ...f, ...(await this.refs.facilityOwners(sql, [f.agencyId])).get(f.agencyId) };
    });
  }
}

/** The days whose Section III a change to a policy alters (`to` null: no end), or null when nothing changed. */
function touchedSpan(before: PolicyRecord, after: PolicyRecord): { from: string; to: string | null } | null {
  const latest = (a: string | null, b: string | null) => (a === null || b === null ? null : a > b ? a : b);
  if (before.citation !== after.citation || before.summary !== after.summary) {
    return { from: before.effectiveFrom, to: latest(before.effectiveTo, after.effectiveTo) };
  }
  if (before.effectiveTo === after.effectiveTo) return null;
  const earliest = before.effectiveTo === null ? after.effectiveTo! : after.effectiveTo === null ? before.effectiveTo : before.effectiveTo < after.effectiveTo ? before.effectiveTo : after.effectiveTo;
  return { from: earliest, to: latest(before.effectiveTo, after.effectiveTo) };
}

function checkProgram287g(program: Program287g, since: string | null, until: string | null): void {
  if (program === 'none' && (since || until)) {
    throw DomainError.invalidInput(since ? 'program287gSince' : 'program287gUntil', 'Dates belong to a 287(g) agreement: choose its model, or leave the dates empty.');
  }
  if (until && !since) throw DomainError.invalidInput('program287gSince', 'An agreement that ended has a first day too.');
  if (until && since && until < since) throw DomainError.invalidInput('program287gUntil', 'program287gUntil must be on or after program287gSince.');
}

/** The days a change of an agency's 287(g) programme touches (`to` null: open-ended), or null when it did not change. */
export function programSpan(before: AgencyRecord, after: AgencyRecord): { from: string; to: string | null } | null {
  if (before.program287g === after.program287g && before.program287gSince === after.program287gSince && before.program287gUntil === after.program287gUntil) return null;
  const starts = [before, after].filter((a) => a.program287g !== 'none').map((a) => a.program287gSince);
  // a programme without a first day is known only as "in force": every published week
  const from = starts.length === 0 || starts.includes(null) ? '0001-01-01' : starts.sort()[0]!;
  const ends = [before, after].filter((a) => a.program287g !== 'none').map((a) => a.program287gUntil);
  const to = ends.length === 0 || ends.includes(null) ? null : ends.sort().reverse()[0]!;
  return { from, to };
}

function found<T>(value: T | null, what: string): T {
  if (value === null) throw new DomainError('not_found', `No ${what} with this id.`);
  return value;
}
