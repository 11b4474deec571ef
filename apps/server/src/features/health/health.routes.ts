import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { liveResponseSchema, readyResponseSchema } from '@recon/shared';
import type { Db } from '../../db/database';
import type { Migration } from '../../db/migrate';
import { checkReadiness } from './health.service';

/** Liveness (the process answers) and readiness (database answers, schema current). */
export const healthRoutes: FastifyPluginCallbackZod<{ db: Db; migrations: Migration[] }> = (
  app,
  { db, migrations },
  done,
) => {
  app.get(
    '/health/live',
    { schema: { tags: ['health'], summary: 'Liveness', response: { 200: liveResponseSchema } } },
    () => ({ status: 'ok' as const }),
  );
  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: 200 when the database answers and migrations are applied',
        response: { 200: readyResponseSchema, 503: readyResponseSchema },
      },
    },
    async (request, reply) => {
      const result = await checkReadiness(db, migrations, (error) => {
        request.log.warn({ err: error }, 'readiness check failed');
      });
      return reply.code(result.status === 'ready' ? 200 : 503).send(result);
    },
  );
  done();
};
