import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { auditListSchema, auditVerifyResultSchema, listAuditQuerySchema } from '@recon/shared';
import type { Db } from '../../db/database';
import { authenticated, problems } from '../../lib/route-schemas';
import { listAudit, verifyAuditChain } from './audit.service';

/** Reading and verifying the audit log (admins only). Mounted under /api/audit. */
export const auditRoutes: FastifyPluginCallbackZod<{ db: Db }> = (app, { db }, done) => {
  const tags = ['audit'];
  app.addHook('onRequest', app.requireAdmin);

  app.get(
    '/',
    {
      schema: {
        tags,
        security: authenticated,
        summary: 'Audit entries, newest first',
        querystring: listAuditQuerySchema,
        response: { 200: auditListSchema, ...problems(400, 401, 403) },
      },
    },
    (request) => listAudit(db, request.query),
  );

  app.get(
    '/verify',
    {
      schema: {
        tags,
        security: authenticated,
        summary: 'Recompute the hash chain; ok=false names the first altered, removed or inserted entry',
        response: { 200: auditVerifyResultSchema, ...problems(401, 403) },
      },
    },
    () => verifyAuditChain(db),
  );
  done();
};
