import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';

/**
 * A Redis connection for the optional accelerators (rate-limit counters, second cache level). Redis is never
 * required for correctness: commands fail fast while it is down (no offline queue, one retry) and callers
 * fall back to their in-process path.
 */
export function connectRedis(url: string, log: Pick<FastifyBaseLogger, 'warn'>): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 1000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
  });
  let isWarned = false;
  redis.on('error', (error: Error) => {
    // Log once per outage, not once per retry.
    if (!isWarned) log.warn({ err: error }, 'redis unavailable; using in-process fallbacks');
    isWarned = true;
  });
  redis.on('ready', () => {
    isWarned = false;
    // Queue commands only until the first connection: during a later outage they fail at once and callers
    // fall back, instead of every request waiting for reconnect attempts.
    redis.options.enableOfflineQueue = false;
  });
  return redis;
}

/** Closes the connection without waiting for a server that may be gone. */
export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
