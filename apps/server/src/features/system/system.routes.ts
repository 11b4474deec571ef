import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { systemMetricsSchema } from '@recon/shared';
import { collectSystemMetrics, type SystemMetricsDeps } from './system.service';

/** `GET /api/system/metrics`: administrators only. */
export const systemRoutes: FastifyPluginCallbackZod<Omit<SystemMetricsDeps, 'window'>> = (
  app,
  deps,
  done,
) => {
  app.get(
    '/metrics',
    {
      onRequest: app.requireAdmin,
      schema: {
        tags: ['system'],
        summary:
          'Platform metrics as JSON with request rate, latency percentiles, error rate and queue depth',
        security: [{ bearerAuth: [] }, { cookieAuth: [] }],
        response: { 200: systemMetricsSchema },
      },
    },
    () => collectSystemMetrics({ ...deps, window: app.requestWindow }),
  );
  done();
};
