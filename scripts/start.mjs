#!/usr/bin/env node
// `npm start`: the whole service for a first look, on a fresh machine.
// Installs, builds, finds PostgreSQL (or runs an embedded one), checks Redis, migrates, loads demo
// data into an empty database, starts the API and the worker, and prints the URL and demo logins.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  checkNodeVersion, DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, ensureDependencies, fail, hostPort, postgresHowTo, reachable, redisAnswers,
  redisHowTo, run, say,
} from './lib.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const forceEmbedded = process.argv.includes('--embedded-postgres');

const DEMO_ADMIN = { username: 'admin', password: 'harbor-lantern-2026' };
const DEMO_PASSWORD = 'demo-password-2026';

checkNodeVersion();
await ensureDependencies();

say('Building (nest build, then the web app with vite)…');
if ((await run('npx', ['--no-install', 'nest', 'build', 'api'])) !== 0) fail('The build failed (see above).');
if ((await run('npx', ['--no-install', 'vite', 'build', '--config', 'apps/web/vite.config.mts', '--logLevel', 'warn'])) !== 0) fail('The web app build failed (see above).');

const env = {
  ...process.env,
  NODE_ENV: process.env.NODE_ENV ?? 'development',
  PORT: process.env.PORT ?? '3000',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  ADMIN_USERNAME: process.env.ADMIN_USERNAME ?? DEMO_ADMIN.username,
  ADMIN_PASSWORD: process.env.ADMIN_PASSWORD ?? DEMO_ADMIN.password,
  DEMO_PASSWORD: process.env.DEMO_PASSWORD ?? DEMO_PASSWORD,
};

// PostgreSQL: the configured one, else localhost, else an embedded server keeping its data in .data/
let embedded = null;
if (env.DATABASE_URL && !forceEmbedded) {
  const { host, port } = hostPort(env.DATABASE_URL, 5432);
  if (!(await reachable(host, port))) fail(postgresHowTo(env.DATABASE_URL));
} else if (!forceEmbedded && (await reachable('127.0.0.1', 5432))) {
  env.DATABASE_URL = DEFAULT_DATABASE_URL;
} else {
  embedded = await startEmbeddedPostgres();
  env.DATABASE_URL = embedded.url;
}

env.REDIS_URL = env.REDIS_URL ?? DEFAULT_REDIS_URL;
if (!(await redisAnswers(env.REDIS_URL))) {
  await embedded?.stop();
  fail(redisHowTo(env.REDIS_URL));
}

const port = Number(env.PORT);
if (await reachable('127.0.0.1', port)) {
  await embedded?.stop();
  fail(`Port ${port} is already in use. Stop what runs there, or choose another: PORT=${port + 1} npm start`);
}

say(`Database: ${env.DATABASE_URL.replace(/:[^:@/]+@/, ':***@')}${embedded ? ' (embedded, data in .data/postgres)' : ''}`);
say(`Redis:    ${env.REDIS_URL}`);
// Least privilege, as in production: the URL found above (a superuser) only prepares two roles; the
// migrations run as the owner, and the API and worker connect as the application role.
const roles = databaseRoles(env.DATABASE_URL);
env.DATABASE_ADMIN_URL = env.DATABASE_URL;
env.MIGRATION_DATABASE_URL = roles.ownerUrl;
env.DATABASE_URL = roles.applicationUrl;
const cli = (command) => run(process.execPath, ['dist/apps/cli/src/main.js', command], { env });
if ((await cli('prepare-database')) !== 0) await stopAll('Preparing the database roles failed (see above).');
if ((await cli('migrate')) !== 0) await stopAll('Migrations failed (see above).');
if ((await cli('seed-demo')) !== 0) await stopAll('Loading demo data failed (see above).');
// The web app's API types, from the API's OpenAPI document (for editors and `npm run typecheck`; the build does not need them).
if ((await run(process.execPath, ['scripts/openapi-types.mjs'], { env, stdio: ['ignore', 'ignore', 'inherit'] })) !== 0) say('Could not generate apps/web/src/api/openapi.gen.ts (see above); the service runs without it.');

const children = [];
const launch = (name, script) => {
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (stream, out) => {
    let buffer = '';
    stream.on('data', (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const line of lines) out.write(`${name.padEnd(6)} | ${line}\n`);
    });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (!shuttingDown) void stopAll(`The ${name} stopped unexpectedly (${signal ?? `exit code ${code}`}).`);
  });
  children.push(child);
};
let shuttingDown = false;
launch('api', 'dist/apps/api/src/main.js');
launch('worker', 'dist/apps/worker/src/main.js');

const url = `http://localhost:${port}`;
if (!(await waitForReady(`${url}/health/ready`, 60_000))) await stopAll('The API did not become ready within 60 s (see its output above).');

const logins = [
  ['admin', env.ADMIN_USERNAME, env.ADMIN_PASSWORD],
  ['officer (Seattle AOR)', 'officer.sea', env.DEMO_PASSWORD],
  ['supervisor (Seattle AOR)', 'supervisor.sea', env.DEMO_PASSWORD],
  ['jail staff (King County, WA)', 'jail.king', env.DEMO_PASSWORD],
  ['officer (Chicago AOR)', 'officer.chi', env.DEMO_PASSWORD],
  ['jail staff (Cook County, IL)', 'jail.cook', env.DEMO_PASSWORD],
  ['analyst', 'analyst', env.DEMO_PASSWORD],
];
process.stdout.write(`
  detainer-workflow is running (API and worker).

    Web app        ${url}/   (sign in with a demo login below)
    API            ${url}/api/v1
    API docs       ${url}/docs   (OpenAPI JSON: ${url}/docs-json)
    Health         ${url}/health/ready

  Demo sign-ins (the web app, or POST ${url}/api/v1/auth/token):
${logins.map(([role, user, pass]) => `    ${role.padEnd(30)} ${user.padEnd(16)} ${pass}`).join('\n')}

  Database roles: ${roles.owner} owns the schema and runs migrations; the API and worker connect as
  ${roles.application}, which owns nothing and sees rows through row-level security.
  Second factor: off in this demo (NODE_ENV=development). In production (NODE_ENV=production) every
  role must sign in with a second factor unless MFA_REQUIRED_ROLES says otherwise.

  Reminders reach demo users in their inbox (GET /api/v1/notifications) and, with no SMTP_URL,
  as e-mails written to .data/mail/*.eml.

  Try:  curl -s -X POST ${url}/api/v1/auth/token -H 'content-type: application/json' \\
          -d '{"username":"officer.sea","password":"${env.DEMO_PASSWORD}"}'

  Ctrl+C stops everything.
`);

process.on('SIGINT', () => void stopAll());
process.on('SIGTERM', () => void stopAll());

async function stopAll(error) {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.on('exit', r)) : null)));
  await embedded?.stop();
  if (error) fail(error);
  say('Stopped.');
  process.exit(0);
}

/** The two roles of the database in `adminUrl` (named after it), with passwords for this machine's demo only. */
function databaseRoles(adminUrl) {
  const url = new URL(adminUrl);
  const base = decodeURIComponent(url.pathname.replace(/^\//, '') || 'detainers').toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const as = (user) => {
    const u = new URL(adminUrl);
    u.username = user;
    u.password = `${user}-demo-only`;
    return u.toString();
  };
  return { owner: `${base}_owner`, application: `${base}_app`, ownerUrl: as(`${base}_owner`), applicationUrl: as(`${base}_app`) };
}

async function waitForReady(readyUrl, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(readyUrl);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function startEmbeddedPostgres() {
  say('No PostgreSQL answers on 127.0.0.1:5432 and DATABASE_URL is not set: starting an embedded PostgreSQL (data in .data/postgres)…');
  const require = createRequire(import.meta.url);
  const { default: EmbeddedPostgres } = await import(require.resolve('embedded-postgres'));
  const databaseDir = path.join(root, '.data', 'postgres');
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  const port = 54329;
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (e) => process.stderr.write(`postgres | ${e}\n`),
  });
  const { existsSync } = await import('node:fs');
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/detainers`, stop: () => pg.stop().catch(() => undefined) };
}
