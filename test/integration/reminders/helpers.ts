import { Sql } from '@app/persistence';
import { i247aBody, ReminderStack, UserKey, World } from '@test/support';

export const HOUR = 3_600_000;

export function client(stack: ReminderStack, tokens: Record<UserKey, string>) {
  const as = (user: UserKey) => ({
    post: (path: string, body: object = {}) => stack.http.post(path).set('Authorization', `Bearer ${tokens[user]}`).send(body),
    get: (path: string) => stack.http.get(path).set('Authorization', `Bearer ${tokens[user]}`),
  });
  const issue = async (facilityId: string, overrides: Record<string, unknown> = {}, user: UserKey = 'officerSea') => {
    const res = await as(user).post('/api/v1/detainers', i247aBody(facilityId, overrides));
    if (res.status !== 201) throw new Error(`issue failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number };
  };
  const act = async (user: UserKey, detainerId: string, action: string, body: object) => {
    const res = await as(user).post(`/api/v1/detainers/${detainerId}/${action}`, body);
    if (res.status !== 200) throw new Error(`${action} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number };
  };
  return { as, issue, act };
}

export const iso = (ms: number) => new Date(ms).toISOString();

export interface ReminderRow {
  id: string;
  detainer_id: string;
  key: string;
  kind: string;
  audience: string;
  status: string;
  due_at: Date;
  fired_at: Date | null;
  created_at: Date;
  job_version: number;
  cancel_reason: string | null;
}

export async function remindersOf(stack: ReminderStack, detainerId: string): Promise<ReminderRow[]> {
  return stack.db.read((sql: Sql) => sql.query<ReminderRow>('SELECT * FROM reminders WHERE detainer_id = $1 ORDER BY created_at, key', [detainerId]));
}

export interface DeliveryRow {
  id: string;
  reminder_id: string;
  channel: string;
  recipient: string;
  address: string | null;
  status: string;
  attempts: number;
  last_error: string | null;
}

export async function deliveriesOf(stack: ReminderStack, detainerId: string): Promise<DeliveryRow[]> {
  return stack.db.read((sql: Sql) =>
    sql.query<DeliveryRow>(
      'SELECT d.* FROM reminder_deliveries d JOIN reminders r ON r.id = d.reminder_id WHERE r.detainer_id = $1 ORDER BY d.channel, d.recipient',
      [detainerId],
    ),
  );
}

export async function setEmails(stack: ReminderStack, world: World, emails: Partial<Record<UserKey, string>>): Promise<void> {
  await stack.db.read(async (sql) => {
    for (const [key, email] of Object.entries(emails)) await sql.execute('UPDATE users SET email = $2 WHERE id = $1', [world.users[key as UserKey].id, email]);
  });
}
