import { Client } from 'pg';
import { AuditChain } from '@app/application';
import { verifyAuditChain } from '../../apps/cli/src/audit-verify';
import { buildWorld, ownerUrl, startTestApi, TestApi, tokensFor, UserKey, World } from '@test/support';

/**
 * The audit log is tamper-evident: every entry is linked into a hash chain after it commits, and
 * verification (over HTTP for admins, and `npm run audit:verify`) names the first entry that no
 * longer matches its link, whoever edited it.
 */
describe('audit hash chain (e2e)', () => {
  let api: TestApi;
  let world: World;
  let tokens: Record<UserKey, string>;
  const verify = (who: UserKey = 'admin') => api.http.get('/api/v1/audit/verify').set('Authorization', `Bearer ${tokens[who]}`);

  beforeAll(async () => {
    api = await startTestApi();
    world = await buildWorld(api.app);
    tokens = await tokensFor(api.http, world);
  });
  afterAll(() => api.close());

  async function asOwner<T>(work: (c: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: ownerUrl(api.database.name) });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  it('an untouched log verifies: every entry is chained, in id order', async () => {
    const res = await verify();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, rows: expect.any(Number) });
    const [{ entries, links }] = (await api.db.read((sql) => sql.query<{ entries: number; links: number }>(
      `SELECT (SELECT count(*)::int FROM audit_log WHERE id < (SELECT max(audit_id) FROM audit_chain)) + 1 AS entries, (SELECT count(*)::int FROM audit_chain) AS links`,
    )));
    expect(links).toBe(entries);
    expect(res.body.rows).toBe(links);
    // links follow ids
    const order = await api.db.read((sql) => sql.query<{ ordered: boolean }>(`SELECT bool_and(audit_id > prev) AS ordered FROM (SELECT audit_id, lag(audit_id, 1, 0::bigint) OVER (ORDER BY position) AS prev FROM audit_chain) x`));
    expect(order[0].ordered).toBe(true);
  });

  it('only admins may verify', async () => {
    expect((await verify('supervisorSea')).status).toBe(403);
    expect((await api.http.get('/api/v1/audit/verify')).status).toBe(401);
  });

  it('an entry edited by the owner (triggers switched off) is named, over HTTP and by npm run audit:verify', async () => {
    await verify();
    const target = await api.db.read((sql) => sql.one<{ id: string }>(`SELECT id::text FROM audit_log WHERE action = 'auth.login' ORDER BY id LIMIT 1 OFFSET 2`));
    await asOwner(async (c) => {
      await c.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      try {
        await c.query(`UPDATE audit_log SET outcome = 'failure', reason = 'bad_credentials' WHERE id = $1`, [target!.id]);
      } finally {
        await c.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
      }
    });
    const res = await verify();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: false, firstBrokenId: target!.id });
    expect(res.body.rows).toBeLessThan(Number(target!.id));

    const printed: string[] = [];
    const report = await verifyAuditChain(api.config, (line) => printed.push(line));
    expect(report).toMatchObject({ ok: false, firstBrokenId: target!.id });
    expect(JSON.parse(printed[0])).toMatchObject({ ok: false, firstBrokenId: target!.id });
  });

  it('a link rewritten without the service key is found too', async () => {
    const chain = api.app.get(AuditChain);
    await chain.extend();
    const [first] = await api.db.read((sql) => sql.query<{ id: string }>(`SELECT audit_id::text AS id FROM audit_chain ORDER BY position LIMIT 1`));
    await asOwner(async (c) => {
      await c.query('ALTER TABLE audit_chain DISABLE TRIGGER audit_chain_append_only');
      try {
        // an attacker recomputing the first link with a key of their own
        await c.query(`UPDATE audit_chain SET hash = sha256(convert_to((SELECT audit_entry_text(a) FROM audit_log a WHERE a.id = $1::bigint), 'UTF8')) WHERE audit_id = $1::bigint`, [first.id]);
      } finally {
        await c.query('ALTER TABLE audit_chain ENABLE TRIGGER audit_chain_append_only');
      }
    });
    expect(await chain.verify()).toMatchObject({ ok: false, firstBrokenId: first.id, rows: 0 });
  });
});
