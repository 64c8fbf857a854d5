#!/usr/bin/env node
// `npm test`: every test, against the real PostgreSQL and Redis. It never falls back to stand-ins:
// when a server is missing it says which and how to start it, and fails.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkNodeVersion, ensureDependencies, fail, hostPort, postgresHowTo, reachable, redisAnswers, redisHowTo, run, say } from './lib.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

checkNodeVersion();
await ensureDependencies();

const databaseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const { host, port } = hostPort(databaseUrl, 5432);
if (!(await reachable(host, port))) fail(`The tests need a real PostgreSQL.\n${postgresHowTo(databaseUrl)}`);
if (!(await redisAnswers(redisUrl))) fail(`The tests need a real Redis.\n${redisHowTo(redisUrl)}`);
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  fail(`The browser tests need Chromium at ${chromium}.\n  • Debian/Ubuntu:  sudo apt-get install -y chromium\n  • elsewhere:      set CHROMIUM_PATH to a Chromium or Chrome binary`);
}

const steps = [
  // The web app's API types come from the API's own OpenAPI document (apps/web/src/api/openapi.gen.ts).
  ['web app API types from the OpenAPI document', process.execPath, ['scripts/openapi-types.mjs'], { env: { TEST_DATABASE_URL: databaseUrl } }],
  ['type-check', 'npx', ['--no-install', 'tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['type-check (web app)', 'npx', ['--no-install', 'tsc', '-p', 'apps/web/tsconfig.json']],
  ['type-check (web app tests and config)', 'npx', ['--no-install', 'tsc', '-p', 'apps/web/tsconfig.node.json']],
  ['type-check (browser tests)', 'npx', ['--no-install', 'tsc', '-p', 'test/browser/tsconfig.json']],
  // typescript-eslint's strict type-checked rules with the layer rules of eslint.layers.mjs (the domain is pure, libs never
  // import the apps, the web app keeps to its folder); after the API types, which the web app's code is checked against.
  // The cache keeps a file's findings while its text and the config are unchanged (a cold run takes about two minutes).
  ['lint (strict type-checked, and the layer rules)', 'npx', ['--no-install', 'eslint', '.', '--cache', '--cache-location', 'node_modules/.cache/eslint/', '--cache-strategy', 'content']],
  ['lint layer rules fire', process.execPath, ['--test', 'scripts/lint-layers.test.mjs']],
  ['unit tests', 'npx', ['--no-install', 'jest', '--config', 'jest.unit.config.js', '--maxWorkers=2']],
  ['integration and end-to-end tests', 'npx', ['--no-install', 'jest', '--config', 'jest.int.config.js', '--maxWorkers=2']],
  ['web app build', 'npx', ['--no-install', 'vite', 'build', '--config', 'apps/web/vite.config.mts', '--logLevel', 'warn']],
  // Headless Chromium against the real API; screenshots land in test-artifacts/browser/.
  ['browser tests', 'npx', ['--no-install', 'jest', '--config', 'jest.browser.config.js', '--maxWorkers=1']],
];

const results = [];
for (const [name, command, args, options] of steps) {
  say(`Running ${name}…`);
  const started = Date.now();
  const code = await run(command, args, { env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1', ...options?.env } });
  results.push({ name, code, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}

process.stdout.write('\n');
for (const r of results) say(`${r.code === 0 ? '\x1b[32m✔\x1b[0m' : '\x1b[31m✖\x1b[0m'} ${r.name} (${r.seconds} s)`);
const failed = results.filter((r) => r.code !== 0);
if (failed.length) fail(`${failed.map((r) => r.name).join(', ')} failed.`);
say('All tests passed.');
