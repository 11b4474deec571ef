import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { AppError } from '@recon/shared';
import type { Config } from '../config';
import { ACCESS_COOKIE } from './auth.plugin';

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
 * Failed authentications per IP. `@fastify/rate-limit` runs after the route's authentication, which rejects
 * a bad token or API key with 401 before the limiter sees it: without this, guessing Bearer tokens and API
 * keys would be unlimited. Shared through Redis when configured, so the budget holds across instances.
 */
export interface AuthFailureCounter {
  /** Counts one failure of `key`; the count resets `windowMs` after the first failure of a window. */
  hit(key: string, windowMs: number): Promise<void>;
  /** The failures of `key` in its current window and the milliseconds until it resets. */
  get(key: string): Promise<{ count: number; ttlMs: number }>;
}

/** Entries kept before expired ones are swept (the map cannot grow with the attacker's address space). */
const MAX_MEMORY_ENTRIES = 10_000;

export function memoryAuthFailureCounter(now: () => number = Date.now): AuthFailureCounter {
  const entries = new Map<string, { count: number; resetAt: number }>();
  return {
    hit(key, windowMs) {
      const time = now();
      const entry = entries.get(key);
      if (entry !== undefined && entry.resetAt > time) entry.count += 1;
      else {
        if (entries.size >= MAX_MEMORY_ENTRIES)
          for (const [other, value] of entries) if (value.resetAt <= time) entries.delete(other);
        // Still full of live entries: forget the oldest rather than grow without bound.
        if (entries.size >= MAX_MEMORY_ENTRIES) {
          const oldest = entries.keys().next();
          if (oldest.done !== true) entries.delete(oldest.value);
        }
        entries.set(key, { count: 1, resetAt: time + windowMs });
      }
      return Promise.resolve();
    },
    get(key) {
      const entry = entries.get(key);
      const ttlMs = entry === undefined ? 0 : entry.resetAt - now();
      return Promise.resolve(
        entry === undefined || ttlMs <= 0 ? { count: 0, ttlMs: 0 } : { count: entry.count, ttlMs },
      );
    },
  };
}

export function redisAuthFailureCounter(redis: Redis): AuthFailureCounter {
  const keyOf = (key: string) => `recon-rl:authfail:${key}`;
  return {
    async hit(key, windowMs) {
      // SET NX starts the window with its expiry; INCR keeps the expiry of an existing key.
      await redis.multi().set(keyOf(key), '0', 'PX', windowMs, 'NX').incr(keyOf(key)).exec();
    },
    async get(key) {
      const [count, ttlMs] = await Promise.all([redis.get(keyOf(key)), redis.pttl(keyOf(key))]);
      return count === null || ttlMs <= 0 ? { count: 0, ttlMs: 0 } : { count: Number(count), ttlMs };
    },
  };
}

/** Whether the request presents a credential the auth plugin would verify (header, API key or cookie). */
function carriesCredential(request: FastifyRequest): boolean {
  const { authorization } = request.headers;
  const apiKey = request.headers['x-api-key'];
  const cookies = (request as Partial<Pick<FastifyRequest, 'cookies'>>).cookies;
  return (
    (typeof authorization === 'string' && authorization !== '') ||
    (typeof apiKey === 'string' && apiKey !== '') ||
    (cookies?.[ACCESS_COOKIE] ?? '') !== ''
  );
}

function retryAfterSeconds(ttlMs: number): string {
  return String(Math.max(1, Math.ceil(ttlMs / 1000)));
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

    // Failed authentications share the strict login budget, per IP. A blocked IP is refused before its
    // credential is even checked, so it learns nothing more until the window ends.
    const failures = redis === undefined ? memoryAuthFailureCounter() : redisAuthFailureCounter(redis);
    const windowMs = limits.windowSeconds * 1000;
    const isExempt = (request: FastifyRequest) =>
      !carriesCredential(request) ||
      AUTH_ROUTES.has(routeOf(request)) ||
      UNLIMITED_PREFIXES.some((prefix) => request.url.startsWith(prefix));
    app.addHook('onRequest', async (request) => {
      if (isExempt(request)) return;
      let state: { count: number; ttlMs: number };
      try {
        state = await failures.get(`ip:${request.ip}`);
      } catch (error) {
        request.log.warn({ err: error }, 'failed-authentication counter unavailable; not enforced');
        return;
      }
      if (state.count < limits.authMax) return;
      throw new AppError(
        'RATE_LIMITED',
        `Too many failed authentications from this address; retry in ${retryAfterSeconds(state.ttlMs)} s`,
        { headers: { 'retry-after': retryAfterSeconds(state.ttlMs) } },
      );
    });
    // onSend, not onResponse: the failure is counted before the client can send its next guess.
    app.addHook('onSend', async (request, reply) => {
      if (reply.statusCode !== 401 || isExempt(request)) return;
      await failures.hit(`ip:${request.ip}`, windowMs).catch((error: unknown) => {
        request.log.warn({ err: error }, 'failed-authentication counter unavailable; not counted');
      });
    });
  },
  { name: 'rate-limit' },
);
