import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import type { Db } from '../db/database';
import { publish } from '../events/event-bus';
import { CACHE_CHANNEL } from '../realtime/event-fanout';
import { TwoLevelCache } from './two-level-cache';

declare module 'fastify' {
  interface FastifyInstance {
    /** Cached reads (analytics); dropped on every successful write and on change events from any process. */
    cache: TwoLevelCache;
  }
}

const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface CachePluginOptions {
  readonly db: Db;
  readonly settings: Config['cache'];
  readonly redis?: Redis;
}

/**
 * The two-level cache and its invalidation: a successful write through the API drops cached reads here
 * before the response leaves (so the writer's next read is fresh) and tells the other instances with NOTIFY;
 * job and data-source events from workers do the same through the real-time fan-out.
 */
export const cachePlugin = fp<CachePluginOptions>(
  (app, { db, settings, redis }, done) => {
    const cache = new TwoLevelCache({
      maxEntries: settings.maxEntries,
      ttlSeconds: settings.ttlSeconds,
      namespace: 'recon-cache',
      log: app.log,
      ...(redis === undefined ? {} : { redis }),
    });
    app.decorate('cache', cache);
    app.realtime.fanout.onDataChange(() => {
      void cache.invalidate();
    });
    app.addHook('onSend', async (request, reply) => {
      if (!WRITE_METHODS.has(request.method) || reply.statusCode >= 400) return;
      if (!request.url.startsWith('/api/')) return;
      await cache.invalidate();
      await publish(db, CACHE_CHANNEL, { type: 'cache.invalidate' }).catch((error: unknown) => {
        request.log.warn({ err: error }, 'cache invalidation notice failed');
      });
    });
    done();
  },
  { name: 'cache', dependencies: ['realtime'] },
);
