import { RowMapper } from '../row-mapper';
import { Params } from '../scope';
import { Sql } from '../sql';

/** The jail's four work lists; each is ordered by what falls due first. */
export const WORKLIST_SECTIONS = ['awaitingAcknowledgment', 'awaitingReleaseDate', 'releasesSoon', 'holdsEnding'] as const;
export type WorklistSection = (typeof WORKLIST_SECTIONS)[number];

export interface WorklistIds {
  /** Detainer ids, most due first. */
  ids: string[];
  /** How many are in the list in all (beyond the `limit` returned). */
  total: number;
}

/** Hours ahead that "releases soon" looks (the 48-hour notice the detainer asks for). */
const RELEASES_SOON_HOURS = 48;

/**
 * For one agency's current lodgings: which stage of the work each section holds and what it is due
 * by. `l` is the agency's current lodging of a detainer (lodgings.agency_id and the detainer's
 * current_lodging_seq), so a detainer the agency has handed on is in none of them.
 */
const SECTIONS: Record<WorklistSection, { where: (params: Params, now: Date) => string; dueBy: string }> = {
  awaitingAcknowledgment: { where: () => `l.status = 'issued'`, dueBy: 'l.opened_at' },
  awaitingReleaseDate: { where: () => `l.status = 'acknowledged'`, dueBy: 'coalesce(l.acknowledged_at, l.opened_at)' },
  releasesSoon: {
    where: (params, now) => `l.status = 'release_scheduled' AND l.release_at < ${params.add(new Date(now.getTime() + RELEASES_SOON_HOURS * 3_600_000))}`,
    dueBy: 'l.release_at',
  },
  holdsEnding: { where: () => `l.status = 'held'`, dueBy: 'l.hold_expires_at' },
};

/** A detainer of a section with the section's size (count(*) OVER (), int8: a string). */
interface SectionRow {
  id: string;
  total: string;
}

const sectionEntry = new RowMapper<SectionRow, { id: string; total: number }>((r) => ({ id: r.id, total: Number(r.total) }));

/** The jail worklist's queries: ids and counts only; the detainers are read through DetainerReadRepository. */
export class WorklistRepository {
  async section(sql: Sql, section: WorklistSection, agencyId: string, now: Date, limit: number): Promise<WorklistIds> {
    const spec = SECTIONS[section];
    const params = new Params();
    const agency = params.add(agencyId);
    const where = spec.where(params, now);
    const rows = await sectionEntry.all(
      sql,
      `SELECT d.id, count(*) OVER () AS total
       FROM detainers d JOIN lodgings l ON l.detainer_id = d.id AND l.seq = d.current_lodging_seq
       WHERE d.agency_id = ${agency} AND l.agency_id = ${agency} AND ${where}
       ORDER BY ${spec.dueBy} ASC NULLS LAST, d.id
       LIMIT ${params.add(limit)}`,
      params.values,
    );
    return { ids: rows.map((r) => r.id), total: rows.length ? rows[0].total : 0 };
  }
}
