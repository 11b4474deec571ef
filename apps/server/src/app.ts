import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type pg from 'pg';
import { z } from 'zod';
import type { ResolvedConfig } from './config';
import type { Db } from './db/database';
import { loadMigrations, type Migration } from './db/migrate';
import type { AppDeps } from './deps';
import { apiKeyRoutes } from './features/api-keys/api-keys.routes';
import { auditRoutes } from './features/audit/audit.routes';
import { authRoutes } from './features/auth/auth.routes';
import { AccessTokens } from './features/auth/tokens';
import { healthRoutes } from './features/health/health.routes';
import { memberRoutes } from './features/projects/members.routes';
import { projectRoutes } from './features/projects/projects.routes';
import { userRoutes } from './features/users/users.routes';
import { createLogger } from './lib/logger';
import { authPlugin } from './plugins/auth.plugin';
import { errorsPlugin } from './plugins/errors.plugin';
import { projectAccessPlugin } from './plugins/project-access.plugin';
import { webAppPlugin } from './plugins/web-app.plugin';
import { createReconDeps, type ReconDeps } from './queue/recon-deps';
import { dataSourceRoutes } from './features/data-sources/data-sources.routes';
import { ruleSetRoutes } from './features/rule-sets/rule-sets.routes';
import { jobRoutes } from './features/jobs/jobs.routes';
import { resultRoutes } from './features/results/results.routes';
import { reviewRoutes } from './features/review/review.routes';
import { closeRedis, connectRedis } from './cache/redis-client';
import { csrfPlugin } from './plugins/csrf.plugin';
import { rateLimitPlugin } from './plugins/rate-limit.plugin';
import { securityPlugin } from './plugins/security.plugin';
import compress from '@fastify/compress';
import { metricsPlugin } from './plugins/metrics.plugin';
import { systemRoutes } from './features/system/system.routes';
import { realtimePlugin } from './realtime/realtime.plugin';
import { cachePlugin } from './cache/cache.plugin';
import { analyticsRoutes } from './features/analytics/analytics.routes';

export interface BuildOptions {
  /** The database the app uses; the caller opens and closes it. */
  readonly db: Db;
  /** Migration list for readiness; loaded from disk when omitted. */
  readonly migrations?: Migration[];
  /** Share the process logger; a new one from config when omitted. */
  readonly logger?: Logger;
  /** Storage, queue and upload limit of the data-source and job features; defaults from config when omitted. */
  readonly recon?: Partial<ReconDeps>;
  /** The pool behind `db`, for the pool gauges of `/metrics`. */
  readonly pool?: pg.Pool;
  /** Connection string of `db`, for the LISTEN connection of the WebSocket fan-out; in-process only when absent. */
  readonly databaseUrl?: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds the HTTP application without listening: external plugins, then app plugins, then routes.
 * Tests drive it with `app.inject()`; `main.ts` calls `listen`.
 */
export async function buildApp(config: ResolvedConfig, options: BuildOptions) {
  const { db } = options;
  const migrations = options.migrations ?? (await loadMigrations());
  const app = Fastify({
    loggerInstance: options.logger ?? createLogger(config),
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // Accept a caller's X-Request-Id when it is sane, so one id follows a request across services.
    genReqId: (request) => {
      const header = request.headers['x-request-id'];
      return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    },
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const deps: AppDeps = {
    config,
    db,
    tokens: new AccessTokens(config.auth.jwtSecret, config.auth.accessTokenTtlSeconds),
  };
  const recon = createReconDeps(
    { dataDir: config.dataDir, db, log: app.log },
    { uploadMaxBytes: config.uploadMaxBytes, ...options.recon },
  );
  app.addHook('onClose', () => recon.queue.stop());

  // External plugins.
  await app.register(errorsPlugin);
  await app.register(metricsPlugin, {
    db,
    pool: options.pool,
    dataDir: config.dataDir,
    token: config.metricsToken,
  });
  await app.register(cookie);
  if (config.corsOrigins.length > 0) {
    await app.register(cors, { origin: [...config.corsOrigins], credentials: true });
  }
  await app.register(securityPlugin);
  // gzip/brotli (quality 4) for bodies of 1 KiB and more; smaller ones cost more to compress than they save.
  await app.register(compress, { threshold: 1024, encodings: ['br', 'gzip'] });
  // Optional Redis: shared rate-limit counters and the second cache level.
  const redis = config.redisUrl === undefined ? undefined : connectRedis(config.redisUrl, app.log);
  if (redis !== undefined) app.addHook('onClose', () => closeRedis(redis));
  await app.register(rateLimitPlugin, {
    limits: config.rateLimit,
    ...(redis === undefined ? {} : { redis }),
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: '378 Reconciliation Platform API',
        version: '0.1.0',
        description: 'Errors are application/problem+json with a stable `code`. JSON is snake_case.',
      },
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'Access token (JWT) or API key (rk_...)',
          },
          apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: 'recon_access' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  // App plugins.
  await app.register(authPlugin, { deps });
  await app.register(projectAccessPlugin, { db });
  await app.register(csrfPlugin, { cookieSecure: config.auth.cookieSecure });

  // Routes.
  app.get(
    '/openapi.json',
    { schema: { hide: true, response: { 200: z.record(z.string(), z.unknown()) } } },
    () => app.swagger() as unknown as Record<string, unknown>,
  );
  await app.register(healthRoutes, { db, migrations });
  await app.register(authRoutes, { prefix: '/api/auth', deps });
  await app.register(apiKeyRoutes, { prefix: '/api/auth/api-keys', db });
  await app.register(userRoutes, { prefix: '/api/users', db });
  await app.register(projectRoutes, { prefix: '/api/projects', db, storage: recon.storage });
  await app.register(memberRoutes, { prefix: '/api/projects', db });
  await app.register(auditRoutes, { prefix: '/api/audit', db });
  await app.register(dataSourceRoutes, { prefix: '/api', db, recon });
  await app.register(ruleSetRoutes, { prefix: '/api', db });
  await app.register(jobRoutes, { prefix: '/api/reconciliation/jobs', db, recon });
  await app.register(resultRoutes, { prefix: '/api/reconciliation/jobs', db });
  await app.register(reviewRoutes, { prefix: '/api/reconciliation/jobs', db });
  await app.register(systemRoutes, {
    prefix: '/api/system',
    db,
    pool: options.pool,
    dataDir: config.dataDir,
  });
  await app.register(realtimePlugin, {
    db,
    pool: options.pool,
    dataDir: config.dataDir,
    ws: config.ws,
    databaseUrl: options.databaseUrl,
  });
  await app.register(cachePlugin, { db, settings: config.cache, ...(redis === undefined ? {} : { redis }) });
  await app.register(analyticsRoutes, { prefix: '/api/analytics', db });
  const { webVitalsRoutes } = await import('./features/web-vitals/web-vitals.routes');
  await app.register(webVitalsRoutes, { prefix: '/api/web-vitals' });
  await app.register(webAppPlugin, {});
  return app;
}

/** The built application. */
export type App = Awaited<ReturnType<typeof buildApp>>;
