import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { metrics } from '../observability/platform-metrics';

export interface TwoLevelCacheOptions {
  readonly maxEntries: number;
  readonly ttlSeconds: number;
  /** Second level shared by instances; memory only when absent. */
  readonly redis?: Redis;
  /** Prefix of Redis keys, so several caches (or test runs) do not collide. */
  readonly namespace: string;
  readonly log: Pick<FastifyBaseLogger, 'warn'>;
}

/** JSON-serialisable values only: they may travel through Redis. */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * An in-process LRU in front of Redis (when configured). Invalidation is wholesale and cheap: `invalidate()`
 * clears the memory level and bumps a generation number that is part of every Redis key, so entries
 * written before a change are never read again (they expire by TTL). Any process may bump; extra bumps only
 * cost a few misses. Redis errors degrade to memory-only, never to a failed request.
 */
export class TwoLevelCache {
  private readonly memory: LRUCache<string, { value: Json }>;
  private localGeneration = 0;

  constructor(private readonly options: TwoLevelCacheOptions) {
    this.memory = new LRUCache({ max: options.maxEntries, ttl: options.ttlSeconds * 1000 });
  }

  private get generationKey(): string {
    return `${this.options.namespace}:gen`;
  }

  private async redisGeneration(redis: Redis): Promise<string> {
    return (await redis.get(this.generationKey)) ?? '0';
  }

  /**
   * The cached value of `key`, or `load()`'s result, cached. Put everything that decides what the caller may
   * see (user id, project id) into `key`.
   */
  async getOrLoad<T extends Json>(
    key: string,
    load: () => Promise<T>,
    parse: (value: unknown) => T,
  ): Promise<T> {
    const generation = this.localGeneration;
    const local = this.memory.get(key);
    metrics.cacheLookup('memory', local !== undefined);
    if (local !== undefined) return parse(local.value);
    const { redis } = this.options;
    let redisKey: string | undefined;
    if (redis !== undefined) {
      try {
        redisKey = `${this.options.namespace}:${await this.redisGeneration(redis)}:${key}`;
        const text = await redis.get(redisKey);
        metrics.cacheLookup('redis', text !== null);
        if (text !== null) {
          const value = parse(JSON.parse(text));
          this.remember(key, value, generation);
          return value;
        }
      } catch (error) {
        this.options.log.warn({ err: error }, 'redis cache read failed');
        redisKey = undefined;
      }
    }
    const value = await load();
    this.remember(key, value, generation);
    if (redis !== undefined && redisKey !== undefined) {
      await redis
        .set(redisKey, JSON.stringify(value), 'EX', this.options.ttlSeconds)
        .catch((error: unknown) => {
          this.options.log.warn({ err: error }, 'redis cache write failed');
        });
    }
    return value;
  }

  // A load that started before an invalidation must not store its (possibly stale) result afterwards.
  private remember(key: string, value: Json, generation: number): void {
    if (generation === this.localGeneration) this.memory.set(key, { value });
  }

  /** Forgets everything: the memory level at once, the Redis level by moving to a new generation. */
  async invalidate(): Promise<void> {
    this.localGeneration += 1;
    this.memory.clear();
    const { redis } = this.options;
    if (redis === undefined) return;
    await redis.incr(this.generationKey).catch((error: unknown) => {
      this.options.log.warn({ err: error }, 'redis cache invalidation failed');
    });
  }

  get memorySize(): number {
    return this.memory.size;
  }
}
