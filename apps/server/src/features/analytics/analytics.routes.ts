import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import {
  dashboardSchema,
  idParamsSchema,
  projectAnalyticsSchema,
  reconciliationAnalyticsSchema,
  userActivityQuerySchema,
  userActivitySchema,
} from '@recon/shared';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/database';
import { authOf } from '../../plugins/auth.plugin';
import * as service from './analytics.service';

const tags = ['analytics'];
const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];

function viewerOf(request: FastifyRequest): service.Viewer {
  const { user } = authOf(request);
  return { userId: user.id, isAdmin: user.role === 'admin' };
}

/** `/api/analytics/*`: figures over the projects the caller belongs to. */
export const analyticsRoutes: FastifyPluginCallbackZod<{ db: Db }> = (app, { db }, done) => {
  const deps = (): service.AnalyticsDeps => ({ db, cache: app.cache, window: app.requestWindow });
  app.addHook('onReady', async () => {
    try {
      await service.warmDashboards(deps());
    } catch (error) {
      app.log.warn({ err: error }, 'dashboard cache warm-up failed');
    }
  });
  app.get(
    '/dashboard',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        security,
        summary: 'Totals, outcomes, rates over time, performance and recent activity',
        response: { 200: dashboardSchema },
      },
    },
    (request) => service.dashboard(deps(), viewerOf(request)),
  );
  app.get(
    '/projects/:id',
    {
      onRequest: app.authenticate,
      preHandler: app.requireProjectRole('viewer'),
      schema: {
        tags,
        security,
        summary: "One project's figures",
        params: idParamsSchema,
        response: { 200: projectAnalyticsSchema },
      },
    },
    (request) => service.projectAnalytics(deps(), viewerOf(request), request.params.id),
  );
  app.get(
    '/users/activity',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        security,
        summary: 'Active users and actions per day or month (admins: everyone; others: themselves)',
        querystring: userActivityQuerySchema,
        response: { 200: userActivitySchema },
      },
    },
    (request) => service.userActivity(deps(), viewerOf(request), request.query),
  );
  app.get(
    '/reconciliation',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        security,
        summary: 'Match rate by pass and exception ageing',
        response: { 200: reconciliationAnalyticsSchema },
      },
    },
    (request) => service.reconciliationAnalytics(deps(), viewerOf(request)),
  );
  done();
};
