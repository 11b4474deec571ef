import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { AppError, type TokenResponse } from '@recon/shared';
import type { AppDeps } from '../deps';
import type { UserRow } from '../db/schema';
import { sha256Hex } from '../lib/crypto';
import { API_KEY_PREFIX } from '../features/api-keys/api-keys.service';
import { findLiveApiKeyByHash, touchApiKey } from '../features/api-keys/api-keys.repository';
import { isFamilyRevoked } from '../features/auth/refresh-tokens.repository';
import { findUserById } from '../features/users/users.repository';

/** How the current request proved who it is. */
export interface AuthContext {
  readonly user: UserRow;
  readonly method: 'access_token' | 'cookie' | 'api_key';
  /** The refresh-token family of a token/cookie session; null for API keys. */
  readonly sessionId: string | null;
  readonly apiKeyId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
  interface FastifyInstance {
    /** onRequest hook: 401 unless the request carries a valid access token, cookie or API key. */
    authenticate: onRequestAsyncHookHandler;
    /** onRequest hook: authenticate, then 403 unless the user is an admin. */
    requireAdmin: onRequestAsyncHookHandler;
  }
}

export const ACCESS_COOKIE = 'recon_access';
export const REFRESH_COOKIE = 'recon_refresh';
/** The refresh cookie only travels to the auth routes that need it. */
export const REFRESH_COOKIE_PATH = '/api/auth';

type Credential =
  { kind: 'jwt'; token: string; method: 'access_token' | 'cookie' } | { kind: 'api_key'; key: string };

function credentialOf(request: FastifyRequest): Credential | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (match?.[1] === undefined)
      throw new AppError('INVALID_TOKEN', 'Authorization must be "Bearer <token>"');
    const token = match[1];
    return token.startsWith(API_KEY_PREFIX)
      ? { kind: 'api_key', key: token }
      : { kind: 'jwt', token, method: 'access_token' };
  }
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') return { kind: 'api_key', key: apiKey };
  const cookie = request.cookies[ACCESS_COOKIE];
  if (cookie !== undefined && cookie !== '') return { kind: 'jwt', token: cookie, method: 'cookie' };
  return undefined;
}

function requireActive(user: UserRow | undefined): UserRow {
  if (user === undefined) throw new AppError('INVALID_TOKEN');
  if (user.status !== 'active') throw new AppError('ACCOUNT_DISABLED');
  return user;
}

/**
 * Resolves the credential to a user. The user row is read on every request so that disabling a user or
 * logging out takes effect at once, not when the access token expires.
 */
async function resolveAuth(deps: AppDeps, request: FastifyRequest): Promise<AuthContext> {
  const credential = credentialOf(request);
  if (credential === undefined)
    throw new AppError('UNAUTHENTICATED', undefined, { headers: { 'www-authenticate': 'Bearer' } });
  if (credential.kind === 'api_key') {
    const key = await findLiveApiKeyByHash(deps.db, sha256Hex(credential.key));
    if (key === undefined) throw new AppError('INVALID_TOKEN', 'The API key is invalid, revoked or expired');
    const user = requireActive(await findUserById(deps.db, key.user_id));
    // Coarse last-used stamp: at most one write per key per minute.
    if (key.last_used_at === null || Date.now() - key.last_used_at.getTime() > 60_000)
      await touchApiKey(deps.db, key.id);
    return { user, method: 'api_key', sessionId: null, apiKeyId: key.id };
  }
  const claims = await deps.tokens.verify(credential.token);
  const user = requireActive(await findUserById(deps.db, claims.userId));
  if (await isFamilyRevoked(deps.db, claims.sessionId))
    throw new AppError('INVALID_TOKEN', 'The session has ended');
  return { user, method: credential.method, sessionId: claims.sessionId, apiKeyId: null };
}

/** The authenticated context of a request that went through `app.authenticate`. */
export function authOf(request: FastifyRequest): AuthContext {
  if (request.auth === null) throw new AppError('UNAUTHENTICATED');
  return request.auth;
}

/** Sets the browser session cookies (httpOnly; the refresh cookie is SameSite=Strict and path-scoped). */
export function setSessionCookies(reply: FastifyReply, tokens: TokenResponse, secure: boolean): void {
  reply.setCookie(ACCESS_COOKIE, tokens.access_token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: tokens.expires_in,
  });
  reply.setCookie(REFRESH_COOKIE, tokens.refresh_token, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: REFRESH_COOKIE_PATH,
    maxAge: tokens.refresh_expires_in,
  });
}

export function clearSessionCookies(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(ACCESS_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  reply.clearCookie(REFRESH_COOKIE, {
    path: REFRESH_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'strict',
    secure,
  });
}

/** Decorates requests with `auth` and the app with the `authenticate` / `requireAdmin` hooks. */
export const authPlugin = fp<{ deps: AppDeps }>(
  (app, { deps }) => {
    app.decorateRequest('auth', null);
    const authenticate: onRequestAsyncHookHandler = async (request) => {
      request.auth = await resolveAuth(deps, request);
    };
    app.decorate('authenticate', authenticate);
    app.decorate('requireAdmin', async function requireAdmin(request, reply) {
      await authenticate.call(this, request, reply);
      if (authOf(request).user.role !== 'admin') throw new AppError('FORBIDDEN', 'Administrators only');
    } satisfies onRequestAsyncHookHandler);
  },
  { name: 'auth', dependencies: ['@fastify/cookie'] },
);
