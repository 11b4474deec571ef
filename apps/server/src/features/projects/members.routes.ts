import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import {
  addMemberBodySchema,
  idParamsSchema,
  memberListSchema,
  memberParamsSchema,
  memberViewSchema,
  okSchema,
  updateMemberBodySchema,
} from '@recon/shared';
import type { Db } from '../../db/database';
import { authenticated, problems } from '../../lib/route-schemas';
import { authOf } from '../../plugins/auth.plugin';
import { projectAccessOf } from '../../plugins/project-access.plugin';
import { actorOf } from '../auth/actor';
import * as projects from './projects.service';

/** Members of a project: any member reads, owners manage. Mounted under /api/projects. */
export const memberRoutes: FastifyPluginCallbackZod<{ db: Db }> = (app, { db }, done) => {
  const tags = ['project members'];
  const security = authenticated;
  app.addHook('onRequest', app.authenticate);
  const actor = (request: FastifyRequest) => ({ ...actorOf(request), userId: authOf(request).user.id });

  app.get(
    '/:id/members',
    {
      preHandler: app.requireProjectRole('viewer'),
      schema: {
        tags,
        security,
        summary: 'List members',
        params: idParamsSchema,
        response: { 200: memberListSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => projects.listMembers(db, request.params.id),
  );

  app.post(
    '/:id/members',
    {
      preHandler: app.requireProjectRole('owner'),
      schema: {
        tags,
        security,
        summary: 'Add a member by user id or email (owners)',
        params: idParamsSchema,
        body: addMemberBodySchema,
        response: { 201: memberViewSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await projects.addMember(db, actor(request), request.params.id, request.body)),
  );

  app.patch(
    '/:id/members/:user_id',
    {
      preHandler: app.requireProjectRole('owner'),
      schema: {
        tags,
        security,
        summary: 'Change a member’s role (owners); a project keeps at least one owner',
        params: memberParamsSchema,
        body: updateMemberBodySchema,
        response: { 200: memberViewSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    (request) =>
      projects.changeMemberRole(
        db,
        actor(request),
        request.params.id,
        request.params.user_id,
        request.body.role,
      ),
  );

  app.delete(
    '/:id/members/:user_id',
    {
      // Owners remove anyone; any member may leave (checked below, so the route itself needs only membership).
      preHandler: app.requireProjectRole('viewer'),
      schema: {
        tags,
        security,
        summary: 'Remove a member (owners), or leave the project yourself',
        params: memberParamsSchema,
        response: { 200: okSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      await projects.removeMember(db, actor(request), projectAccessOf(request), request.params.user_id);
      return { ok: true as const };
    },
  );
  done();
};
