import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import {
  discrepanciesQuerySchema,
  discrepancyPageSchema,
  exceptionPageSchema,
  idParamsSchema,
  matchesQuerySchema,
  matchPageSchema,
  resultSummarySchema,
  unmatchedQuerySchema,
} from '@recon/shared';
import type { Db } from '../../db/database';
import { authenticated, problems } from '../../lib/route-schemas';
import { authOf } from '../../plugins/auth.plugin';
import * as service from './results.service';

/** Results of a completed job. Mounted under /api/reconciliation/jobs. */
export const resultRoutes: FastifyPluginCallbackZod<{ db: Db }> = (app, { db }, done) => {
  const tags = ['results'];
  const security = authenticated;
  app.addHook('onRequest', app.authenticate);

  app.get(
    '/:id/results',
    {
      schema: {
        tags,
        security,
        summary: 'Counts per tier, status and pass; each side’s counts and amounts per currency; match rate',
        params: idParamsSchema,
        response: { 200: resultSummarySchema, ...problems(400, 401, 404, 409) },
      },
    },
    (request) => service.summary(db, authOf(request).user.id, request.params.id),
  );

  app.get(
    '/:id/matches',
    {
      schema: {
        tags,
        security,
        summary: 'Matches with records and explanation; keyset-paged, filtered and sorted',
        params: idParamsSchema,
        querystring: matchesQuerySchema,
        response: { 200: matchPageSchema, ...problems(400, 401, 404, 409) },
      },
    },
    (request) => service.matches(db, authOf(request).user.id, request.params.id, request.query),
  );

  app.get(
    '/:id/unmatched',
    {
      schema: {
        tags,
        security,
        summary: 'Unmatched records of one side (exceptions) with their nearest candidate',
        params: idParamsSchema,
        querystring: unmatchedQuerySchema,
        response: { 200: exceptionPageSchema, ...problems(400, 401, 404, 409) },
      },
    },
    (request) => service.unmatched(db, authOf(request).user.id, request.params.id, request.query),
  );

  app.get(
    '/:id/discrepancies',
    {
      schema: {
        tags,
        security,
        summary: 'Differences inside accepted matches (amount, dates)',
        params: idParamsSchema,
        querystring: discrepanciesQuerySchema,
        response: { 200: discrepancyPageSchema, ...problems(400, 401, 404, 409) },
      },
    },
    (request) => service.discrepancies(db, authOf(request).user.id, request.params.id, request.query),
  );
  done();
};
