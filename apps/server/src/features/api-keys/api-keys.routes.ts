import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import {
  apiKeyListSchema,
  apiKeyViewSchema,
  createApiKeyBodySchema,
  createdApiKeySchema,
  idParamsSchema,
} from '@recon/shared';
import type { Db } from '../../db/database';
import { authenticated, problems } from '../../lib/route-schemas';
import { authOf } from '../../plugins/auth.plugin';
import { actorOf } from '../auth/actor';
import { createApiKey, listApiKeys, revokeOwnApiKey } from './api-keys.service';

/** The caller's own API keys (a key acts with its owner's rights). Mounted under /api/auth/api-keys. */
export const apiKeyRoutes: FastifyPluginCallbackZod<{ db: Db }> = (app, { db }, done) => {
  const tags = ['api keys'];
  app.addHook('onRequest', app.authenticate);
  const actor = (request: Parameters<typeof actorOf>[0]) => ({
    ...actorOf(request),
    userId: authOf(request).user.id,
  });

  app.post(
    '/',
    {
      schema: {
        tags,
        summary: 'Create an API key; the key is shown only in this response',
        security: authenticated,
        body: createApiKeyBodySchema,
        response: { 201: createdApiKeySchema, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(await createApiKey(db, actor(request), request.body)),
  );

  app.get(
    '/',
    {
      schema: {
        tags,
        summary: 'List your API keys',
        security: authenticated,
        response: { 200: apiKeyListSchema, ...problems(401, 403) },
      },
    },
    (request) => listApiKeys(db, authOf(request).user.id),
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Revoke one of your API keys',
        security: authenticated,
        params: idParamsSchema,
        response: { 200: apiKeyViewSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => revokeOwnApiKey(db, actor(request), request.params.id),
  );
  done();
};
