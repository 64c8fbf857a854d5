import { ReminderAudience } from '@app/domain';
import { RowMapper } from '../row-mapper';
import { Sql } from '../sql';

export interface Recipient {
  userId: string;
  email: string | null;
}

/** What a reminder message says about its detainer (no subject identity: messages travel by e-mail). */
export interface ReminderContext {
  detainerId: string;
  form: string;
  facilityName: string;
  agencyName: string;
  bookingNumber: string | null;
}

/** A user's id and e-mail (the columns usersFor selects). */
interface RecipientRow {
  id: string;
  email: string | null;
}

const recipient = new RowMapper<RecipientRow, Recipient>((r) => ({ userId: r.id, email: r.email }));

/** A detainer's lodging with its facility's and agency's names (the columns context selects). */
interface ReminderContextRow {
  id: string;
  form: string;
  facility_name: string;
  agency_name: string;
  booking_number: string | null;
}

const reminderContext = new RowMapper<ReminderContextRow, ReminderContext>((r) => ({
  detainerId: r.id,
  form: r.form,
  facilityName: r.facility_name,
  agencyName: r.agency_name,
  bookingNumber: r.booking_number ?? null,
}));

/** Who receives a reminder, resolved when it fires (so accounts created since are included). */
export class RecipientRepository {
  async usersFor(sql: Sql, audience: ReminderAudience, unit: { agencyId: string; areaId: string }): Promise<Recipient[]> {
    const [role, column, value] =
      audience === 'agency' ? ['jail_staff', 'agency_id', unit.agencyId] : audience === 'office' ? ['officer', 'area_id', unit.areaId] : ['supervisor', 'area_id', unit.areaId];
    return recipient.all(sql, `SELECT id, email FROM users WHERE role = $1 AND ${column} = $2 AND disabled_at IS NULL ORDER BY id`, [role, value]);
  }

  async context(sql: Sql, detainerId: string, lodgingSeq: number): Promise<ReminderContext | null> {
    return reminderContext.one(
      sql,
      `SELECT d.id, d.form, f.name AS facility_name, a.name AS agency_name, l.booking_number
       FROM detainers d JOIN lodgings l ON l.detainer_id = d.id AND l.seq = $2
       JOIN facilities f ON f.id = l.facility_id JOIN agencies a ON a.id = l.agency_id
       WHERE d.id = $1`,
      [detainerId, lodgingSeq],
    );
  }
}
