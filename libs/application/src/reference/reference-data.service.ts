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
    return found(await this.db.transaction((sql) => this.refs.updateJurisdictionName(sql, id, name)), 'jurisdiction');
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
    if (program === 'none' && (input.program287gSince || input.program287gUntil)) {
      throw DomainError.invalidInput(input.program287gSince ? 'program287gSince' : 'program287gUntil', 'Dates belong to a 287(g) agreement: choose its model, or leave the dates empty.');
    }
    if (input.program287gUntil && !input.program287gSince) throw DomainError.invalidInput('program287gSince', 'An agreement that ended has a first day too.');
    if (input.program287gUntil && input.program287gSince && input.program287gUntil < input.program287gSince) {
      throw DomainError.invalidInput('program287gUntil', 'program287gUntil must be on or after program287gSince.');
    }
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
export function touchedSpan(before: PolicyRecord, after: PolicyRecord): { from: string; to: string | null } | null {
  const latest = (a: string | null, b: string | null) => (a === null || b === null ? null : a > b ? a : b);
  if (before.citation !== after.citation || before.summary !== after.summary) {
    return { from: before.effectiveFrom, to: latest(before.effectiveTo, after.effectiveTo) };
  }
  if (before.effectiveTo === after.effectiveTo) return null;
  const earliest = before.effectiveTo === null ? after.effectiveTo! : after.effectiveTo === null ? before.effectiveTo : before.effectiveTo < after.effectiveTo ? before.effectiveTo : after.effectiveTo;
  return { from: earliest, to: latest(before.effectiveTo, after.effectiveTo) };
}

function found<T>(value: T | null, what: string): T {
  if (value === null) throw new DomainError('not_found', `No ${what} with this id.`);
  return value;
}
