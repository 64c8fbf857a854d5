import IORedis, { RedisOptions } from 'ioredis';

/**
 * Workers block on Redis and must never give up on a command (`maxRetriesPerRequest: null`, as
 * BullMQ requires); producers and health checks fail fast instead of queueing commands while
 * Redis is down (`enableOfflineQueue: false`), so a request gets a clear 503.
 */
export function createRedisConnection(url: string, purpose: 'worker' | 'producer', name = 'detainer-workflow'): IORedis {
  const base: RedisOptions = { connectionName: `${name}-${purpose}`, lazyConnect: false };
  const options: RedisOptions =
    purpose === 'worker'
      ? { ...base, maxRetriesPerRequest: null, enableReadyCheck: true }
      : { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 3000, retryStrategy: (times) => Math.min(times * 200, 2000) };
  return new IORedis(url, options);
}

/** Deletes every key under `prefix:` (SCAN, never KEYS or FLUSH*: other users share the server). */
export async function deleteKeysWithPrefix(redis: IORedis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}
