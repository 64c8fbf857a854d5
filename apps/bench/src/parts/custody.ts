import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Server } from 'node:http';
import request from 'supertest';
import { ApiKeyService, Principal, ReferenceDataService, UserAdminService } from '@app/application';
import { loadConfig } from '@app/config';
import { quoteIdent } from '@app/persistence';
import { createApiApp } from '../../../api/src/create-api-app';
import { BenchPart, BenchTable } from '../bench';
import { migratedScratchDatabase } from '../scratch-database';
import { showStatements, StatementCounter } from '../statements';
import { collectGarbage } from '../memory';

const PASSWORD = 'violet-harbor-lantern-42';

function intFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

/**
 * Custody events through HTTP (an API key, in-process server) in batches of 100 and 1,000, beside
 * the same action (a release date given) through the single-detainer endpoint, in one run; then
 * the process's RSS across a long run of batches of 1,000. Scale: BENCH_CUSTODY_DETAINERS open
 * requests (default 2,000) and BENCH_CUSTODY_EVENTS events for the memory run (default 20,000).
 */
export const custodyPart: BenchPart = {
  name: 'custody',
  description: 'custody events per second through HTTP (batches of 100 and 1,000) beside the single-detainer endpoint; RSS across a long run',
  async run(ctx) {
    const detainers = intFromEnv('BENCH_CUSTODY_DETAINERS', 2000);
    const total = intFromEnv('BENCH_CUSTODY_EVENTS', 20000);
    const url = await migratedScratchDatabase(ctx, 'custody');
    const config = loadConfig({ ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent', LOGIN_RATE_PER_ADDRESS: '1000000', LOGIN_RATE_PER_USERNAME: '1000000' });
    const app = await createApiApp(config);
    await app.init();
    const tables: BenchTable[] = [];
    const counter = new StatementCounter();
    try {
      const http = request(app.getHttpServer() as Server);
      const refs = app.get(ReferenceDataService);
      const area = await refs.createArea({ code: 'SEA', name: 'Seattle' });
      const jurisdiction = await refs.createJurisdiction({ name: 'King County', kind: 'county', state: 'WA', fips: '53033' });
      const agency = await refs.createAgency({ ori: 'WA0170000', name: 'King County Jail', jurisdictionId: jurisdiction.id });
      const facility = await refs.createFacility({ agencyId: agency.id, name: 'King County Correctional Facility', timeZone: 'America/Los_Angeles', areaId: area.id });
      const users = app.get(UserAdminService);
      const admin = await users.create({ username: 'bench.admin', password: PASSWORD, role: 'admin' });
      await users.create({ username: 'bench.officer', password: PASSWORD, role: 'officer', areaId: area.id });
      const adminPrincipal: Principal = { kind: 'user', id: admin.id, name: 'bench.admin', role: 'admin', agencyId: null, areaId: null };
      const { key } = await app.get(ApiKeyService).create(adminPrincipal, { agencyId: agency.id, label: 'bench JMS' });
      const token = ((await http.post('/api/v1/auth/token').send({ username: 'bench.officer', password: PASSWORD })).body as { accessToken: string }).accessToken;

      ctx.log(`lodging and acknowledging ${detainers.toLocaleString('en-US')} detainers`);
      const ids: string[] = [];
      const booking = (i: number) => `KC-${String(i).padStart(7, '0')}`;
      for (let i = 0; i < detainers; i += 4) {
        const chunk = Array.from({ length: Math.min(4, detainers - i) }, (_x, j) => i + j);
        ids.push(
          ...(await Promise.all(
            chunk.map(async (n) => {
              const issued = await http.post('/api/v1/detainers').set('Authorization', `Bearer ${token}`).send({
                type: 'I-247A', facilityId: facility.id, bookingNumber: booking(n),
                subject: { aNumber: `A${String(200000000 + n)}`, familyName: 'Doe', givenName: `J${n}`, dateOfBirth: '1980-05-17', citizenship: 'MX' },
                charges: [{ description: 'Burglary', level: 'felony', status: 'pending' }], probableCause: ['biometric_match'],
                warrant: { form: 'I-200', number: `SEA-${n}` },
              });
              if (issued.status !== 201) throw new Error(`issue failed: ${issued.status} ${JSON.stringify(issued.body)}`);
              const { id } = issued.body as { id: string };
              const ack = await http.post(`/api/v1/detainers/${id}/acknowledge`).set('X-Api-Key', key).send({ response: 'will_comply' });
              if (ack.status !== 200) throw new Error(`acknowledge failed: ${ack.status}`);
              return id;
            }),
          )),
        );
      }

      let round = 0;
      const releaseAt = () => new Date(Date.now() + 72 * 3_600_000 + round * 60_000).toISOString();
      const eventsFor = (from: number, count: number) =>
        Array.from({ length: count }, (_x, j) => {
          const n = (from + j) % detainers;
          return { eventId: `r${round}-${from + j}`, kind: 'release_scheduled', at: new Date().toISOString(), bookingNumber: booking(n), releaseAt: releaseAt() };
        });
      const runBatches = async (count: number, size: number, onBatch?: () => void) => {
        round += 1;
        let applied = 0;
        const statementsBefore = counter.total;
        const cpuBefore = process.cpuUsage();
        const start = performance.now();
        for (let from = 0; from < count; from += size) {
          const res = await http.post('/api/v1/custody-events').set('X-Api-Key', key).send({ events: eventsFor(from, Math.min(size, count - from)) });
          if (res.status !== 200) throw new Error(`batch failed: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
          applied += (res.body as { results: { outcome: string }[] }).results.filter((r) => r.outcome === 'applied').length;
          onBatch?.();
        }
        return { seconds: (performance.now() - start) / 1000, applied, ...spentSince(cpuBefore, statementsBefore) };
      };
      const spentSince = (cpuBefore: NodeJS.CpuUsage, statementsBefore: number) => {
        const cpu = process.cpuUsage(cpuBefore);
        return { cpuMs: (cpu.user + cpu.system) / 1000, statements: counter.total - statementsBefore };
      };

      counter.install();
      const scheduleRelease = async (id: string) => {
        const res = await http.post(`/api/v1/detainers/${id}/schedule-release`).set('X-Api-Key', key).send({ releaseAt: releaseAt() });
        if (res.status !== 200) throw new Error(`schedule-release failed: ${res.status}`);
      };
      if (showStatements) {
        round += 1;
        const one = await counter.capture(() => scheduleRelease(ids[0]));
        ctx.log(`statements of one POST /detainers/:id/schedule-release (${one.statements.length}):\n      ${one.statements.join('\n      ')}`);
        const event = await counter.capture(() => http.post('/api/v1/custody-events').set('X-Api-Key', key).send({ events: eventsFor(1, 1) }));
        ctx.log(`statements of one custody event in a batch of one (${event.statements.length}):\n      ${event.statements.join('\n      ')}`);
      }

      ctx.log('single-detainer endpoint (baseline)');
      round += 1;
      const singleStatements = counter.total;
      const singleCpu = process.cpuUsage();
      const singleStart = performance.now();
      for (const id of ids) await scheduleRelease(id);
      const single = { seconds: (performance.now() - singleStart) / 1000, applied: ids.length, ...spentSince(singleCpu, singleStatements) };
      ctx.log('batches of 100');
      const b100 = await runBatches(detainers, 100);
      ctx.log('batches of 1,000');
      const b1000 = await runBatches(detainers, 1000);
      type Measured = { seconds: number; applied: number; cpuMs: number; statements: number };
      const rate = (r: Measured) => r.applied / r.seconds;
      const cost = (r: Measured) => [r.cpuMs / r.applied, r.statements / r.applied];
      tables.push({
        title: `Custody events applied per second, in-process HTTP, ${detainers.toLocaleString('en-US')} open requests (each: a release date given)`,
        columns: ['how', 'actions', 'applied', 'seconds', 'per second', 'vs single', 'node CPU ms/event', 'statements/event'],
        rows: [
          ['POST /detainers/:id/schedule-release, one at a time (baseline)', ids.length, single.applied, single.seconds, rate(single), 1, ...cost(single)],
          ['POST /custody-events, batches of 100', detainers, b100.applied, b100.seconds, rate(b100), rate(b100) / rate(single), ...cost(b100)],
          ['POST /custody-events, batches of 1,000', detainers, b1000.applied, b1000.seconds, rate(b1000), rate(b1000) / rate(single), ...cost(b1000)],
        ],
        notes: [
          'Target: at least 500 events/s. Each event is its own transaction through the same use case and decider as the endpoint, plus its stored row and audit entry.',
          'node CPU = this process (server and supertest client together), not PostgreSQL; statements = every statement the process sent, BEGIN/COMMIT and the audit chain included.',
          `load average when done: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores (other sessions share the machine)`,
        ],
      });

      ctx.log(`memory: ${total.toLocaleString('en-US')} events in batches of 1,000`);
      const mb = (bytes: number) => bytes / 1024 / 1024;
      const samples: number[] = [];
      const heaps: number[] = [];
      const tenthAt = Math.max(1, Math.floor(total / 1000 / 10));
      const long = await runBatches(total, 1000, () => {
        samples.push(mb(process.memoryUsage().rss));
        // the live heap (after a full collection) at the end of the first tenth and at the end
        if (samples.length === tenthAt || samples.length === Math.ceil(total / 1000)) {
          collectGarbage();
          heaps.push(mb(process.memoryUsage().heapUsed));
        }
      });
      const first = Math.max(...samples.slice(0, tenthAt));
      tables.push({
        title: `RSS across ${total.toLocaleString('en-US')} custody events (batches of 1,000; MB, sampled after each batch)`,
        columns: ['events', 'per second', 'RSS after first 10%', 'RSS max', 'RSS after last batch', 'growth first 10% → last', 'live heap after 10%', 'live heap at end'],
        rows: [[long.applied, rate(long), first, Math.max(...samples), samples.at(-1)!, samples.at(-1)! - first, heaps[0] ?? Number.NaN, heaps.at(-1) ?? Number.NaN]],
        notes: ['The server and the client (supertest) share this process: the figure includes both. Live heap = heapUsed after a full garbage collection.'],
      });
    } finally {
      counter.uninstall();
      await app.close();
      const server = new URL(url);
      const database = decodeURIComponent(server.pathname.slice(1));
      server.pathname = '/postgres';
      const { Client } = await import('pg');
      const adminDb = new Client({ connectionString: server.toString() });
      await adminDb.connect();
      await adminDb.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`).finally(() => adminDb.end());
    }
    return tables;
  },
};
