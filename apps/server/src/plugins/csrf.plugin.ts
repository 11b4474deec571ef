import fp from 'fastify-plugin';
import csrfProtection from '@fastify/csrf-protection';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '@recon/shared';

/** The cookie holding the CSRF secret (httpOnly); the token derived from it travels in `x-csrf-token`. */
export const CSRF_COOKIE = 'recon_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The part of a reply `csrfProtection` touches; lets us turn its verdict into our own error code. */
interface CsrfReply {
  send(payload: unknown): unknown;
  unsignCookie(value: string): { value: string | null };
}
// Method syntax: the plugin's function only ever calls the two members above.
interface CsrfChecker {
  check(request: FastifyRequest, reply: CsrfReply, next: () => void): void;
}

const csrfTokenSchema = z.object({ csrf_token: z.string() });

function headerToken(request: FastifyRequest): string | undefined {
  const value = request.headers[CSRF_HEADER];
  return typeof value === 'string' ? value : undefined;
}

/**
 * A request needs the token when a browser could have been tricked into sending it: it changes state and
 * the only credential is the session cookie. Bearer tokens and API keys are never sent by a browser on its
 * own, so they are exempt. The refresh cookie is SameSite=Strict and path-scoped, which covers refresh.
 * Routes that do not authenticate never have `auth` set and so need no token: the one such state change is
 * `POST /api/web-vitals` (browser beacons cannot send headers), which reads no cookie and only adds to
 * histogram counters; see `features/web-vitals/web-vitals.routes.ts`.
 */
export function needsCsrfToken(request: FastifyRequest): boolean {
  return !SAFE_METHODS.has(request.method) && request.auth?.method === 'cookie';
}

function verify(checker: CsrfChecker, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe: CsrfReply = {
      send: () => {
        reject(
          new AppError('CSRF_TOKEN_INVALID', `Send the token from GET /api/auth/csrf in ${CSRF_HEADER}`),
        );
        return probe;
      },
      unsignCookie: (value) => reply.unsignCookie(value),
    };
    checker.check(request, probe, () => {
      resolve();
    });
  });
}

/**
 * `@fastify/csrf-protection` (double submit: secret in an httpOnly cookie, token in a header), enforced for
 * cookie-authenticated state changes, plus `GET /api/auth/csrf` to obtain a token. Register after the auth
 * plugin; the check is a preHandler, so it runs after the route's authentication.
 */
export const csrfPlugin = fp<{ cookieSecure: boolean }>(
  async (app, { cookieSecure }) => {
    await app.register(csrfProtection, {
      cookieKey: CSRF_COOKIE,
      cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: cookieSecure },
      getToken: headerToken,
    });
    const checker: CsrfChecker = { check: app.csrfProtection.bind(app) };
    app.addHook('preHandler', async (request, reply) => {
      if (needsCsrfToken(request)) await verify(checker, request, reply);
    });
    app.get(
      '/api/auth/csrf',
      {
        schema: {
          tags: ['auth'],
          summary: `A CSRF token for cookie-authenticated requests that change state (send it in ${CSRF_HEADER})`,
          response: { 200: csrfTokenSchema },
        },
      },
      (_request, reply) => ({ csrf_token: reply.generateCsrf() }),
    );
  },
  { name: 'csrf', dependencies: ['@fastify/cookie', 'auth'] },
);
