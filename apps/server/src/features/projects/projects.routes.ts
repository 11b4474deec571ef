import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import {
  createProjectBodySchema,
  idParamsSchema,
  listProjectsQuerySchema,
  okSchema,
  projectListSchema,
  projectViewSchema,
  updateProjectBodySchema,
} from '@recon/shared';
import type { Db } from '../../db/database';
import type { FileStorage } from '../../storage/storage';
import { authenticated, problems } from '../../lib/route-schemas';
import { authOf } from '../../plugins/auth.plugin';
import { actorOf } from '../auth/actor';
import * as projects from './projects.service';

/** Projects the caller belongs to. Mounted under /api/projects. */
export const projectRoutes: FastifyPluginCallbackZod<{ db: Db; storage: FileStorage }> = (
  app,
  { db, storage },
  done,
) => {
  const tags = ['projects'];
  const security = authenticated;
  app.addHook('onRequest', app.authenticate);
  const actor = (request: FastifyRequest) => ({ ...actorOf(request), userId: authOf(request).user.id });

  app.post(
    '/',
    {
      schema: {
        tags,
        security,
        summary: 'Create a project (you become its owner)',
        body: createProjectBodySchema,
        response: { 201: projectViewSchema, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await projects.createProject(db, actor(request), request.body)),
  );

  app.get(
    '/',
    {
      schema: {
        tags,
        security,
        summary: 'List the projects you are a member of',
        querystring: listProjectsQuerySchema,
        response: { 200: projectListSchema, ...problems(400, 401, 403) },
      },
    },
    (request) => projects.listProjects(db, authOf(request).user.id, request.query.status),
  );

  app.get(
    '/:id',
    {
      preHandler: app.requireProjectRole('viewer'),
      schema: {
        tags,
        security,
        summary: 'Get a project',
        params: idParamsSchema,
        response: { 200: projectViewSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => projects.getProject(db, request.params.id, authOf(request).user.id),
  );

  app.patch(
    '/:id',
    {
      preHandler: app.requireProjectRole('manager'),
      schema: {
        tags,
        security,
        summary: 'Update name, description or status (managers and owners)',
        params: idParamsSchema,
        body: updateProjectBodySchema,
        response: { 200: projectViewSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => projects.updateProject(db, actor(request), request.params.id, request.body),
  );

  for (const [path, status] of [
    ['/:id/archive', 'archived'],
    ['/:id/unarchive', 'active'],
  ] as const) {
    app.post(
      path,
      {
        preHandler: app.requireProjectRole('manager'),
        schema: {
          tags,
          security,
          summary: status === 'archived' ? 'Archive a project' : 'Unarchive a project',
          params: idParamsSchema,
          response: { 200: projectViewSchema, ...problems(400, 401, 403, 404) },
        },
      },
      (request) => projects.updateProject(db, actor(request), request.params.id, { status }),
    );
  }

  app.delete(
    '/:id',
    {
      preHandler: app.requireProjectRole('owner'),
      schema: {
        tags,
        security,
        summary: 'Delete a project and everything in it (owners)',
        params: idParamsSchema,
        response: { 200: okSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await projects.deleteProject(db, storage, request.log, actor(request), request.params.id);
      return { ok: true as const };
    },
  );
  done();
};
