import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { ReferenceDataService, UserAdminService } from '@app/application';
import { loadConfig } from '@app/config';
import { roleOf } from '@app/persistence';
import { createApiApp } from '../../../api/src/create-api-app';
import { BenchPart, BenchTable, percentile } from '../bench';
import { migratedScratchDatabase } from '../scratch-database';
import { collectGarbage } from '../memory';
import { showStatements, StatementCounter } from '../statements';

const PASSWORD = 'violet-harbor-lantern-42';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CONCURRENCY = (process.env.BENCH_LIFECYCLE_CLIENTS ?? '1,16,64,200').split(',').map(Number);
/** Operations per concurrency level: at least this many, and at least 5 per client. */
const MIN_OPS = Number(process.env.BENCH_LIFECYCLE_OPS ?? 150);
/** The API's pool (persistence module default); the raw baseline gets the same. */
const POOL_SIZE = 10;

const counter = new StatementCounter();
/** Creates for the memory run (RSS after 1,000 and after this many), 16 clients. */
const MEMORY_CREATES = Number(process.env.BENCH_LIFECYCLE_MEMORY_CREATES ?? 20000);

interface Run {
  ops: number;
  /** Operations that failed (e.g. 503 when the pool had no connection within its timeout). */
  errors: number;
  /** Of the errors, answers 503 (busy or unavailable): the rest failed before an answer (e.g. the client's connect). */
  unavailable: number;
  firstError?: string;
  seconds: number;
  latencies: number[];
  statements: number;
}

/** `ops` operations from `clients` concurrent loops (each waits for its answer before the next). */
async function drive(clients: number, ops: number, op: (i: number) => Promise<void>): Promise<Run> {
  let next = 0;
  let errors = 0;
  let unavailable = 0;
  let firstError: string | undefined;
  const latencies: number[] = [];
  const before = counter.total;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (;;) {
        const i = next++;
        if (i >= ops) return;
        const t = performance.now();
        try {
          await op(i);
          latencies.push(performance.now() - t);
        } catch (error) {
          errors += 1;
          if (error instanceof Error && /: 503 /.test(error.message)) unavailable += 1;
          firstError ??= error instanceof Error ? error.message.slice(0, 160) : String(error);
        }
      }
    }),
  );
  return { ops, errors, unavailable, ...(firstError !== undefined && { firstError }), seconds: (performance.now() - started) / 1000, latencies, statements: counter.total - before };
}

type Row = Record<string, unknown>;

/**
 * HTTP `POST /detainers` and `acknowledge` at 1, 16, 64 and 200 clients, beside raw `pg` writing the
 * same rows (cloned from a detainer the API wrote: subject, detainer, lodging, events, reminders,
 * report contribution and week mark, audit entry) in one transaction per operation, same concurrency,
 * same pool size.
 */
export const lifecyclePart: BenchPart = {
  name: 'lifecycle',
  description: 'HTTP create + acknowledge at 1/16/64/200 clients beside raw pg writing the same rows (throughput, p50/p99, statements per operation)',
  async run(ctx) {
    const url = await migratedScratchDatabase(ctx, 'lifecycle');
    const config = loadConfig({ ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent', LOGIN_RATE_PER_ADDRESS: '1000000', LOGIN_RATE_PER_USERNAME: '1000000' });
    const app = await createApiApp(config);
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const raw = new Pool({ connectionString: url, max: POOL_SIZE });
    const tables: BenchTable[] = [];
    try {
      const refs = app.get(ReferenceDataService);
      const users = app.get(UserAdminService);
      const area = await refs.createArea({ code: 'SEA', name: 'Seattle' });
      const jurisdiction = await refs.createJurisdiction({ name: 'King County', kind: 'county', state: 'WA', fips: '53033' });
      const agency = await refs.createAgency({ ori: 'WA0170000', name: 'King County Jail', jurisdictionId: jurisdiction.id });
      const facility = await refs.createFacility({ agencyId: agency.id, name: 'King County Correctional Facility', timeZone: 'America/Los_Angeles', areaId: area.id });
      await users.create({ username: 'bench.officer', password: PASSWORD, role: 'officer', areaId: area.id });
      await users.create({ username: 'bench.jail', password: PASSWORD, role: 'jail_staff', agencyId: agency.id });
      const token = async (username: string) => {
        const res = await fetch(`${base}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
        return ((await res.json()) as { accessToken: string }).accessToken;
      };
      const officer = await token('bench.officer');
      const jail = await token('bench.jail');

      let serial = 0;
      const post = async (path: string, bearer: string, body: unknown, expected: number) => {
        const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify(body) });
        const json = (await res.json()) as { id: string };
        if (res.status !== expected) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
        return json;
      };
      const create = async () => {
        serial += 1;
        return post('/api/v1/detainers', officer, {
          type: 'I-247A', facilityId: facility.id, bookingNumber: `B-${serial}`,
          subject: { aNumber: `A${String(400000000 + serial)}`, familyName: `Family${serial}`, givenName: 'Given', dateOfBirth: '1980-05-17', sex: 'M', citizenship: 'MX' },
          charges: [{ description: 'Burglary, second degree', ncicCode: '2202', level: 'felony', status: 'pending' }],
          probableCause: ['biometric_match'], warrant: { form: 'I-200', number: `SEA-2026-${serial}` }, channel: 'electronic',
        }, 201);
      };
      const acknowledge = (id: string) => post(`/api/v1/detainers/${id}/acknowledge`, jail, { response: 'will_comply' }, 200);

      // The template: the rows one create and one acknowledge wrote, to clone for the raw baseline.
      const snapshot = async (id: string) => {
        const c = await raw.connect();
        try {
          const one = async (sql: string, params: unknown[]) => (await c.query<Row>(sql, params)).rows;
          const detainer = (await one('SELECT * FROM detainers WHERE id = $1', [id]))[0];
          return {
            subjects: await one('SELECT * FROM subjects WHERE id = $1', [detainer.subject_id]),
            detainers: [detainer],
            lodgings: await one('SELECT * FROM lodgings WHERE detainer_id = $1', [id]),
            detainer_events: await one('SELECT * FROM detainer_events WHERE detainer_id = $1 ORDER BY seq', [id]),
            reminders: await one('SELECT * FROM reminders WHERE detainer_id = $1', [id]),
            detainer_contributions: await one('SELECT * FROM detainer_contributions WHERE detainer_id = $1', [id]),
            report_week_marks: await one('SELECT * FROM report_week_marks WHERE detainer_id = $1', [id]),
            audit_log: await one('SELECT * FROM audit_log ORDER BY id DESC LIMIT 1', []),
          } as Record<string, Row[]>;
        } finally {
          c.release();
        }
      };
      const template = await create();
      await new Promise((r) => setTimeout(r, 200));
      const created = await snapshot(template.id);
      const generated = new Map<string, Set<string>>();
      for (const r of (await raw.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND (is_identity = 'YES' OR is_generated = 'ALWAYS')`,
      )).rows) generated.set(r.table_name, (generated.get(r.table_name) ?? new Set()).add(r.column_name));
      const columnsOf = (table: string, row: Row) => Object.keys(row).filter((c) => !generated.get(table)?.has(c));

      /** The template's rows with fresh ids (every `id`, subject and detainer id) and identifiers. */
      const cloneRows = (rows: Record<string, Row[]>) => {
        let text = JSON.stringify(rows);
        const ids = new Set<string>();
        for (const list of Object.values(rows)) for (const r of list) for (const k of ['id', 'detainer_id', 'subject_id']) if (typeof r[k] === 'string' && UUID.test(r[k])) ids.add(r[k]);
        for (const id of ids) text = text.split(id).join(randomUUID());
        serial += 1;
        return JSON.parse(text.replace(/"a_number":"\d+"/g, `"a_number":"${String(500000000 + serial)}"`)) as Record<string, Row[]>;
      };
      /** One transaction, one multi-row INSERT per table (BEGIN and COMMIT sent with the first and last). */
      const insertAll = async (rows: Record<string, Row[]>) => {
        const c = await raw.connect();
        try {
          await c.query('BEGIN');
          for (const [table, list] of Object.entries(rows)) {
            if (list.length === 0) continue;
            const cols = columnsOf(table, list[0]);
            await c.query(`INSERT INTO ${table} (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM json_populate_recordset(null::${table}, $1)`, [JSON.stringify(list)]);
          }
          await c.query('COMMIT');
        } catch (error) {
          await c.query('ROLLBACK');
          throw error;
        } finally {
          c.release();
        }
      };
      const rawCreate = async () => {
        const rows = cloneRows(created);
        await insertAll(rows);
        return rows.detainers[0].id as string;
      };
      // Acknowledge, raw: the same changes the API makes (projection, event, reminder, contribution, mark, audit).
      await acknowledge(template.id);
      await new Promise((r) => setTimeout(r, 200));
      const acked = await snapshot(template.id);
      const ackEvent = acked.detainer_events[acked.detainer_events.length - 1];
      const rawAcknowledge = async (id: string) => {
        const c = await raw.connect();
        try {
          await c.query('BEGIN');
          await c.query('SELECT version FROM detainers WHERE id = $1 FOR NO KEY UPDATE', [id]);
          await c.query(`UPDATE detainers SET status = $2, version = version + 1, updated_at = now() WHERE id = $1`, [id, acked.detainers[0].status]);
          await c.query(`UPDATE lodgings SET status = $2, response = 'will_comply', acknowledged_at = now() WHERE detainer_id = $1 AND seq = 1`, [id, acked.lodgings[0].status]);
          const event = { ...ackEvent, detainer_id: id };
          const eventCols = columnsOf('detainer_events', event);
          await c.query(`INSERT INTO detainer_events (${eventCols.join(', ')}) SELECT ${eventCols.join(', ')} FROM json_populate_record(null::detainer_events, $1)`, [JSON.stringify(event)]);
          await c.query(`UPDATE reminders SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'no_longer_due' WHERE detainer_id = $1 AND status = 'pending'`, [id]);
          await c.query(`UPDATE detainer_contributions SET acknowledged = true WHERE detainer_id = $1 AND measure = 'issued'`, [id]);
          await c.query(`INSERT INTO report_week_marks (week_start, end_at, detainer_id, marked_at) SELECT week_start, end_at, $1, now() FROM report_week_marks LIMIT 1`, [id]);
          const audit = acked.audit_log[0];
          const auditCols = columnsOf('audit_log', audit);
          await c.query(`INSERT INTO audit_log (${auditCols.join(', ')}) SELECT ${auditCols.join(', ')} FROM json_populate_record(null::audit_log, $1)`, [JSON.stringify(audit)]);
          await c.query('COMMIT');
        } catch (error) {
          await c.query('ROLLBACK');
          throw error;
        } finally {
          c.release();
        }
      };

      counter.install();
      if (showStatements) {
        const one = await counter.capture(() => create());
        ctx.log(`statements of one POST /detainers (${one.statements.length}):\n      ${one.statements.join('\n      ')}`);
        await new Promise((r) => setTimeout(r, 100));
        const ack = await counter.capture(() => acknowledge(one.result.id));
        ctx.log(`statements of one acknowledge (${ack.statements.length}):\n      ${ack.statements.join('\n      ')}`);
      }
      const rows: (string | number)[][] = [];
      const errorNotes: string[] = [];
      const line = (what: string, clients: number, run: Run, floor?: Run) => {
        const ok = (r: Run) => r.ops - r.errors;
        const throughput = ok(run) / run.seconds;
        rows.push([
          what, clients, run.ops, run.errors, throughput, floor ? throughput / (ok(floor) / floor.seconds) : '—',
          percentile(run.latencies, 50), percentile(run.latencies, 99), run.statements / Math.max(1, ok(run)),
        ]);
        if (run.firstError) errorNotes.push(`${what} at ${clients} clients, ${run.unavailable} of ${run.errors} errors 503, first error: ${run.firstError}`);
      };
      for (const clients of CONCURRENCY) {
        const ops = Math.max(MIN_OPS, clients * 5);
        ctx.log(`${clients} client(s): ${ops} operations each way`);
        const ids: string[] = [];
        const httpCreate = await drive(clients, ops, async () => {
          ids.push((await create()).id);
        });
        const rawIds: string[] = [];
        const rawCreateRun = await drive(clients, ops, async () => {
          rawIds.push(await rawCreate());
        });
        const httpAck = await drive(clients, ids.length, async (i) => {
          await acknowledge(ids[i]);
        });
        const rawAck = await drive(clients, rawIds.length, async (i) => {
          await rawAcknowledge(rawIds[i]);
        });
        line('HTTP POST /detainers', clients, httpCreate, rawCreateRun);
        line('raw pg: the same rows', clients, rawCreateRun);
        line('HTTP POST /detainers/:id/acknowledge', clients, httpAck, rawAck);
        line('raw pg: the same changes', clients, rawAck);
      }
      tables.push({
        title: 'Detainer write path: HTTP on loopback beside raw pg (throughput in operations/s, latency in ms)',
        columns: ['operation', 'clients', 'ops', 'errors', 'ops/s (ok)', 'HTTP / raw', 'p50', 'p99', 'statements/op'],
        rows,
        notes: [
          ...errorNotes,
          `pool of ${POOL_SIZE} connections for both; both connect as ${roleOf(url)} (a superuser: row-level security is not in force here, see the security part)`,
          'raw = one transaction per operation, one multi-row INSERT per table of rows cloned from a detainer the API wrote (create), or the same UPDATEs/INSERTs (acknowledge)',
          'statements/op counts every statement any pg client of the process sent, including BEGIN/COMMIT and the audit chain appended after commit',
          'in-process server and clients on a 2-core machine shared with other sessions: read ratios, not absolute figures',
        ],
      });

      if (MEMORY_CREATES > 0) {
        ctx.log(`memory: ${MEMORY_CREATES.toLocaleString('en-US')} creates at 16 clients`);
        const mb = (bytes: number) => bytes / 1024 / 1024;
        const marks = [1000, MEMORY_CREATES].filter((n, i, all) => n <= MEMORY_CREATES && all.indexOf(n) === i);
        const memory: (string | number)[][] = [];
        let done = 0;
        let failed = 0;
        for (const mark of marks) {
          const run = await drive(16, mark - done, async () => {
            await create();
          });
          done = mark;
          failed += run.errors;
          const rss = mb(process.memoryUsage().rss);
          collectGarbage();
          memory.push([mark, failed, (run.ops - run.errors) / run.seconds, rss, mb(process.memoryUsage().heapUsed)]);
        }
        const first = memory[0][3] as number;
        const last = memory.at(-1)![3] as number;
        tables.push({
          title: `Memory of the process running the API across ${MEMORY_CREATES.toLocaleString('en-US')} creates (16 clients; MB)`,
          columns: ['creates so far', 'errors', 'creates/s (this stretch)', 'RSS', 'live heap (after full GC)'],
          rows: memory,
          notes: [
            `RSS after ${MEMORY_CREATES.toLocaleString('en-US')} is ${((last / first - 1) * 100).toFixed(1)} % above after 1,000 (target: within 20 %)`,
            'the API and the load generator (fetch) share this process: the figure includes both',
          ],
        });
      }
    } finally {
      counter.uninstall();
      await raw.end();
      await app.close();
    }
    return tables;
  },
};
