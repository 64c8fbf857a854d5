import { randomUUID } from 'node:crypto';
import { RowMapper } from '../row-mapper';
import { AccessScope, detainerVisibleIn, Params } from '../scope';
import { Sql } from '../sql';

/** A row of subjects (the columns a SubjectRecord needs; date_of_birth a 'YYYY-MM-DD' string). */
export interface SubjectRow {
  id: string;
  a_number: string | null;
  fbi_number: string | null;
  state_id: string | null;
  family_name: string;
  given_name: string;
  date_of_birth: string;
  sex: 'F' | 'M' | 'X' | null;
  citizenship: string;
}

export interface NewSubject {
  /** Nine digits, without the leading A. */
  aNumber: string | null;
  fbiNumber: string | null;
  /** State identification number (SID), uppercased. */
  stateId: string | null;
  familyName: string;
  givenName: string;
  dateOfBirth: string;
  sex: 'F' | 'M' | 'X' | null;
  citizenship: string;
}

export interface SubjectRecord extends NewSubject {
  id: string;
}

/** A subject as a look-up shows it: with how many of its detainers the caller may see, and the latest. */
export interface SubjectMatch extends SubjectRecord {
  visibleDetainers: number;
  lastIssuedAt: Date;
}

export const subjectOf = new RowMapper<SubjectRow, SubjectRecord>((r) => ({
  id: r.id,
  aNumber: r.a_number,
  fbiNumber: r.fbi_number,
  stateId: r.state_id,
  familyName: r.family_name,
  givenName: r.given_name,
  dateOfBirth: r.date_of_birth,
  sex: r.sex,
  citizenship: r.citizenship,
}));

/** A subject with the count (int8: a string) and latest issue of the detainers a look-up may see. */
interface SubjectMatchRow extends SubjectRow {
  visible_detainers: string;
  last_issued_at: Date;
}

const subjectMatch = new RowMapper<SubjectMatchRow, SubjectMatch>((r) => ({
  ...subjectOf.decode(r),
  visibleDetainers: Number(r.visible_detainers),
  lastIssuedAt: r.last_issued_at,
}));

export class SubjectRepository {
  /**
   * Subjects already known by either identifier (at most two distinct records), locked, whoever's
   * records they are on: linking a new detainer to the person on file needs them. They are opened
   * for the rest of the transaction (subjects_by_identifier, a database function).
   */
  async findByIdentifiers(sql: Sql, aNumber: string | null, fbiNumber: string | null): Promise<SubjectRecord[]> {
    if (!aNumber && !fbiNumber) return [];
    return subjectOf.all(sql, `SELECT * FROM subjects_by_identifier($1, $2)`, [aNumber, fbiNumber]);
  }

  /**
   * The subject with this A-number, only if at least one of its detainers is within `scope`: a look-up
   * must not reveal identities known only to other AORs or agencies.
   */
  async findByANumberWithin(sql: Sql, aNumber: string, scope: AccessScope): Promise<SubjectMatch[]> {
    const params = new Params();
    return subjectMatch.all(
      sql,
      `SELECT s.*, count(d.id) AS visible_detainers, max(d.issued_at) AS last_issued_at
       FROM subjects s JOIN detainers d ON d.subject_id = s.id
       WHERE s.a_number = ${params.add(aNumber)} AND ${detainerVisibleIn(scope, params)}
       GROUP BY s.id
       ORDER BY s.created_at`,
      params.values,
    );
  }

  /** Whether at least one detainer on the subject is within `scope` (the caller already sees this person). */
  async isVisibleIn(sql: Sql, subjectId: string, scope: AccessScope): Promise<boolean> {
    const params = new Params();
    const row = await sql.one(
      `SELECT 1 FROM detainers d WHERE d.subject_id = ${params.add(subjectId)} AND ${detainerVisibleIn(scope, params)} LIMIT 1`,
      params.values,
    );
    return row !== null;
  }

  /**
   * Every detainer on this person, whoever's records they are, locked person first and opened for
   * change for the rest of the transaction (open_subject_detainers, a database function): a correction
   * of the person is on each of their timelines. None when the caller may not read the person. Call
   * only once the caller may correct the person.
   */
  async openDetainersOf(sql: Sql, subjectId: string): Promise<string[]> {
    const rows = await sql.query<{ id: string }>('SELECT open_subject_detainers AS id FROM open_subject_detainers($1)', [subjectId]);
    for (const r of rows) sql.openedDetainers.add(r.id.toLowerCase());
    return rows.map((r) => r.id);
  }

  async findById(sql: Sql, id: string): Promise<SubjectRecord | null> {
    return subjectOf.one(sql, 'SELECT * FROM subjects WHERE id = $1', [id]);
  }

  /** Corrects fields of the person on file (an amend: the event holds what they were), stamped at `now` (the service clock). */
  async update(sql: Sql, id: string, fields: Partial<Pick<NewSubject, 'familyName' | 'givenName' | 'dateOfBirth' | 'sex' | 'citizenship' | 'fbiNumber' | 'stateId'>>, now: Date): Promise<void> {
    const columns: Record<string, string> = {
      familyName: 'family_name', givenName: 'given_name', dateOfBirth: 'date_of_birth', sex: 'sex', citizenship: 'citizenship', fbiNumber: 'fbi_number', stateId: 'state_id',
    };
    const entries = Object.entries(fields).filter(([k, v]) => v !== undefined && k in columns);
    if (entries.length === 0) return;
    const sets = entries.map(([k], i) => `${columns[k]} = $${i + 3}`);
    await sql.execute(`UPDATE subjects SET ${sets.join(', ')}, updated_at = $2 WHERE id = $1`, [id, now, ...entries.map(([, v]) => v)]);
  }

  /** A new subject (not readable back until a detainer on it is: hence no RETURNING), stamped at `now` (the service clock). */
  async insert(sql: Sql, s: NewSubject, now: Date): Promise<SubjectRecord> {
    const id = randomUUID();
    await sql.execute(
      `INSERT INTO subjects (id, a_number, fbi_number, state_id, family_name, given_name, date_of_birth, sex, citizenship, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
      [id, s.aNumber, s.fbiNumber, s.stateId, s.familyName, s.givenName, s.dateOfBirth, s.sex, s.citizenship, now],
    );
    return { id, ...s };
  }

  /** Adds an identifier learned later (e.g. an FBI number on a subject first known by A-number). */
  async addIdentifiers(sql: Sql, id: string, identifiers: { aNumber: string | null; fbiNumber: string | null; stateId: string | null }, now: Date): Promise<void> {
    await sql.execute(
      `UPDATE subjects SET a_number = COALESCE(a_number, $2), fbi_number = COALESCE(fbi_number, $3), state_id = COALESCE(state_id, $4), updated_at = $5 WHERE id = $1`,
      [id, identifiers.aNumber, identifiers.fbiNumber, identifiers.stateId, now],
    );
  }
}
