import { Client } from 'pg';
import { buildWorld, i247aBody, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/**
 * A worker firing a reminder holds the reminder's row and then inserts rows that reference the
 * detainer (foreign-key checks take KEY SHARE on it). An action on the same detainer locks the
 * detainer first and then cancels that reminder. If the action locked the detainer FOR UPDATE, the
 * two would deadlock; it takes FOR NO KEY UPDATE, so both finish. This replays that interleaving.
 */
describe('an action and a reminder firing on the same detainer do not deadlock', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  let worker: Client;

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
    worker = new Client({ connectionString: api.database.url, application_name: 'worker-standin' });
    await worker.connect();
  });
  afterAll(async () => {
    await worker.end();
    await api.close();
  });

  it('cancelling a reminder the worker holds waits for it, then succeeds', async () => {
    const issued = await api.http.post('/api/v1/detainers').set('Authorization', `Bearer ${tokens.officerSea}`).send(i247aBody(world.facilities.kingJail.id));
    expect(issued.status).toBe(201);
    const id = issued.body.id as string;
    const reminder = (await worker.query(`SELECT id FROM reminders WHERE detainer_id = $1 AND status = 'pending' LIMIT 1`, [id])).rows[0] as { id: string };
    expect(reminder).toBeDefined();

    // 1. The worker locks the reminder.
    await worker.query('BEGIN');
    await worker.query(`SELECT set_config('app.scope', 'system', true)`); // as the worker's transactions do
    await worker.query('SELECT 1 FROM reminders WHERE id = $1 FOR UPDATE', [reminder.id]);
    // 2. The jail reports the person is not held here: that locks the detainer, then waits to cancel the reminder.
    const action = api.http.post(`/api/v1/detainers/${id}/not-in-custody`).set('Authorization', `Bearer ${tokens.jailKing}`).send({}).then((r) => r);
    await waitUntil(async () => {
      const waiting = await worker.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`);
      return (waiting.rowCount ?? 0) > 0;
    });
    // 3. The worker writes a row that references the detainer (as inbox rows do): its foreign-key check must not wait.
    await worker.query('SET LOCAL lock_timeout = 3000');
    await worker.query(
      `INSERT INTO detainer_events (detainer_id, seq, version, lodging_seq, kind, occurred_at, recorded_at, actor_kind, actor_role, source, payload)
       VALUES ($1, 999, 1, 1, 'probe', now(), now(), 'system', 'system', 'system', '{}')`,
      [id],
    );
    await worker.query('ROLLBACK');
    // 4. The action then completes.
    const res = await action;
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('misdirected');
    const left = await worker.query(`SELECT count(*)::int AS n FROM reminders WHERE detainer_id = $1 AND status = 'pending'`, [id]);
    expect(left.rows[0].n).toBe(0);
  });

  it('reading a detainer (GET /detainers/:id, with its allowed actions) takes no row lock: it does not wait for a writer', async () => {
    const issued = await api.http.post('/api/v1/detainers').set('Authorization', `Bearer ${tokens.officerSea}`).send(i247aBody(world.facilities.kingJail.id));
    const id = issued.body.id as string;
    await worker.query('BEGIN');
    try {
      await worker.query(`SELECT set_config('app.scope', 'system', true)`);
      // the strongest row lock: any FOR ... lock a read took would wait for it
      await worker.query('SELECT 1 FROM detainers WHERE id = $1 FOR UPDATE', [id]);
      for (const user of ['officerSea', 'jailKing'] as const) {
        const res = await api.http.get(`/api/v1/detainers/${id}`).set('Authorization', `Bearer ${tokens[user]}`).timeout(4000);
        expect(res.status).toBe(200);
        expect(res.body.allowedActions.length).toBeGreaterThan(0);
      }
    } finally {
      await worker.query('ROLLBACK');
    }
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the action never started waiting for the reminder lock');
}
