import IORedis from 'ioredis';

/** What the worker needs of Redis, as found at start-up; `unknown` when Redis would not say. */
export interface RedisDurability {
  appendonly: 'yes' | 'no' | 'unknown';
  maxmemoryPolicy: string;
  /** How it was read: CONFIG GET, or INFO where CONFIG is disabled (managed Redis often renames or forbids it). */
  source: 'config' | 'info' | 'none';
}

export interface RedisDurabilityVerdict {
  /** Problems that stop the worker (production: no append-only persistence; any environment: an evicting policy). */
  refuse: string[];
  /** Problems worth a warning only (development without persistence; settings that could not be read). */
  warn: string[];
}

/** Reads `appendonly` and `maxmemory-policy`: CONFIG GET, else INFO persistence / memory. */
export async function readRedisDurability(redis: IORedis): Promise<RedisDurability> {
  try {
    const [aof, policy] = await Promise.all([redis.config('GET', 'appendonly') as Promise<string[]>, redis.config('GET', 'maxmemory-policy') as Promise<string[]>]);
    if (aof.length >= 2 && policy.length >= 2) return { appendonly: aof[1] === 'yes' ? 'yes' : 'no', maxmemoryPolicy: policy[1], source: 'config' };
  } catch {
    // CONFIG disabled (ERR unknown command, NOPERM): INFO below.
  }
  try {
    const info = await redis.info();
    const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
    const aof = field('aof_enabled');
    const policy = field('maxmemory_policy');
    if (aof !== undefined || policy !== undefined) {
      return { appendonly: aof === undefined ? 'unknown' : aof === '1' ? 'yes' : 'no', maxmemoryPolicy: policy ?? 'unknown', source: 'info' };
    }
  } catch {
    // INFO disabled too.
  }
  return { appendonly: 'unknown', maxmemoryPolicy: 'unknown', source: 'none' };
}

/**
 * Without append-only persistence a Redis restart loses every queued job (the reconciler and the
 * sweep rebuild them from PostgreSQL, but late); with an evicting policy Redis deletes jobs under
 * memory pressure, and BullMQ refuses to run. `verified` is the operator's word that persistence is
 * on where Redis will not say (REDIS_PERSISTENCE_VERIFIED=true).
 */
export function judgeRedisDurability(found: RedisDurability, opts: { production: boolean; verified: boolean }): RedisDurabilityVerdict {
  const refuse: string[] = [];
  const warn: string[] = [];
  if (found.maxmemoryPolicy !== 'noeviction' && found.maxmemoryPolicy !== 'unknown') {
    refuse.push(
      `Redis maxmemory-policy is "${found.maxmemoryPolicy}", but queued reminders need "noeviction" (Redis may otherwise delete jobs under memory pressure). ` +
        'Fix: redis-cli CONFIG SET maxmemory-policy noeviction, and set "maxmemory-policy noeviction" in redis.conf (on managed Redis, in its parameter group).',
    );
  }
  if (found.appendonly === 'no') {
    const message =
      'Redis runs without append-only persistence (appendonly no): a restart loses every queued job, and reminders go out late, once the worker rebuilds them from PostgreSQL. ' +
      'Fix: redis-cli CONFIG SET appendonly yes && redis-cli CONFIG REWRITE, or "appendonly yes" in redis.conf (on managed Redis, turn on AOF in its parameter group).';
    (opts.production ? refuse : warn).push(message);
  }
  const unknown = [found.appendonly === 'unknown' ? 'appendonly' : null, found.maxmemoryPolicy === 'unknown' ? 'maxmemory-policy' : null].filter((x) => x !== null);
  if (unknown.length && !opts.verified) {
    const message =
      `Redis would not tell its ${unknown.join(' and ')} (CONFIG and INFO are disabled, as on some managed services). ` +
      "Check in your provider's console that append-only persistence is on and the eviction policy is noeviction, then set REDIS_PERSISTENCE_VERIFIED=true.";
    (opts.production ? refuse : warn).push(message);
  }
  return { refuse, warn };
}
