import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { AppError } from '@recon/shared';
import type { Config } from '../config';

/** Routes where guessing is the threat: a much lower per-IP budget, counted apart from the rest. */
export const AUTH_ROUTES: ReadonlySet<string> = new Set([
  '/api/auth/login',
  '/api/auth/register',
  '/api/auth/refresh',
]);

// Probes and scrapes come from infrastructure at a steady pace; limiting them would fake an outage.
const UNLIMITED_PREFIXES = ['/health/', '/metrics'];

export interface RateLimitPluginOptions {
  readonly limits: Config['rateLimit'];
  /** Shared counters across instances; in-process counters when absent. */
  readonly redis?: Redis;
}

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? request.url;
}

/**
 * The bucket a request counts against: the user for authenticated requests (so users behind one NAT do not
 * starve each other), the IP otherwise, and a separate per-IP bucket for the auth routes.
 */
export function rateLimitKeyOf(request: FastifyRequest): string {
  if (AUTH_ROUTES.has(routeOf(request))) return `auth:${request.ip}`;
  // Routes of plugins registered before the auth plugin (Swagger UI) have no `auth` decorator at all.
  const { auth } = request as Partial<Pick<FastifyRequest, 'auth'>>;
  if (auth !== undefined && auth !== null) return `user:${auth.user.id}`;
  return `ip:${request.ip}`;
}

/**
 * `@fastify/rate-limit` on every route, run as a preHandler so that the route's authentication has already
 * said who the caller is. Exceeding answers 429 problem+json with `Retry-After` (through the errors plugin).
 * Register before the routes: the limiter attaches itself to routes as they are declared.
 */
export const rateLimitPlugin = fp<RateLimitPluginOptions>(
  async (app, { limits, redis }) => {
    if (!limits.enabled) return;
    await app.register(rateLimit, {
      global: true,
      hook: 'preHandler',
      timeWindow: limits.windowSeconds * 1000,
      keyGenerator: rateLimitKeyOf,
      max: (_request, key) =>
        key.startsWith('auth:') ? limits.authMax : key.startsWith('user:') ? limits.userMax : limits.max,
      allowList: (request) => UNLIMITED_PREFIXES.some((prefix) => request.url.startsWith(prefix)),
      // Redis down must not take the API down: let requests through and count again when it is back.
      skipOnError: true,
      nameSpace: 'recon-rl:',
      ...(redis === undefined ? {} : { redis }),
      errorResponseBuilder: (_request, context) =>
        new AppError(
          'RATE_LIMITED',
          `Rate limit of ${context.max} requests exceeded; retry in ${context.after}`,
          {
            headers: { 'retry-after': String(Math.max(1, Math.ceil(context.ttl / 1000))) },
          },
        ),
    });
  },
  { name: 'rate-limit' },
);
