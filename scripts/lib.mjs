// Helpers shared by the start and test launchers. Node built-ins only: these run before `npm ci`.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import net from 'node:net';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/detainers';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export function say(message) {
  process.stdout.write(`\x1b[1m[detainer-workflow]\x1b[0m ${message}\n`);
}

export function fail(message, code = 1) {
  process.stderr.write(`\n\x1b[31m✖ ${message}\x1b[0m\n\n`);
  process.exit(code);
}

export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', () => resolve(127));
  });
}

/** Installs dependencies when node_modules is missing or older than the lock file. */
export async function ensureDependencies() {
  const marker = 'node_modules/.package-lock.json';
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync('package-lock.json').mtimeMs) return;
  say('Installing dependencies (npm ci)…');
  const code = await run('npm', ['ci', '--no-audit', '--no-fund']);
  if (code !== 0) fail('npm ci failed (see above). Check your network access to the npm registry and Node.js >= 20.19.');
}

export function checkNodeVersion() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) fail(`Node.js ${process.versions.node} is too old: this service needs Node.js 20.19 or newer.`);
}

/** Opens a TCP connection and, when `probe` is given, sends it and waits for a reply. */
export function reachable(host, port, { timeoutMs = 1500, probe, expect } = {}) {
  return new Promise((resolve) => {
    const socket = net.createConnection({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => {
      if (!probe) return done(true);
      socket.write(probe);
    });
    socket.on('data', (data) => done(expect ? expect.test(data.toString()) : true));
  });
}

export function hostPort(url, defaultPort) {
  const u = new URL(url);
  return { host: u.hostname || '127.0.0.1', port: Number(u.port || defaultPort) };
}

export async function redisAnswers(url) {
  const { host, port } = hostPort(url, 6379);
  const u = new URL(url);
  if (u.protocol === 'rediss:' || u.password) return reachable(host, port); // TLS or AUTH: a TCP check is all we can do here
  return reachable(host, port, { probe: 'PING\r\n', expect: /^\+PONG|^-NOAUTH/ });
}

export function redisHowTo(url) {
  return [
    `Redis is not reachable at ${url}. The reminder queues (BullMQ) need a real Redis; there is no embedded fallback.`,
    'Start one, then run the command again:',
    '  • where Docker runs:        docker compose up -d redis',
    '  • Debian/Ubuntu:            sudo apt install redis-server   (then: sudo systemctl start redis-server)',
    '  • without systemd:          redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --maxmemory-policy noeviction',
    '  • macOS (Homebrew):         brew install redis && brew services start redis',
    '  • elsewhere:                set REDIS_URL=redis://host:port',
  ].join('\n');
}

export function postgresHowTo(url) {
  return [
    `PostgreSQL is not reachable at ${url}.`,
    'Start it, then run the command again:',
    '  • where Docker runs:        docker compose up -d postgres',
    '  • Debian/Ubuntu:            sudo pg_ctlcluster <version> main start   (or: sudo systemctl start postgresql)',
    '  • elsewhere:                set DATABASE_URL=postgres://user:password@host:5432/detainers',
  ].join('\n');
}
