import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import {
  carriedListSchema,
  carriedQuerySchema,
  createJobBodySchema,
  idParamsSchema,
  jobListSchema,
  jobViewSchema,
  listJobsQuerySchema,
  okSchema,
  updateJobBodySchema,
} from '@recon/shared';
import type { Db } from '../../db/database';
import type { ReconDeps } from '../../queue/recon-deps';
import { authenticated, problems } from '../../lib/route-schemas';
import { authOf } from '../../plugins/auth.plugin';
import { actorOf } from '../auth/actor';
import { listCarried } from './carry-forward-view';
import * as service from './jobs.service';

/** Reconciliation jobs and their lifecycle. Mounted under /api/reconciliation/jobs. */
export const jobRoutes: FastifyPluginCallbackZod<{ db: Db; recon: ReconDeps }> = (
  app,
  { db, recon },
  done,
) => {
  const tags = ['jobs'];
  const security = authenticated;
  app.addHook('onRequest', app.authenticate);
  const actor = (request: FastifyRequest) => ({ ...actorOf(request), userId: authOf(request).user.id });

  app.post(
    '/',
    {
      schema: {
        tags,
        security,
        summary: 'Create a job (a draft, or queued at once with start: true); managers and owners',
        body: createJobBodySchema,
        response: { 201: jobViewSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.createJob(db, recon, actor(request), request.body)),
  );

  app.get(
    '/',
    {
      schema: {
        tags,
        security,
        summary: "A project's jobs, newest first",
        querystring: listJobsQuerySchema,
        response: { 200: jobListSchema, ...problems(400, 401, 404) },
      },
    },
    (request) => service.listJobs(db, authOf(request).user.id, request.query),
  );

  app.get(
    '/:id',
    {
      schema: {
        tags,
        security,
        summary: 'A job with status, progress and provenance',
        params: idParamsSchema,
        response: { 200: jobViewSchema, ...problems(400, 401, 404) },
      },
    },
    (request) => service.getJob(db, authOf(request).user.id, request.params.id),
  );

  app.put(
    '/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change name, description, thresholds or rules (409 while queued or running)',
        params: idParamsSchema,
        body: updateJobBodySchema,
        response: { 200: jobViewSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    (request) => service.updateJob(db, actor(request), request.params.id, request.body),
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a job and its results (a running job is cancelled)',
        params: idParamsSchema,
        response: { 200: okSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await service.deleteJob(db, actor(request), request.params.id);
      return { ok: true as const };
    },
  );

  for (const event of ['start', 'rerun'] as const) {
    app.post(
      `/:id/${event}`,
      {
        schema: {
          tags,
          security,
          summary:
            event === 'start' ? 'Queue a draft job' : 'Queue a finished job again (its results are replaced)',
          params: idParamsSchema,
          response: { 200: jobViewSchema, ...problems(400, 401, 403, 404, 409) },
        },
      },
      (request) => service.runJob(db, recon, actor(request), request.params.id, event),
    );
  }

  app.post(
    '/:id/cancel',
    {
      schema: {
        tags,
        security,
        summary: 'Cancel a draft, queued or running job',
        params: idParamsSchema,
        response: { 200: jobViewSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    (request) => service.cancelJob(db, actor(request), request.params.id),
  );

  app.get(
    '/:id/carried',
    {
      schema: {
        tags,
        security,
        summary: 'Records carried forward into a completed job: origin, first seen, age and outcome',
        params: idParamsSchema,
        querystring: carriedQuerySchema,
        response: { 200: carriedListSchema, ...problems(400, 401, 404, 409) },
      },
    },
    (request) => listCarried(db, authOf(request).user.id, request.params.id, request.query),
  );
  done();
};
