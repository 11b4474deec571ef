import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import {
  createUserBodySchema,
  idParamsSchema,
  listUsersQuerySchema,
  okSchema,
  updateUserBodySchema,
  userListSchema,
  userViewSchema,
} from '@recon/shared';
import type { Db } from '../../db/database';
import { authenticated, problems } from '../../lib/route-schemas';
import { authOf } from '../../plugins/auth.plugin';
import { actorOf } from '../auth/actor';
import * as users from './users.service';

/** User administration (admins only). Mounted under /api/users. */
export const userRoutes: FastifyPluginCallbackZod<{ db: Db }> = (app, { db }, done) => {
  const tags = ['users'];
  const security = authenticated;
  app.addHook('onRequest', app.requireAdmin);
  const actor = (request: FastifyRequest) => ({ ...actorOf(request), userId: authOf(request).user.id });

  app.get(
    '/',
    {
      schema: {
        tags,
        security,
        summary: 'List users',
        querystring: listUsersQuerySchema,
        response: { 200: userListSchema, ...problems(400, 401, 403) },
      },
    },
    (request) => users.listUsers(db, request.query.limit, request.query.offset),
  );

  app.post(
    '/',
    {
      schema: {
        tags,
        security,
        summary: 'Create a user',
        body: createUserBodySchema,
        response: { 201: userViewSchema, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await users.createUser(db, actor(request), request.body)),
  );

  app.get(
    '/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Get a user',
        params: idParamsSchema,
        response: { 200: userViewSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => users.getUser(db, request.params.id),
  );

  app.patch(
    '/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change a user’s name, role or status (disabling logs the user out everywhere)',
        params: idParamsSchema,
        body: updateUserBodySchema,
        response: { 200: userViewSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    (request) => users.updateUserAsAdmin(db, actor(request), request.params.id, request.body),
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a user',
        params: idParamsSchema,
        response: { 200: okSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      await users.deleteUser(db, actor(request), request.params.id);
      return { ok: true as const };
    },
  );
  done();
};
