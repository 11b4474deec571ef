import { timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { AppError } from '@recon/shared';
import type { Db } from '../db/database';
import { httpDuration, httpRequests, registry } from '../observability/platform-metrics';
import { RequestWindow } from '../observability/request-window';
import { useScrapeSource } from '../observability/scrape-sources';

declare module 'fastify' {
  interface FastifyInstance {
    /** Recent request latencies and statuses, for `GET /api/system/metrics`. */
    requestWindow: RequestWindow;
  }
}

export interface MetricsPluginOptions {
  readonly db: Db;
  readonly pool: pg.Pool | undefined;
  readonly dataDir: string;
  /** When set, `/metrics` needs `Authorization: Bearer <token>`. */
  readonly token: string | undefined;
}

// Unmatched URLs share one label: raw paths would let any client create unbounded series.
const UNMATCHED_ROUTE = '(unmatched)';

function hasToken(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return false;
  const given = Buffer.from(header.replace(/^Bearer\s+/i, ''));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Counts every request by method, route pattern and status (Prometheus counter + histogram and an in-memory
 * window for percentiles), and serves `GET /metrics` in the Prometheus text format.
 */
export const metricsPlugin = fp<MetricsPluginOptions>(
  (app, options, done) => {
    const window = new RequestWindow();
    app.decorate('requestWindow', window);
    const release = useScrapeSource({ db: options.db, pool: options.pool, dataDir: options.dataDir });
    app.addHook('onClose', (_instance, next) => {
      release();
      next();
    });
    app.addHook('onResponse', (request, reply, next) => {
      const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
      const labels = { method: request.method, route, status: String(reply.statusCode) };
      const seconds = reply.elapsedTime / 1000;
      httpRequests.inc(labels);
      httpDuration.observe(labels, seconds);
      if (route !== '/metrics') window.add(reply.elapsedTime, reply.statusCode);
      next();
    });
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      if (options.token !== undefined && !hasToken(request, options.token))
        throw new AppError('UNAUTHENTICATED', 'The metrics token is missing or wrong', {
          headers: { 'www-authenticate': 'Bearer' },
        });
      const text = await registry.metrics();
      return reply
        .header('content-type', registry.contentType)
        .header('cache-control', 'no-store')
        .send(text);
    });
    done();
  },
  { name: 'metrics' },
);
