import type TestAgent from 'supertest/lib/agent';
import { Database } from '@app/persistence';

/** Row counts of every table of the schema (migrations bookkeeping aside), to show what a request wrote. */
export async function tableCounts(db: Database): Promise<Record<string, number>> {
  return db.read(async (sql) => {
    const tables = await sql.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY table_name`,
    );
    const counts: Record<string, number> = {};
    for (const { table_name } of tables) {
      const row = await sql.one<{ n: string }>(`SELECT count(*) AS n FROM "${table_name.replace(/"/g, '""')}"`);
      counts[table_name] = Number(row?.n ?? 0);
    }
    return counts;
  });
}

/** The counts after minus before, for the tables that changed. */
export function countChanges(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const delta = (after[table] ?? 0) - (before[table] ?? 0);
    if (delta !== 0) out[table] = delta;
  }
  return out;
}

/** An admin creates an API key for an agency; returns the key (shown once) and its id. */
export async function createApiKey(http: TestAgent, adminToken: string, agencyId: string, label = 'JMS'): Promise<{ id: string; key: string }> {
  const res = await http.post('/api/v1/api-keys').set('Authorization', `Bearer ${adminToken}`).send({ agencyId, label });
  if (res.status !== 201) throw new Error(`creating an API key failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id as string, key: res.body.key as string };
}
