import { ChildProcess, spawn } from 'node:child_process';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo, createServer as createNetServer } from 'node:net';
import path from 'node:path';
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { Clock, verifyWebhook, WEBHOOK_HEADERS } from '@app/application';
import { AppConfig } from '@app/config';
import { Database } from '@app/persistence';
import { deleteKeysWithPrefix } from '@app/queue';
import { createTestDatabase, TestDatabase, testConfig } from '@app/testing';
import { createApiApp } from '../../apps/api/src/create-api-app';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { systemDatabase } from './api-harness';

/** A clock that follows real time (BullMQ delays are real time), optionally shifted. */
class RealClock extends Clock {
  constructor(public offsetMs = 0) {
    super();
  }
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  /** Runs `work` as if it happened `offsetMs` from now (e.g. a detainer recorded 24 h ago), then returns to real time. */
  async shifted<T>(offsetMs: number, work: () => Promise<T>): Promise<T> {
    this.offsetMs = offsetMs;
    try {
      return await work();
    } finally {
      this.offsetMs = 0;
    }
  }
}

/** Polls until `check` returns a value other than undefined/false, or fails with `what`. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Waits until the worker has run everything due on `queues`: none has a job waiting, active or
 * prioritized, nor a delayed one due within `dueWithinMs` (a retry's backoff, an overdue reminder),
 * in two looks in a row (a finished job may add one to the next queue). Fails after `timeoutMs`
 * naming what is left, so a job that never runs fails the test; what the jobs did is then checked
 * at once, with no sleep for "room".
 */
export async function drainQueues(queues: readonly Queue[], opts: { timeoutMs?: number; dueWithinMs?: number } = {}): Promise<void> {
  const { timeoutMs = 15_000, dueWithinMs = 2_000 } = opts;
  const deadline = Date.now() + timeoutMs;
  const left = async (): Promise<string[]> => {
    const found: string[] = [];
    for (const queue of queues) {
      const counts = await queue.getJobCounts('wait', 'active', 'prioritized', 'waiting-children');
      for (const [state, n] of Object.entries(counts)) if (n > 0) found.push(`${queue.name}: ${n} ${state}`);
      const due = (await queue.getJobs(['delayed'])).filter((job) => job.timestamp + (job.opts.delay ?? 0) <= Date.now() + dueWithinMs);
      if (due.length > 0) found.push(`${queue.name}: ${due.length} delayed and due (${due.map((j) => j.name).join(', ')})`);
    }
    return found;
  };
  let emptyLooks = 0;
  for (;;) {
    const found = await left();
    emptyLooks = found.length === 0 ? emptyLooks + 1 : 0;
    if (emptyLooks === 2) return;
    if (Date.now() > deadline) throw new Error(`queues not drained after ${timeoutMs} ms: ${found.join('; ') || 'emptied only just now'}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

// ---------------------------------------------------------------- SMTP

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
  deliveryId: string | undefined;
}

/**
 * A real SMTP server in the test process. A message counts as received only once the server has
 * answered 250 to it (what SMTP means by accepted). `holdNext` keeps the next message's DATA
 * unanswered until released, to kill a sender in the middle of a delivery.
 */
export async function startSmtpSink() {
  const messages: ReceivedMail[] = [];
  let dataStarted = 0;
  let hold: { release: Promise<void>; onData: () => void } | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      dataStarted += 1;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      const received = async () => {
        const held = hold;
        if (held) {
          hold = null;
          held.onData();
          await held.release;
          callback(new Error('451 sender went away'));
          return;
        }
        const mail = await simpleParser(Buffer.concat(chunks));
        const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
        messages.push({
          to,
          subject: mail.subject ?? '',
          text: mail.text ?? '',
          messageId: mail.messageId ?? '',
          deliveryId: mail.headers.get('x-detainer-delivery-id') as string | undefined,
        });
        callback();
      };
      // A message the sink cannot parse is refused (the test sees the failed delivery) rather than left hanging.
      stream.on('end', () => { received().catch((error: unknown) => { callback(error instanceof Error ? error : new Error(String(error))); }); });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    get dataStarted() {
      return dataStarted;
    },
    /** The next message's DATA is held: resolves when it arrived; call the returned release() to answer (with a 451). */
    holdNext(): { arrived: Promise<void>; release: () => void } {
      let release!: () => void;
      let arrived!: () => void;
      const releasePromise = new Promise<void>((r) => (release = r));
      const arrivedPromise = new Promise<void>((r) => (arrived = r));
      hold = { release: releasePromise, onData: arrived };
      return { arrived: arrivedPromise, release };
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
export type SmtpSink = Awaited<ReturnType<typeof startSmtpSink>>;

// ---------------------------------------------------------------- webhooks

export interface ReceivedWebhook {
  deliveryId: string;
  event: string;
  body: string;
  json: Record<string, unknown>;
  validSignature: boolean;
  status: number;
}

/**
 * An agency's webhook endpoint. `respond(n)` gives the status for the n-th request (1-based), or
 * 'hang' to hold the request open. `accepted` dedupes by delivery id, as a receiver should.
 */
export async function startWebhookReceiver(respond: (n: number) => number | 'hang' = () => 200) {
  const requests: ReceivedWebhook[] = [];
  let secret = '';
  const hanging: IncomingMessage[] = [];
  let onHang: (() => void) | null = null;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const n = requests.length + 1;
      const outcome = respond(n);
      const status = outcome === 'hang' ? 0 : outcome;
      const header = (name: string) => req.headers[name] as string | undefined;
      requests.push({
        deliveryId: header(WEBHOOK_HEADERS.deliveryId) ?? '',
        event: header(WEBHOOK_HEADERS.event) ?? '',
        body,
        json: JSON.parse(body) as Record<string, unknown>,
        validSignature: verifyWebhook(secret, { timestamp: header(WEBHOOK_HEADERS.timestamp), signature: header(WEBHOOK_HEADERS.signature) }, body, Math.floor(Date.now() / 1000)),
        status,
      });
      if (outcome === 'hang') {
        hanging.push(req);
        onHang?.();
        return;
      }
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    requests,
    setSecret(s: string) {
      secret = s;
    },
    /** Distinct delivery ids answered 2xx: what a receiver that dedupes has accepted. */
    accepted(): ReceivedWebhook[] {
      const seen = new Map<string, ReceivedWebhook>();
      for (const r of requests) if (r.status >= 200 && r.status < 300 && !seen.has(r.deliveryId)) seen.set(r.deliveryId, r);
      return [...seen.values()];
    },
    nextHang(): Promise<void> {
      return new Promise((r) => (onHang = r));
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

// ---------------------------------------------------------------- Redis

/**
 * A private redis-server child process (never the shared one) for tests that lose Redis's data or
 * take Redis down: no persistence, so a restart starts empty.
 */
export async function startPrivateRedis(port?: number, extraArgs: string[] = []) {
  const chosen = port ?? (await freePort());
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', ...extraArgs], { stdio: 'ignore' });
    const probe = new IORedis({ port: chosen, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await eventually(async () => {
      await probe.connect().catch(() => undefined);
      return (await probe.ping()) === 'PONG';
    }, `redis-server on port ${chosen}`, 10_000, 50);
    probe.disconnect();
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((r) => {
      c.once('exit', () => r());
      c.kill('SIGKILL');
    });
    child = null;
  };
  await start();
  return { url: `redis://127.0.0.1:${chosen}`, port: chosen, stop, start };
}

/** Deletes this test's keys from the shared Redis (only under its own prefix). */
export async function deletePrefixedKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new IORedis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    await deleteKeysWithPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

// ---------------------------------------------------------------- API + worker

export interface ReminderStack {
  api: INestApplication;
  http: TestAgent;
  db: Database;
  config: AppConfig;
  database: TestDatabase;
  clock: RealClock;
  startWorker(): Promise<INestApplicationContext>;
  /** Runs the worker as a separate process (it can be SIGKILLed). */
  spawnWorker(env?: Record<string, string>): ChildProcess;
  close(): Promise<void>;
}

/** The API and, when asked, a worker, on a fresh database, with short delivery timings. */
export async function startReminderStack(opts: { env?: Record<string, string>; clock?: RealClock } = {}): Promise<ReminderStack> {
  const database = await createTestDatabase();
  const config = testConfig(database.url, {
    PUBLIC_URL: 'http://web.test',
    DELIVERY_ATTEMPTS: '3',
    DELIVERY_BACKOFF_MS: '100',
    JOB_LOCK_MS: '2000',
    RECONCILE_EVERY_MS: '600000',
    // The receivers of these tests listen on 127.0.0.1: the explicit test-only allowance.
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true',
    ...opts.env,
  });
  const clock = opts.clock ?? new RealClock();
  const api = await createApiApp(config, { clock });
  await api.init();
  const workers: INestApplicationContext[] = [];
  const children: ChildProcess[] = [];
  return {
    api,
    http: request(api.getHttpServer()),
    db: systemDatabase(api),
    config,
    database,
    clock,
    async startWorker() {
      // Its own real clock: the API's may be shifted to record something "in the past".
      const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, { clock: new RealClock() }), { logger: false });
      await worker.init();
      workers.push(worker);
      return worker;
    },
    spawnWorker(extraEnv = {}) {
      const root = path.resolve(__dirname, '../..');
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        DATABASE_URL: config.databaseUrl,
        REDIS_URL: config.redisUrl,
        QUEUE_PREFIX: config.queuePrefix,
        PUBLIC_URL: config.publicUrl,
        JWT_SECRET: config.jwt.secret,
        LOG_LEVEL: 'warn',
        DELIVERY_ATTEMPTS: String(config.reminders.deliveryAttempts),
        DELIVERY_BACKOFF_MS: String(config.reminders.deliveryBackoffMs),
        JOB_LOCK_MS: String(config.reminders.jobLockMs),
        WEBHOOK_ALLOW_PRIVATE_ADDRESSES: String(config.reminders.webhookAllowPrivateAddresses),
        RECONCILE_EVERY_MS: String(config.reminders.reconcileEveryMs),
        SWEEP_EVERY_MS: String(config.reminders.sweepEveryMs),
        REMINDER_LOCK_MS: String(config.reminders.reminderLockMs),
        AUDIT_SPOOL_DIR: config.auditSpoolDir,
        ...(config.smtpUrl ? { SMTP_URL: config.smtpUrl } : {}),
        ...extraEnv,
      };
      const child = spawn(process.execPath, ['-r', path.join(root, 'libs/testing/src/ts-register.js'), path.join(root, 'apps/worker/src/main.ts')], {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString('utf8')).slice(-20_000);
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      Object.defineProperty(child, 'output', { get: () => output });
      children.push(child);
      return child;
    },
    async close() {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      for (const w of workers) await w.close().catch(() => undefined);
      await api.close();
      await deletePrefixedKeys(config.redisUrl, config.queuePrefix).catch(() => undefined);
      await database.drop();
    },
  };
}
