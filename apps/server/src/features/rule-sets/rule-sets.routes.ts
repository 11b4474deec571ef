import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import {
  createRuleSetBodySchema,
  dryRunBodySchema,
  dryRunResultSchema,
  idParamsSchema,
  okSchema,
  ruleSetListSchema,
  ruleSetVersionListSchema,
  ruleSetVersionParamsSchema,
  ruleSetVersionViewSchema,
  ruleSetViewSchema,
  ruleSetSuggestionSchema,
  suggestRuleSetBodySchema,
  updateRuleSetBodySchema,
} from '@recon/shared';
import type { Db } from '../../db/database';
import { authenticated, problems } from '../../lib/route-schemas';
import { authOf } from '../../plugins/auth.plugin';
import { actorOf } from '../auth/actor';
import * as service from './rule-sets.service';
import { suggestRuleSet } from './rule-suggestion.service';
import { dryRunRuleSet } from './rule-set-dry-run.service';

/** Rule sets with immutable versions. Mounted under /api. */
export const ruleSetRoutes: FastifyPluginCallbackZod<{ db: Db }> = (app, { db }, done) => {
  const tags = ['rule-sets'];
  const security = authenticated;
  app.addHook('onRequest', app.authenticate);
  const actor = (request: FastifyRequest) => ({ ...actorOf(request), userId: authOf(request).user.id });
  const userId = (request: FastifyRequest) => authOf(request).user.id;

  app.post(
    '/projects/:id/rule-sets',
    {
      preHandler: app.requireProjectRole('manager'),
      schema: {
        tags,
        security,
        summary: 'Create a rule set (version 1), validated by the engine schema',
        params: idParamsSchema,
        body: createRuleSetBodySchema,
        response: { 201: ruleSetViewSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.createRuleSet(db, actor(request), request.params.id, request.body)),
  );

  app.post(
    '/projects/:id/rule-sets/suggest',
    {
      preHandler: app.requireProjectRole('analyst'),
      schema: {
        tags,
        security,
        summary: 'Propose a rule set from two ingested data sources (nothing is stored)',
        params: idParamsSchema,
        body: suggestRuleSetBodySchema,
        response: { 200: ruleSetSuggestionSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    (request) =>
      suggestRuleSet(
        db,
        request.params.id,
        request.body.source_data_source_id,
        request.body.target_data_source_id,
      ),
  );

  app.post(
    '/projects/:id/rule-sets/dry-run',
    {
      preHandler: app.requireProjectRole('analyst'),
      schema: {
        tags,
        security,
        summary: 'Run inline rules on two data sources and return the counts (nothing is stored)',
        description:
          'Reads at most `sample_limit` records per side (default and maximum 50 000) into an in-memory ' +
          'engine and returns matches per pass and tier, unmatched records per side and the match rate. ' +
          'Stopped after 30 s (503) or when the client disconnects; 429 while two dry runs are running.',
        params: idParamsSchema,
        body: dryRunBodySchema,
        response: { 200: dryRunResultSchema, ...problems(400, 401, 403, 404, 409, 429, 503) },
      },
    },
    (request, reply) => {
      // Closing the response before it was written means the client went away: stop the engine.
      const controller = new AbortController();
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) controller.abort(new Error('client disconnected'));
      });
      return dryRunRuleSet(db, request.params.id, request.body, controller.signal);
    },
  );

  app.get(
    '/projects/:id/rule-sets',
    {
      preHandler: app.requireProjectRole('viewer'),
      schema: {
        tags,
        security,
        summary: "A project's rule sets",
        params: idParamsSchema,
        response: { 200: ruleSetListSchema, ...problems(400, 401, 404) },
      },
    },
    (request) => service.listRuleSets(db, request.params.id),
  );

  app.get(
    '/rule-sets/:id',
    {
      schema: {
        tags,
        security,
        summary: 'A rule set at its current version',
        params: idParamsSchema,
        response: { 200: ruleSetViewSchema, ...problems(400, 401, 404) },
      },
    },
    (request) => service.getRuleSet(db, userId(request), request.params.id),
  );

  app.put(
    '/rule-sets/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Update a rule set; new rules create the next version',
        params: idParamsSchema,
        body: updateRuleSetBodySchema,
        response: { 200: ruleSetViewSchema, ...problems(400, 401, 403, 404) },
      },
    },
    (request) => service.updateRuleSet(db, actor(request), request.params.id, request.body),
  );

  app.get(
    '/rule-sets/:id/versions',
    {
      schema: {
        tags,
        security,
        summary: 'Every version, newest first',
        params: idParamsSchema,
        response: { 200: ruleSetVersionListSchema, ...problems(400, 401, 404) },
      },
    },
    (request) => service.listVersions(db, userId(request), request.params.id),
  );

  app.get(
    '/rule-sets/:id/versions/:version',
    {
      schema: {
        tags,
        security,
        summary: 'One version',
        params: ruleSetVersionParamsSchema,
        response: { 200: ruleSetVersionViewSchema, ...problems(400, 401, 404) },
      },
    },
    (request) => service.getVersion(db, userId(request), request.params.id, request.params.version),
  );

  app.delete(
    '/rule-sets/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a rule set',
        params: idParamsSchema,
        response: { 200: okSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await service.deleteRuleSet(db, actor(request), request.params.id);
      return { ok: true as const };
    },
  );
  done();
};
