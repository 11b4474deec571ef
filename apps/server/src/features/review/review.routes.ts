import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import {
  AppError,
  assignBodySchema,
  bulkReviewBodySchema,
  bulkReviewResultSchema,
  commentBodySchema,
  commentListQuerySchema,
  commentListSchema,
  commentViewSchema,
  exceptionParamsSchema,
  exceptionStatusBodySchema,
  exportQuerySchema,
  idParamsSchema,
  manualMatchBodySchema,
  matchDecisionBodySchema,
  matchParamsSchema,
  matchViewSchema,
  unmatchBodySchema,
  writeOffBodySchema,
} from '@recon/shared';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { authenticated, problems } from '../../lib/route-schemas';
import { authOf } from '../../plugins/auth.plugin';
import { actorOf } from '../auth/actor';
import { loadJobForMember } from '../jobs/jobs.service';
import { EXPORT_CONTENT_TYPES, exportResults } from './result-export';
import * as service from './review.service';

const exceptionResultSchema = z.object({
  side: z.enum(['left', 'right']),
  row: z.number().int(),
  status: z.string(),
  assignee_id: z.string().nullable(),
  write_off_code: z.string().nullable(),
  version: z.number().int(),
  updated_at: z.string(),
});

/** Review actions (analysts and up), comments and exports. Mounted under /api/reconciliation/jobs. */
export const reviewRoutes: FastifyPluginCallbackZod<{ db: Db }> = (app, { db }, done) => {
  const tags = ['review'];
  const security = authenticated;
  app.addHook('onRequest', app.authenticate);
  const actor = (request: FastifyRequest) => ({ ...actorOf(request), userId: authOf(request).user.id });
  const matchResponse = { 200: matchViewSchema, ...problems(400, 401, 403, 404, 409) };

  for (const action of ['confirm', 'reject'] as const) {
    app.post(
      `/:id/matches/:match_id/${action}`,
      {
        schema: {
          tags,
          security,
          summary: `${action === 'confirm' ? 'Confirm' : 'Reject'} a suggested match`,
          params: matchParamsSchema,
          body: matchDecisionBodySchema,
          response: matchResponse,
        },
      },
      (request) =>
        service.decide(
          db,
          actor(request),
          request.params.id,
          action,
          request.params.match_id,
          request.body.version,
          request.body.reason,
        ),
    );
  }

  app.post(
    '/:id/matches/:match_id/unmatch',
    {
      schema: {
        tags,
        security,
        summary: 'Dissolve a match; its records become open exceptions',
        params: matchParamsSchema,
        body: unmatchBodySchema,
        response: matchResponse,
      },
    },
    (request) =>
      service.decide(
        db,
        actor(request),
        request.params.id,
        'unmatch',
        request.params.match_id,
        request.body.version,
        request.body.reason,
      ),
  );

  app.post(
    '/:id/manual-matches',
    {
      schema: {
        tags,
        security,
        summary: 'Match open exceptions chosen on both sides (shows the amount difference)',
        params: idParamsSchema,
        body: manualMatchBodySchema,
        response: { 201: matchViewSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.manualMatch(db, actor(request), request.params.id, request.body)),
  );

  const exceptionResponse = { 200: exceptionResultSchema, ...problems(400, 401, 403, 404, 409) };
  app.post(
    '/:id/exceptions/:side/:row/write-off',
    {
      schema: {
        tags,
        security,
        summary: 'Write an exception off with a reason code',
        params: exceptionParamsSchema,
        body: writeOffBodySchema,
        response: exceptionResponse,
      },
    },
    (request) =>
      service.exceptionAction(
        db,
        actor(request),
        request.params.id,
        request.params.side,
        request.params.row,
        request.body.version,
        {
          type: 'write_off',
          code: request.body.code,
          reason: request.body.reason,
        },
      ),
  );
  app.post(
    '/:id/exceptions/:side/:row/assign',
    {
      schema: {
        tags,
        security,
        summary: 'Assign an exception to a project member (null unassigns)',
        params: exceptionParamsSchema,
        body: assignBodySchema,
        response: exceptionResponse,
      },
    },
    (request) =>
      service.exceptionAction(
        db,
        actor(request),
        request.params.id,
        request.params.side,
        request.params.row,
        request.body.version,
        {
          type: 'assign',
          assignee_id: request.body.assignee_id,
        },
      ),
  );
  app.post(
    '/:id/exceptions/:side/:row/status',
    {
      schema: {
        tags,
        security,
        summary: 'Set an exception open, investigating or resolved',
        params: exceptionParamsSchema,
        body: exceptionStatusBodySchema,
        response: exceptionResponse,
      },
    },
    (request) =>
      service.exceptionAction(
        db,
        actor(request),
        request.params.id,
        request.params.side,
        request.params.row,
        request.body.version,
        {
          type: 'status',
          status: request.body.status,
        },
      ),
  );

  app.post(
    '/:id/comments',
    {
      schema: {
        tags,
        security,
        summary: 'Comment on a match or an exception',
        params: idParamsSchema,
        body: commentBodySchema,
        response: { 201: commentViewSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.addComment(db, actor(request), request.params.id, request.body)),
  );
  app.get(
    '/:id/comments',
    {
      schema: {
        tags,
        security,
        summary: 'Comments on one match or exception',
        params: idParamsSchema,
        querystring: commentListQuerySchema,
        response: { 200: commentListSchema, ...problems(400, 401, 404) },
      },
    },
    (request) =>
      service.listComments(
        db,
        authOf(request).user.id,
        request.params.id,
        request.query.target_type,
        request.query.target_key,
      ),
  );

  app.post(
    '/:id/review/bulk',
    {
      schema: {
        tags,
        security,
        summary: 'Apply many review actions atomically',
        params: idParamsSchema,
        body: bulkReviewBodySchema,
        response: { 200: bulkReviewResultSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    (request) => service.bulk(db, actor(request), request.params.id, request.body.actions),
  );

  app.get(
    '/:id/export',
    {
      schema: {
        tags,
        security,
        summary: 'Stream matches and/or exceptions as CSV (formula-safe), JSON or XLSX (one sheet per part)',
        params: idParamsSchema,
        querystring: exportQuerySchema,
      },
    },
    async (request, reply) => {
      const job = await loadJobForMember(db, authOf(request).user.id, request.params.id, 'viewer');
      if (job.status !== 'completed')
        throw new AppError('JOB_STATE_CONFLICT', `The job is ${job.status}; export it when it has completed`);
      const { format, part } = request.query;
      const fileName = `job-${job.id}-${part}.${format}`;
      return reply
        .header('content-type', EXPORT_CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(exportResults(db, job, format, part));
    },
  );
  done();
};
