import { LodgingPlace } from '@app/domain';
import { decodeCursor, encodeCursor, Page } from '../paging';
import { Params } from '../scope';
import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';

export type JurisdictionKind = 'county' | 'city' | 'state' | 'tribal';
export type Program287g = 'none' | 'jail_enforcement' | 'task_force' | 'warrant_service';
export type PolicyKind = 'ordinance' | 'statute' | 'sheriff_policy' | 'court_order' | 'executive_order' | 'psp_certification' | 'other';

export interface AreaRecord { id: string; code: string; name: string }
export interface JurisdictionRecord {
  id: string; code: string; name: string; kind: JurisdictionKind; state: string;
  fips: string | null; placeCode: string | null; ori: string | null;
}
export interface PolicyRecord {
  id: string; jurisdictionId: string; kind: PolicyKind; citation: string; summary: string;
  limitsHold: boolean; limitsNotification: boolean; limitsAccess: boolean;
  effectiveFrom: string; effectiveTo: string | null;
}
export interface AgencyRecord {
  id: string; ori: string; name: string; jurisdictionId: string; program287g: Program287g;
  /** The 287(g) agreement's first day in force, and its last once it ended. */
  program287gSince: string | null; program287gUntil: string | null;
}
export interface FacilityRecord { id: string; agencyId: string; name: string; timeZone: string; areaId: string }
/** What tells same-named facilities apart in a picker: the agency (name, ORI) and its state. */
export interface FacilityOwner { agencyId: string; agencyName: string; agencyOri: string; state: string }

export type CertificationKind = 'facility_access' | 'release_notice_48h' | 'hold_48h';
export interface CertificationRecord {
  id: string; jurisdictionId: string; kind: CertificationKind; certifiedOn: string; expiresOn: string | null; source: string;
  createdBy: string | null; createdAt: Date;
}

/** Rows of the reference tables, as the driver gives them (dates as 'YYYY-MM-DD'). */
interface AreaRow { id: string; code: string; name: string }
interface JurisdictionRow {
  id: string; code: string; name: string; kind: JurisdictionKind; state: string;
  fips: string | null; place_code: string | null; ori: string | null;
}
interface PolicyRow {
  id: string; jurisdiction_id: string; kind: PolicyKind; citation: string; summary: string;
  limits_hold: boolean; limits_notification: boolean; limits_access: boolean; effective_from: string; effective_to: string | null;
}
interface CertificationRow {
  id: string; jurisdiction_id: string; kind: CertificationKind; certified_on: string; expires_on: string | null; source: string;
  created_by: string | null; created_at: Date;
}
interface AgencyRow {
  id: string; ori: string; name: string; jurisdiction_id: string; program_287g: Program287g;
  program_287g_since: string | null; program_287g_until: string | null;
}
interface FacilityRow { id: string; agency_id: string; name: string; time_zone: string; area_id: string }

const area = new RowMapper<AreaRow, AreaRecord>((r) => ({ id: r.id, code: r.code, name: r.name }));
const jurisdiction = new RowMapper<JurisdictionRow, JurisdictionRecord>((r) => ({
  id: r.id, code: r.code, name: r.name, kind: r.kind, state: r.state,
  fips: r.fips ?? null, placeCode: r.place_code ?? null, ori: r.ori ?? null,
}));
const policy = new RowMapper<PolicyRow, PolicyRecord>((r) => ({
  id: r.id, jurisdictionId: r.jurisdiction_id, kind: r.kind, citation: r.citation,
  summary: r.summary, limitsHold: r.limits_hold, limitsNotification: r.limits_notification,
  limitsAccess: r.limits_access, effectiveFrom: r.effective_from, effectiveTo: r.effective_to ?? null,
}));
const certification = new RowMapper<CertificationRow, CertificationRecord>((r) => ({
  id: r.id, jurisdictionId: r.jurisdiction_id, kind: r.kind, certifiedOn: r.certified_on,
  expiresOn: r.expires_on ?? null, source: r.source, createdBy: r.created_by ?? null, createdAt: r.created_at,
}));
const agency = new RowMapper<AgencyRow, AgencyRecord>((r) => ({
  id: r.id, ori: r.ori, name: r.name, jurisdictionId: r.jurisdiction_id, program287g: r.program_287g,
  program287gSince: r.program_287g_since ?? null, program287gUntil: r.program_287g_until ?? null,
}));
const facility = new RowMapper<FacilityRow, FacilityRecord>((r) => ({
  id: r.id, agencyId: r.agency_id, name: r.name, timeZone: r.time_zone, areaId: r.area_id,
}));
const facilityOwner = new RowMapper<Pick<AgencyRow, 'id' | 'name' | 'ori'> & { state: string }, FacilityOwner>((r) => ({
  agencyId: r.id, agencyName: r.name, agencyOri: r.ori, state: r.state,
}));
const place = new RowMapper<Omit<FacilityRow, 'id' | 'name'> & { facility_id: string; jurisdiction_id: string }, LodgingPlace>((r) => ({
  facilityId: r.facility_id, agencyId: r.agency_id, jurisdictionId: r.jurisdiction_id, areaId: r.area_id, timeZone: r.time_zone,
}));

/** Name-ordered keyset paging shared by the reference lists. */
async function pageBy<R, T extends { id: string }>(
  sql: Sql, table: string, orderKey: (row: T) => string, orderColumn: string,
  where: string[], params: Params, page: { limit: number; cursor?: string }, mapper: RowMapper<R, T>,
): Promise<Page<T>> {
  const conditions = [...where];
  if (page.cursor) {
    const after = decodeCursor(page.cursor, ['k', 'id']);
    conditions.push(`(${orderColumn}, id) > (${params.add(after.k)}, ${params.add(after.id)}::uuid)`);
  }
  const rows = await mapper.all(
    sql,
    `SELECT * FROM ${table} ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY ${orderColumn}, id LIMIT ${params.add(page.limit + 1)}`,
    params.values,
  );
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ k: orderKey(last), id: last.id }) : null };
}

/** Areas, jurisdictions, policies, agencies and facilities: the reference data admins keep. */
export class ReferenceRepository {
  async insertArea(sql: Sql, a: Omit<AreaRecord, 'id'>): Promise<AreaRecord> {
    return (await area.one(sql, 'INSERT INTO areas (code, name) VALUES ($1, $2) RETURNING *', [a.code, a.name]))!;
  }
  async findArea(sql: Sql, id: string): Promise<AreaRecord | null> {
    return area.one(sql, 'SELECT * FROM areas WHERE id = $1', [id]);
  }
  listAreas(sql: Sql, page: { limit: number; cursor?: string }): Promise<Page<AreaRecord>> {
    return pageBy(sql, 'areas', (a) => a.code, 'code', [], new Params(), page, area);
  }

  async insertJurisdiction(sql: Sql, j: Omit<JurisdictionRecord, 'id'>): Promise<JurisdictionRecord> {
    return (await jurisdiction.one(
      sql,
      'INSERT INTO jurisdictions (code, name, kind, state, fips, place_code, ori) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *',
      [j.code, j.name, j.kind, j.state, j.fips, j.placeCode, j.ori],
    ))!;
  }
  async findJurisdiction(sql: Sql, id: string): Promise<JurisdictionRecord | null> {
    return jurisdiction.one(sql, 'SELECT * FROM jurisdictions WHERE id = $1', [id]);
  }
  listJurisdictions(sql: Sql, filter: { state?: string; kind?: JurisdictionKind }, page: { limit: number; cursor?: string }): Promise<Page<JurisdictionRecord>> {
    const params = new Params();
    const where: string[] = [];
    if (filter.state) where.push(`state = ${params.add(filter.state)}`);
    if (filter.kind) where.push(`kind = ${params.add(filter.kind)}`);
    return pageBy(sql, 'jurisdictions', (j) => j.code, 'code', where, params, page, jurisdiction);
  }
  /** `now` is the caller's clock, not the database's, so a test clock applies. */
  async updateJurisdictionName(sql: Sql, id: string, name: string, now: Date): Promise<JurisdictionRecord | null> {
    return jurisdiction.one(sql, 'UPDATE jurisdictions SET name = $2, updated_at = $3 WHERE id = $1 RETURNING *', [id, name, now]);
  }

  async insertPolicy(sql: Sql, p: Omit<PolicyRecord, 'id'>): Promise<PolicyRecord> {
    return (await policy.one(
      sql,
      `INSERT INTO policies (jurisdiction_id, kind, citation, summary, limits_hold, limits_notification, limits_access, effective_from, effective_to)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [p.jurisdictionId, p.kind, p.citation, p.summary, p.limitsHold, p.limitsNotification, p.limitsAccess, p.effectiveFrom, p.effectiveTo],
    ))!;
  }
  async findPolicy(sql: Sql, id: string, opts: { forUpdate?: boolean } = {}): Promise<PolicyRecord | null> {
    return policy.one(sql, `SELECT * FROM policies WHERE id = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  }
  /** Corrects or ends a policy: only its end date, citation and summary may change. */
  async updatePolicy(sql: Sql, id: string, p: Pick<PolicyRecord, 'effectiveTo' | 'citation' | 'summary'>): Promise<PolicyRecord> {
    return (await policy.one(sql, 'UPDATE policies SET effective_to = $2, citation = $3, summary = $4 WHERE id = $1 RETURNING *', [id, p.effectiveTo, p.citation, p.summary]))!;
  }
  async insertCertification(sql: Sql, c: Omit<CertificationRecord, 'id' | 'createdAt'>): Promise<CertificationRecord> {
    return (await certification.one(
      sql,
      `INSERT INTO jurisdiction_certifications (jurisdiction_id, kind, certified_on, expires_on, source, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [c.jurisdictionId, c.kind, c.certifiedOn, c.expiresOn, c.source, c.createdBy],
    ))!;
  }
  async listCertifications(sql: Sql, jurisdictionId: string): Promise<CertificationRecord[]> {
    return certification.all(sql, 'SELECT * FROM jurisdiction_certifications WHERE jurisdiction_id = $1 ORDER BY certified_on, id', [jurisdictionId]);
  }
  async listPolicies(sql: Sql, jurisdictionId: string): Promise<PolicyRecord[]> {
    return policy.all(sql, 'SELECT * FROM policies WHERE jurisdiction_id = $1 ORDER BY effective_from, id', [jurisdictionId]);
  }

  async insertAgency(sql: Sql, a: Omit<AgencyRecord, 'id' | 'program287gSince' | 'program287gUntil'> & Partial<Pick<AgencyRecord, 'program287gSince' | 'program287gUntil'>>): Promise<AgencyRecord> {
    return (await agency.one(
      sql,
      'INSERT INTO agencies (ori, name, jurisdiction_id, program_287g, program_287g_since, program_287g_until) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
      [a.ori, a.name, a.jurisdictionId, a.program287g, a.program287gSince ?? null, a.program287gUntil ?? null],
    ))!;
  }
  /** Every agency of a jurisdiction (a handful), by ORI. */
  async agenciesOfJurisdiction(sql: Sql, jurisdictionId: string): Promise<AgencyRecord[]> {
    return agency.all(sql, 'SELECT * FROM agencies WHERE jurisdiction_id = $1 ORDER BY ori', [jurisdictionId]);
  }
  async findAgency(sql: Sql, id: string): Promise<AgencyRecord | null> {
    return agency.one(sql, 'SELECT * FROM agencies WHERE id = $1', [id]);
  }
  async updateArea(sql: Sql, id: string, name: string): Promise<AreaRecord | null> {
    return area.one(sql, 'UPDATE areas SET name = $2 WHERE id = $1 RETURNING *', [id, name]);
  }
  async findAgencyForUpdate(sql: Sql, id: string): Promise<AgencyRecord | null> {
    return agency.one(sql, 'SELECT * FROM agencies WHERE id = $1 FOR UPDATE', [id]);
  }
  async updateAgency(sql: Sql, id: string, a: Pick<AgencyRecord, 'ori' | 'name' | 'program287g' | 'program287gSince' | 'program287gUntil'>): Promise<AgencyRecord> {
    return (await agency.one(
      sql,
      'UPDATE agencies SET ori = $2, name = $3, program_287g = $4, program_287g_since = $5, program_287g_until = $6 WHERE id = $1 RETURNING *',
      [id, a.ori, a.name, a.program287g, a.program287gSince, a.program287gUntil],
    ))!;
  }
  async facilityOwners(sql: Sql, agencyIds: readonly string[]): Promise<Map<string, FacilityOwner>> {
    const owners = await facilityOwner.all(
      sql,
      'SELECT a.id, a.name, a.ori, j.state FROM agencies a JOIN jurisdictions j ON j.id = a.jurisdiction_id WHERE a.id = ANY($1::uuid[])',
      [[...new Set(agencyIds)]],
    );
    return new Map(owners.map((o) => [o.agencyId, o]));
  }
  listAgencies(sql: Sql, filter: { jurisdictionId?: string }, page: { limit: number; cursor?: string }): Promise<Page<AgencyRecord>> {
    const params = new Params();
    const where = filter.jurisdictionId ? [`jurisdiction_id = ${params.add(filter.jurisdictionId)}`] : [];
    return pageBy(sql, 'agencies', (a) => a.ori, 'ori', where, params, page, agency);
  }

  async insertFacility(sql: Sql, f: Omit<FacilityRecord, 'id'>): Promise<FacilityRecord> {
    return (await facility.one(
      sql,
      'INSERT INTO facilities (agency_id, name, time_zone, area_id) VALUES ($1, $2, $3, $4) RETURNING *',
      [f.agencyId, f.name, f.timeZone, f.areaId],
    ))!;
  }
  async findFacility(sql: Sql, id: string): Promise<FacilityRecord | null> {
    return facility.one(sql, 'SELECT * FROM facilities WHERE id = $1', [id]);
  }
  async findFacilityForUpdate(sql: Sql, id: string): Promise<FacilityRecord | null> {
    return facility.one(sql, 'SELECT * FROM facilities WHERE id = $1 FOR UPDATE', [id]);
  }
  /** Whether anything was ever lodged with the facility (callers need a scope that sees every lodging: an admin's). */
  async facilityHasLodgings(sql: Sql, id: string): Promise<boolean> {
    return (await sql.one<{ used: boolean }>('SELECT EXISTS (SELECT 1 FROM lodgings WHERE facility_id = $1) AS used', [id]))!.used;
  }
  async updateFacility(sql: Sql, id: string, f: Pick<FacilityRecord, 'name' | 'timeZone' | 'areaId'>): Promise<FacilityRecord> {
    return (await facility.one(sql, 'UPDATE facilities SET name = $2, time_zone = $3, area_id = $4 WHERE id = $1 RETURNING *', [id, f.name, f.timeZone, f.areaId]))!;
  }
  listFacilities(sql: Sql, filter: { agencyId?: string; areaId?: string }, page: { limit: number; cursor?: string }): Promise<Page<FacilityRecord>> {
    const params = new Params();
    const where: string[] = [];
    if (filter.agencyId) where.push(`agency_id = ${params.add(filter.agencyId)}`);
    if (filter.areaId) where.push(`area_id = ${params.add(filter.areaId)}`);
    return pageBy(sql, 'facilities', (f) => f.name, 'name', where, params, page, facility);
  }

  /** A facility with the agency, jurisdiction and AOR it belongs to: where a lodging is. */
  async findPlace(sql: Sql, facilityId: string): Promise<LodgingPlace | null> {
    return place.one(
      sql,
      `SELECT f.id AS facility_id, f.agency_id, a.jurisdiction_id, f.area_id, f.time_zone
       FROM facilities f JOIN agencies a ON a.id = f.agency_id WHERE f.id = $1`,
      [facilityId],
    );
  }
}
