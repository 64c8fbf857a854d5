import { LodgingPlace } from '@app/domain';
import { decodeCursor, encodeCursor, Page } from '../paging';
import { Params } from '../scope';
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

type Row = Record<string, unknown>;

const area = (r: Row): AreaRecord => ({ id: r.id as string, code: r.code as string, name: r.name as string });
const jurisdiction = (r: Row): JurisdictionRecord => ({
  id: r.id as string, code: r.code as string, name: r.name as string, kind: r.kind as JurisdictionKind, state: r.state as string,
  fips: (r.fips as string | null) ?? null, placeCode: (r.place_code as string | null) ?? null, ori: (r.ori as string | null) ?? null,
});
const policy = (r: Row): PolicyRecord => ({
  id: r.id as string, jurisdictionId: r.jurisdiction_id as string, kind: r.kind as PolicyKind, citation: r.citation as string,
  summary: r.summary as string, limitsHold: r.limits_hold as boolean, limitsNotification: r.limits_notification as boolean,
  limitsAccess: r.limits_access as boolean, effectiveFrom: r.effective_from as string, effectiveTo: (r.effective_to as string | null) ?? null,
});
export type CertificationKind = 'facility_access' | 'release_notice_48h' | 'hold_48h';
export interface CertificationRecord {
  id: string; jurisdictionId: string; kind: CertificationKind; certifiedOn: string; expiresOn: string | null; source: string;
  createdBy: string | null; createdAt: Date;
}
const certification = (r: Row): CertificationRecord => ({
  id: r.id as string, jurisdictionId: r.jurisdiction_id as string, kind: r.kind as CertificationKind, certifiedOn: r.certified_on as string,
  expiresOn: (r.expires_on as string | null) ?? null, source: r.source as string, createdBy: (r.created_by as string | null) ?? null, createdAt: r.created_at as Date,
});
const agency = (r: Row): AgencyRecord => ({
  id: r.id as string, ori: r.ori as string, name: r.name as string, jurisdictionId: r.jurisdiction_id as string, program287g: r.program_287g as Program287g,
  program287gSince: (r.program_287g_since as string | null) ?? null, program287gUntil: (r.program_287g_until as string | null) ?? null,
});
const facility = (r: Row): FacilityRecord => ({
  id: r.id as string, agencyId: r.agency_id as string, name: r.name as string, timeZone: r.time_zone as string, areaId: r.area_id as string,
});

/** Name-ordered keyset paging shared by the reference lists. */
async function pageBy<T extends { id: string }>(
  sql: Sql, table: string, orderKey: (row: T) => string, orderColumn: string,
  where: string[], params: Params, page: { limit: number; cursor?: string }, map: (r: Row) => T,
): Promise<Page<T>> {
  const conditions = [...where];
  if (page.cursor) {
    const after = decodeCursor(page.cursor, ['k', 'id']);
    conditions.push(`(${orderColumn}, id) > (${params.add(after.k)}, ${params.add(after.id)}::uuid)`);
  }
  const rows = await sql.query<Row>(
    `SELECT * FROM ${table} ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY ${orderColumn}, id LIMIT ${params.add(page.limit + 1)}`,
    params.values,
  );
  const items = rows.slice(0, page.limit).map(map);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor({ k: orderKey(last), id: last.id }) : null };
}

/** Areas, jurisdictions, policies, agencies and facilities: the reference data admins keep. */
export class ReferenceRepository {
  async insertArea(sql: Sql, a: Omit<AreaRecord, 'id'>): Promise<AreaRecord> {
    return area((await sql.one<Row>('INSERT INTO areas (code, name) VALUES ($1, $2) RETURNING *', [a.code, a.name]))!);
  }
  async findArea(sql: Sql, id: string): Promise<AreaRecord | null> {
    const r = await sql.one<Row>('SELECT * FROM areas WHERE id = $1', [id]);
    return r ? area(r) : null;
  }
  listAreas(sql: Sql, page: { limit: number; cursor?: string }): Promise<Page<AreaRecord>> {
    return pageBy(sql, 'areas', (a) => a.code, 'code', [], new Params(), page, area);
  }

  async insertJurisdiction(sql: Sql, j: Omit<JurisdictionRecord, 'id'>): Promise<JurisdictionRecord> {
    const r = await sql.one<Row>(
      'INSERT INTO jurisdictions (code, name, kind, state, fips, place_code, ori) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *',
      [j.code, j.name, j.kind, j.state, j.fips, j.placeCode, j.ori],
    );
    return jurisdiction(r!);
  }
  async findJurisdiction(sql: Sql, id: string): Promise<JurisdictionRecord | null> {
    const r = await sql.one<Row>('SELECT * FROM jurisdictions WHERE id = $1', [id]);
    return r ? jurisdiction(r) : null;
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
    const r = await sql.one<Row>('UPDATE jurisdictions SET name = $2, updated_at = $3 WHERE id = $1 RETURNING *', [id, name, now]);
    return r ? jurisdiction(r) : null;
  }

  async insertPolicy(sql: Sql, p: Omit<PolicyRecord, 'id'>): Promise<PolicyRecord> {
    const r = await sql.one<Row>(
      `INSERT INTO policies (jurisdiction_id, kind, citation, summary, limits_hold, limits_notification, limits_access, effective_from, effective_to)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [p.jurisdictionId, p.kind, p.citation, p.summary, p.limitsHold, p.limitsNotification, p.limitsAccess, p.effectiveFrom, p.effectiveTo],
    );
    return policy(r!);
  }
  async findPolicy(sql: Sql, id: string, opts: { forUpdate?: boolean } = {}): Promise<PolicyRecord | null> {
    const r = await sql.one<Row>(`SELECT * FROM policies WHERE id = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`, [id]);
    return r ? policy(r) : null;
  }
  /** Corrects or ends a policy: only its end date, citation and summary may change. */
  async updatePolicy(sql: Sql, id: string, p: Pick<PolicyRecord, 'effectiveTo' | 'citation' | 'summary'>): Promise<PolicyRecord> {
    const r = await sql.one<Row>('UPDATE policies SET effective_to = $2, citation = $3, summary = $4 WHERE id = $1 RETURNING *', [id, p.effectiveTo, p.citation, p.summary]);
    return policy(r!);
  }
  async insertCertification(sql: Sql, c: Omit<CertificationRecord, 'id' | 'createdAt'>): Promise<CertificationRecord> {
    const r = await sql.one<Row>(
      `INSERT INTO jurisdiction_certifications (jurisdiction_id, kind, certified_on, expires_on, source, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [c.jurisdictionId, c.kind, c.certifiedOn, c.expiresOn, c.source, c.createdBy],
    );
    return certification(r!);
  }
  async listCertifications(sql: Sql, jurisdictionId: string): Promise<CertificationRecord[]> {
    const rows = await sql.query<Row>('SELECT * FROM jurisdiction_certifications WHERE jurisdiction_id = $1 ORDER BY certified_on, id', [jurisdictionId]);
    return rows.map(certification);
  }
  async listPolicies(sql: Sql, jurisdictionId: string): Promise<PolicyRecord[]> {
    return (await sql.query<Row>('SELECT * FROM policies WHERE jurisdiction_id = $1 ORDER BY effective_from, id', [jurisdictionId])).map(policy);
  }

  async insertAgency(sql: Sql, a: Omit<AgencyRecord, 'id' | 'program287gSince' | 'program287gUntil'> & Partial<Pick<AgencyRecord, 'program287gSince' | 'program287gUntil'>>): Promise<AgencyRecord> {
    const r = await sql.one<Row>(
      'INSERT INTO agencies (ori, name, jurisdiction_id, program_287g, program_287g_since, program_287g_until) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
      [a.ori, a.name, a.jurisdictionId, a.program287g, a.program287gSince ?? null, a.program287gUntil ?? null],
    );
    return agency(r!);
  }
  /** Every agency of a jurisdiction (a handful), by ORI. */
  async agenciesOfJurisdiction(sql: Sql, jurisdictionId: string): Promise<AgencyRecord[]> {
    return (await sql.query<Row>('SELECT * FROM agencies WHERE jurisdiction_id = $1 ORDER BY ori', [jurisdictionId])).map(agency);
  }
  async findAgency(sql: Sql, id: string): Promise<AgencyRecord | null> {
    const r = await sql.one<Row>('SELECT * FROM agencies WHERE id = $1', [id]);
    return r ? agency(r) : null;
  }
  async updateArea(sql: Sql, id: string, name: string): Promise<AreaRecord | null> {
    const r = await sql.one<Row>('UPDATE areas SET name = $2 WHERE id = $1 RETURNING *', [id, name]);
    return r ? area(r) : null;
  }
  async findAgencyForUpdate(sql: Sql, id: string): Promise<AgencyRecord | null> {
    const r = await sql.one<Row>('SELECT * FROM agencies WHERE id = $1 FOR UPDATE', [id]);
    return r ? agency(r) : null;
  }
  async updateAgency(sql: Sql, id: string, a: Pick<AgencyRecord, 'ori' | 'name' | 'program287g' | 'program287gSince' | 'program287gUntil'>): Promise<AgencyRecord> {
    const r = await sql.one<Row>(
      'UPDATE agencies SET ori = $2, name = $3, program_287g = $4, program_287g_since = $5, program_287g_until = $6 WHERE id = $1 RETURNING *',
      [id, a.ori, a.name, a.program287g, a.program287gSince, a.program287gUntil],
    );
    return agency(r!);
  }
  async facilityOwners(sql: Sql, agencyIds: readonly string[]): Promise<Map<string, FacilityOwner>> {
    const rows = await sql.query<{ id: string; name: string; ori: string; state: string }>(
      'SELECT a.id, a.name, a.ori, j.state FROM agencies a JOIN jurisdictions j ON j.id = a.jurisdiction_id WHERE a.id = ANY($1::uuid[])',
      [[...new Set(agencyIds)]],
    );
    return new Map(rows.map((r) => [r.id, { agencyId: r.id, agencyName: r.name, agencyOri: r.ori, state: r.state }]));
  }
  listAgencies(sql: Sql, filter: { jurisdictionId?: string }, page: { limit: number; cursor?: string }): Promise<Page<AgencyRecord>> {
    const params = new Params();
    const where = filter.jurisdictionId ? [`jurisdiction_id = ${params.add(filter.jurisdictionId)}`] : [];
    return pageBy(sql, 'agencies', (a) => a.ori, 'ori', where, params, page, agency);
  }

  async insertFacility(sql: Sql, f: Omit<FacilityRecord, 'id'>): Promise<FacilityRecord> {
    const r = await sql.one<Row>(
      'INSERT INTO facilities (agency_id, name, time_zone, area_id) VALUES ($1, $2, $3, $4) RETURNING *',
      [f.agencyId, f.name, f.timeZone, f.areaId],
    );
    return facility(r!);
  }
  async findFacility(sql: Sql, id: string): Promise<FacilityRecord | null> {
    const r = await sql.one<Row>('SELECT * FROM facilities WHERE id = $1', [id]);
    return r ? facility(r) : null;
  }
  async findFacilityForUpdate(sql: Sql, id: string): Promise<FacilityRecord | null> {
    const r = await sql.one<Row>('SELECT * FROM facilities WHERE id = $1 FOR UPDATE', [id]);
    return r ? facility(r) : null;
  }
  /** Whether anything was ever lodged with the facility (callers need a scope that sees every lodging: an admin's). */
  async facilityHasLodgings(sql: Sql, id: string): Promise<boolean> {
    return (await sql.one<Row>('SELECT EXISTS (SELECT 1 FROM lodgings WHERE facility_id = $1) AS used', [id]))!.used as boolean;
  }
  async updateFacility(sql: Sql, id: string, f: Pick<FacilityRecord, 'name' | 'timeZone' | 'areaId'>): Promise<FacilityRecord> {
    const r = await sql.one<Row>('UPDATE facilities SET name = $2, time_zone = $3, area_id = $4 WHERE id = $1 RETURNING *', [id, f.name, f.timeZone, f.areaId]);
    return facility(r!);
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
    const r = await sql.one<Row>(
      `SELECT f.id AS facility_id, f.agency_id, a.jurisdiction_id, f.area_id, f.time_zone
       FROM facilities f JOIN agencies a ON a.id = f.agency_id WHERE f.id = $1`,
      [facilityId],
    );
    return r
      ? { facilityId: r.facility_id as string, agencyId: r.agency_id as string, jurisdictionId: r.jurisdiction_id as string, areaId: r.area_id as string, timeZone: r.time_zone as string }
      : null;
  }
}
