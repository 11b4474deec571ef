import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import {
  AppError,
  changePasswordBodySchema,
  loginBodySchema,
  meResponseSchema,
  okSchema,
  refreshBodySchema,
  registerBodySchema,
  tokenResponseSchema,
  updateMeBodySchema,
  userViewSchema,
} from '@recon/shared';
import type { AppDeps } from '../../deps';
import { authenticated, problems } from '../../lib/route-schemas';
import { REFRESH_COOKIE, authOf, clearSessionCookies, setSessionCookies } from '../../plugins/auth.plugin';
import { toUserView } from '../users/user-view';
import { actorOf } from './actor';
import * as auth from './auth.service';

function clientMeta(request: FastifyRequest): auth.ClientMeta {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

function refreshTokenOf(
  request: FastifyRequest,
  body: { refresh_token?: string | undefined } | null | undefined,
) {
  return body?.refresh_token ?? request.cookies[REFRESH_COOKIE];
}

/** Login, registration, token refresh, logout and the caller's own account. */
export const authRoutes: FastifyPluginCallbackZod<{ deps: AppDeps }> = (app, { deps }, done) => {
  const secure = deps.config.auth.cookieSecure;
  const tags = ['auth'];

  app.post(
    '/login',
    {
      schema: {
        tags,
        summary: 'Log in with email and password; sets session cookies and returns tokens',
        body: loginBodySchema,
        response: { 200: tokenResponseSchema, ...problems(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const tokens = await auth.login(deps, request.body, actorOf(request), clientMeta(request));
      setSessionCookies(reply, tokens, secure);
      return tokens;
    },
  );

  app.post(
    '/register',
    {
      schema: {
        tags,
        summary: 'Create an account (only when ALLOW_REGISTRATION is on)',
        body: registerBodySchema,
        response: { 201: tokenResponseSchema, ...problems(400, 403, 409) },
      },
    },
    async (request, reply) => {
      const tokens = await auth.register(deps, request.body, actorOf(request), clientMeta(request));
      setSessionCookies(reply, tokens, secure);
      return reply.code(201).send(tokens);
    },
  );

  app.post(
    '/refresh',
    {
      schema: {
        tags,
        summary: 'Exchange a refresh token (body or cookie) for new tokens; the old one stops working',
        body: refreshBodySchema,
        response: { 200: tokenResponseSchema, ...problems(400, 401) },
      },
    },
    async (request, reply) => {
      try {
        const token = refreshTokenOf(request, request.body);
        if (token === undefined || token === '')
          throw new AppError('REFRESH_TOKEN_INVALID', 'No refresh token given');
        const tokens = await auth.refresh(deps, token, actorOf(request), clientMeta(request));
        setSessionCookies(reply, tokens, secure);
        return tokens;
      } catch (error) {
        clearSessionCookies(reply, secure);
        throw error;
      }
    },
  );

  app.post(
    '/logout',
    {
      schema: {
        tags,
        summary: 'End the session of the refresh token (body or cookie) and clear the cookies',
        body: refreshBodySchema,
        response: { 200: okSchema, ...problems(400) },
      },
    },
    async (request, reply) => {
      await auth.logout(deps, refreshTokenOf(request, request.body), undefined, actorOf(request));
      clearSessionCookies(reply, secure);
      return { ok: true as const };
    },
  );

  app.get(
    '/me',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'The current user',
        security: authenticated,
        response: { 200: meResponseSchema, ...problems(401, 403) },
      },
    },
    (request) => {
      const { user, method } = authOf(request);
      return { user: toUserView(user), auth_method: method };
    },
  );

  app.patch(
    '/me',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Change your own name',
        security: authenticated,
        body: updateMeBodySchema,
        response: { 200: userViewSchema, ...problems(400, 401, 403) },
      },
    },
    (request) => auth.updateMe(deps, authOf(request).user, request.body, actorOf(request)),
  );

  app.post(
    '/me/password',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Change your own password; your other sessions are logged out',
        security: authenticated,
        body: changePasswordBodySchema,
        response: { 200: okSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const { user, sessionId } = authOf(request);
      await auth.changePassword(deps, user, request.body, sessionId, actorOf(request));
      return { ok: true as const };
    },
  );
  done();
};
