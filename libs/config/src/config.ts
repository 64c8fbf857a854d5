import { hkdfSync } from 'node:crypto';

/**
 * The environment, validated once into a typed config. Nothing else reads process.env.
 * A bad value stops start-up with a message naming the setting.
 */
const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];
const WEEKDAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

export interface AppConfig {
  nodeEnv: NodeEnv;
  port: number;
  publicUrl: string;
  /** The application role's connection (API, worker): owns nothing, subject to row-level security. */
  databaseUrl: string;
  /** The owner's connection, for migrations (MIGRATION_DATABASE_URL; DATABASE_URL when unset). */
  migrationDatabaseUrl: string;
  /** A superuser's connection (DATABASE_ADMIN_URL), for preparing the roles only (`npm run db:prepare`, `npm start`); never used by the service. */
  databaseAdminUrl: string | null;
  /**
   * Requests that may wait for one of the pool's connections when all are in use, and for how long
   * (DATABASE_QUEUE_LIMIT, DATABASE_QUEUE_TIMEOUT_MS); past either, 503 with Retry-After.
   */
  databaseQueue: { limit: number; timeoutMs: number };
  /** True when DATABASE_URL was not set and the default was used. */
  databaseUrlIsDefault: boolean;
  redisUrl: string;
  queuePrefix: string;
  admin: { username: string; password: string } | null;
  smtpUrl: string | null;
  mailFrom: string;
  /** `developmentSecret`: JWT_SECRET was not set and the built-in development value signs tokens (refused in production). */
  jwt: { secret: string; audience: string; issuer: string; ttlSeconds: number; developmentSecret: boolean };
  report: { weekStart: WeekdayName; weekStartHour: number; timeZone: string };
  reminders: ReminderSettings;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimit: string;
  /** How often the worker links new audit entries into the hash chain (AUDIT_CHAIN_EVERY_MS). */
  auditChainEveryMs: number;
  /** Where audit entries wait when the database cannot take them (AUDIT_SPOOL_DIR), until it is back. */
  auditSpoolDir: string;
  /** REDIS_PERSISTENCE_VERIFIED: the operator's word that Redis persists (AOF) and does not evict, where Redis will not say (CONFIG and INFO disabled). */
  redisPersistenceVerified: boolean;
  security: SecurityConfig;
  /** Directory of the built web app (index.html and assets); null: `dist/web` beside the compiled API. */
  webRoot: string | null;
}

const ROLE_NAMES = ['officer', 'jail_staff', 'supervisor', 'admin', 'analyst'] as const;

/** Sessions, sign-in limits, second factor, and the HTTP edge (CORS, proxies). */
export interface SecurityConfig {
  /** CJIS AC-11: a session idle this long ends (at most 30 minutes). */
  sessionIdleMinutes: number;
  /** CJIS: re-authenticate at least every 12 hours, however busy the session. */
  sessionMaxHours: number;
  /** Privileged actions (admin changes) need a sign-in or re-authentication no older than this. */
  reauthMaxAgeMinutes: number;
  /** Roles that must use a TOTP second factor (MFA_REQUIRED_ROLES: comma list, `all` or `none`). */
  mfaRequiredRoles: (typeof ROLE_NAMES)[number][];
  /** Sign-in attempts allowed per client address and per username in a sliding window. */
  loginRate: { windowSeconds: number; perAddress: number; perUsername: number };
  /** Key (32 bytes) sealing second-factor and webhook secrets at rest: from ENCRYPTION_KEY, else derived from JWT_SECRET. */
  encryptionKey: Buffer;
  /** Key of the audit log's hash chain (HMAC-SHA256), derived like encryptionKey: the database alone cannot forge links. */
  auditChainKey: Buffer;
  /** Key signing list cursors (HMAC), derived like encryptionKey. */
  cursorKey: Buffer;
  /** Browser origins allowed by CORS; empty means CORS is off (no CORS headers at all). */
  corsOrigins: string[];
  /** Express `trust proxy` hops: 0 uses the socket address as the client address. */
  trustProxyHops: number;
}

/** Reminder delivery and queue timing (short values in tests, never in production). */
export interface ReminderSettings {
  /** Attempts per e-mail or webhook delivery before it is marked failed (DELIVERY_ATTEMPTS). */
  deliveryAttempts: number;
  /** First retry delay; each next one doubles (DELIVERY_BACKOFF_MS). */
  deliveryBackoffMs: number;
  /** How often the reconciler rebuilds Redis from PostgreSQL (RECONCILE_EVERY_MS). */
  reconcileEveryMs: number;
  /** BullMQ job lock; a worker that dies holding a job loses it after this long (JOB_LOCK_MS). */
  jobLockMs: number;
  /** BullMQ lock of reminder jobs (REMINDER_LOCK_MS): short, so a killed worker's reminders are handed on within seconds. */
  reminderLockMs: number;
  /** How often the worker's PostgreSQL-driven sweep runs (SWEEP_EVERY_MS): fires overdue reminders, checks Redis kept its data. */
  sweepEveryMs: number;
  /** Webhook request timeout (WEBHOOK_TIMEOUT_MS). */
  webhookTimeoutMs: number;
  /** WEBHOOK_ALLOW_PRIVATE_ADDRESSES: let webhooks reach loopback and private addresses (tests, labs). Off by default; refused in production. */
  webhookAllowPrivateAddresses: boolean;
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/detainers';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const DEV_JWT_SECRET = 'development-only-secret-not-for-production-use';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const v = read(name)?.toLowerCase();
    if (v === undefined) return fallback;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    problems.push(`${name}="${v}" is not one of: ${allowed.join(', ')}`);
    return fallback;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const v = read(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}="${v}" must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };
  const url = (name: string, fallback: string | undefined, protocols: string[]): string | undefined => {
    const v = read(name) ?? fallback;
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (!protocols.includes(u.protocol)) problems.push(`${name}="${redact(v)}" must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
    } catch {
      problems.push(`${name}="${redact(v)}" is not a valid URL`);
    }
    return v;
  };

  const nodeEnv = oneOf('NODE_ENV', NODE_ENVS, 'development');
  const port = int('PORT', 3000, 1, 65535);
  const databaseUrl = url('DATABASE_URL', DEFAULT_DATABASE_URL, ['postgres:', 'postgresql:']) ?? DEFAULT_DATABASE_URL;
  const migrationDatabaseUrl = url('MIGRATION_DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:']) ?? databaseUrl;
  const databaseAdminUrl = url('DATABASE_ADMIN_URL', undefined, ['postgres:', 'postgresql:']) ?? null;
  const redisUrl = url('REDIS_URL', DEFAULT_REDIS_URL, ['redis:', 'rediss:']) ?? DEFAULT_REDIS_URL;
  const smtpUrl = url('SMTP_URL', undefined, ['smtp:', 'smtps:']) ?? null;
  const publicUrl = url('PUBLIC_URL', `http://localhost:${port}`, ['http:', 'https:']) ?? `http://localhost:${port}`;

  const adminUsername = read('ADMIN_USERNAME');
  const adminPassword = read('ADMIN_PASSWORD');
  if ((adminUsername === undefined) !== (adminPassword === undefined)) {
    problems.push('ADMIN_USERNAME and ADMIN_PASSWORD must be set together');
  }
  if (nodeEnv === 'production' && (adminUsername === undefined || adminPassword === undefined)) {
    problems.push('ADMIN_USERNAME and ADMIN_PASSWORD are required in production (the first admin is created from them)');
  }
  if (adminPassword !== undefined && adminPassword.length < 12) {
    problems.push('ADMIN_PASSWORD must be at least 12 characters');
  }

  let jwtSecret = read('JWT_SECRET');
  if (jwtSecret === undefined) {
    if (nodeEnv === 'production') problems.push('JWT_SECRET is required in production (at least 32 random characters)');
    jwtSecret = DEV_JWT_SECRET;
  } else if (jwtSecret.length < 32) {
    problems.push('JWT_SECRET must be at least 32 characters');
  } else if (jwtSecret === DEV_JWT_SECRET && nodeEnv === 'production') {
    problems.push('JWT_SECRET is the development value shipped with the code; set a secret of your own (at least 32 random characters)');
  }

  const timeZone = read('REPORT_TIME_ZONE') ?? 'America/New_York';
  if (!isIanaZone(timeZone)) problems.push(`REPORT_TIME_ZONE="${timeZone}" is not an IANA time zone (e.g. America/New_York)`);

  const queuePrefix = read('QUEUE_PREFIX') ?? 'dw';
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(queuePrefix)) problems.push(`QUEUE_PREFIX="${queuePrefix}" may hold only letters, digits, _ and -`);

  const bodyLimit = read('BODY_LIMIT') ?? '100kb';
  if (!/^\d+(b|kb|mb)$/i.test(bodyLimit)) problems.push(`BODY_LIMIT="${bodyLimit}" must look like 100kb or 1mb`);

  const security = readSecurity(read, int, problems, jwtSecret, nodeEnv);

  const webhookAllowPrivateAddresses = oneOf('WEBHOOK_ALLOW_PRIVATE_ADDRESSES', ['true', 'false'] as const, 'false') === 'true';
  if (webhookAllowPrivateAddresses && nodeEnv === 'production') {
    problems.push('WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true is refused in production: webhooks would reach the service\'s own network');
  }

  const config: AppConfig = {
    nodeEnv,
    port,
    publicUrl: publicUrl.replace(/\/$/, ''),
    databaseUrl,
    migrationDatabaseUrl,
    databaseAdminUrl,
    databaseQueue: { limit: int('DATABASE_QUEUE_LIMIT', 1000, 0, 1_000_000), timeoutMs: int('DATABASE_QUEUE_TIMEOUT_MS', 30_000, 0, 600_000) },
    databaseUrlIsDefault: read('DATABASE_URL') === undefined,
    redisUrl,
    queuePrefix,
    admin: adminUsername && adminPassword ? { username: adminUsername, password: adminPassword } : null,
    smtpUrl,
    mailFrom: read('MAIL_FROM') ?? 'detainer-workflow <no-reply@detainers.localhost>',
    jwt: {
      secret: jwtSecret,
      audience: read('JWT_AUDIENCE') ?? 'detainer-workflow',
      issuer: read('JWT_ISSUER') ?? 'detainer-workflow',
      ttlSeconds: int('TOKEN_TTL_SECONDS', 900, 60, 12 * 3600),
      developmentSecret: jwtSecret === DEV_JWT_SECRET,
    },
    report: {
      weekStart: oneOf('REPORT_WEEK_START', WEEKDAY_NAMES, 'saturday'),
      weekStartHour: int('REPORT_WEEK_START_HOUR', 0, 0, 23),
      timeZone,
    },
    reminders: {
      deliveryAttempts: int('DELIVERY_ATTEMPTS', 8, 1, 50),
      deliveryBackoffMs: int('DELIVERY_BACKOFF_MS', 30_000, 10, 3_600_000),
      reconcileEveryMs: int('RECONCILE_EVERY_MS', 300_000, 1_000, 86_400_000),
      jobLockMs: int('JOB_LOCK_MS', 30_000, 1_000, 600_000),
      reminderLockMs: int('REMINDER_LOCK_MS', 5_000, 1_000, 600_000),
      sweepEveryMs: int('SWEEP_EVERY_MS', 5_000, 200, 600_000),
      webhookTimeoutMs: int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      webhookAllowPrivateAddresses,
    },
    logLevel: oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, nodeEnv === 'test' ? 'silent' : 'info'),
    bodyLimit,
    auditChainEveryMs: int('AUDIT_CHAIN_EVERY_MS', 10_000, 1_000, 3_600_000),
    auditSpoolDir: read('AUDIT_SPOOL_DIR') ?? '.data/audit-spool',
    redisPersistenceVerified: oneOf('REDIS_PERSISTENCE_VERIFIED', ['true', 'false'] as const, 'false') === 'true',
    security,
    webRoot: read('WEB_ROOT') ?? null,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function readSecurity(
  read: (name: string) => string | undefined,
  int: (name: string, fallback: number, min: number, max: number) => number,
  problems: string[],
  jwtSecret: string,
  nodeEnv: NodeEnv,
): SecurityConfig {
  // CJIS requires multi-factor authentication: in production every role needs it unless configured otherwise.
  const mfaRaw = read('MFA_REQUIRED_ROLES')?.toLowerCase() ?? (nodeEnv === 'production' ? 'all' : 'none');
  let mfaRequiredRoles: SecurityConfig['mfaRequiredRoles'] = [];
  if (mfaRaw === 'all') mfaRequiredRoles = [...ROLE_NAMES];
  else if (mfaRaw !== 'none') {
    const names = mfaRaw.split(',').map((r) => r.trim()).filter(Boolean);
    const unknown = names.filter((r) => !(ROLE_NAMES as readonly string[]).includes(r));
    if (unknown.length) problems.push(`MFA_REQUIRED_ROLES names unknown role(s) ${unknown.join(', ')}; use a comma list of ${ROLE_NAMES.join(', ')}, or all, or none`);
    mfaRequiredRoles = [...new Set(names.filter((r): r is (typeof ROLE_NAMES)[number] => (ROLE_NAMES as readonly string[]).includes(r)))];
  }

  const keyText = read('ENCRYPTION_KEY');
  if (keyText !== undefined && keyText.length < 32) problems.push('ENCRYPTION_KEY must be at least 32 characters');
  // Without ENCRYPTION_KEY the key is derived from JWT_SECRET: rotating that secret then voids every enrolment.
  const encryptionKey = Buffer.from(hkdfSync('sha256', keyText ?? jwtSecret, 'detainer-workflow', 'second-factor-secrets', 32));
  const auditChainKey = Buffer.from(hkdfSync('sha256', keyText ?? jwtSecret, 'detainer-workflow', 'audit-chain', 32));
  const cursorKey = Buffer.from(hkdfSync('sha256', keyText ?? jwtSecret, 'detainer-workflow', 'cursors', 32));

  const corsOrigins = (read('CORS_ORIGINS') ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of corsOrigins) {
    let ok = false;
    try {
      const u = new URL(origin);
      ok = (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === origin;
    } catch {
      ok = false;
    }
    if (!ok) problems.push(`CORS_ORIGINS entry "${origin}" is not an origin like https://jms.example.gov (scheme, host, optional port; no path, no *)`);
  }

  return {
    sessionIdleMinutes: int('SESSION_IDLE_MINUTES', 30, 1, 30),
    sessionMaxHours: int('SESSION_MAX_HOURS', 12, 1, 12),
    reauthMaxAgeMinutes: int('REAUTH_MAX_AGE_MINUTES', 15, 1, 60),
    mfaRequiredRoles,
    loginRate: {
      windowSeconds: int('LOGIN_RATE_WINDOW_SECONDS', 300, 10, 86_400),
      perAddress: int('LOGIN_RATE_PER_ADDRESS', 30, 1, 1_000_000),
      perUsername: int('LOGIN_RATE_PER_USERNAME', 10, 1, 1_000_000),
    },
    encryptionKey,
    auditChainKey,
    cursorKey,
    corsOrigins,
    trustProxyHops: int('TRUST_PROXY_HOPS', 0, 0, 10),
  };
}

/** For process entry points: the config, or the list of bad settings on stderr and exit code 78 (EX_CONFIG). */
export function loadConfigOrExit(env: Env = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
}

function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

/** Hides a password in a connection URL before it goes into a message or a log. */
export function redact(connectionUrl: string): string {
  try {
    const u = new URL(connectionUrl);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return connectionUrl.replace(/\/\/([^:/@]+):[^@]+@/, '//$1:***@');
  }
}
