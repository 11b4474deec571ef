import type { FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AppError,
  dataSourceListSchema,
  dataSourceViewSchema,
  idParamsSchema,
  mappingBodySchema,
  mappingPreviewSchema,
  okSchema,
  previewQuerySchema,
  previewSchema,
  rowErrorPageQuerySchema,
  rowErrorFilterSchema,
  rowErrorPageSchema,
  rowErrorSummarySchema,
  uploadQuerySchema,
} from '@recon/shared';
import type { Db } from '../../db/database';
import type { ReconDeps } from '../../queue/recon-deps';
import { authenticated, problems } from '../../lib/route-schemas';
import { authOf } from '../../plugins/auth.plugin';
import { actorOf } from '../auth/actor';
import * as service from './data-sources.service';
import * as errorReport from './data-source-errors.service';

/** Uploads, ingestion state, previews, row errors and mappings. Mounted under /api. */
export const dataSourceRoutes: FastifyPluginAsyncZod<{ db: Db; recon: ReconDeps }> = async (
  app,
  { db, recon },
) => {
  const tags = ['data-sources'];
  const security = authenticated;
  app.addHook('onRequest', app.authenticate);
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { files: 1, fields: 5, fileSize: recon.uploadMaxBytes },
  });
  const actor = (request: FastifyRequest) => ({ ...actorOf(request), userId: authOf(request).user.id });

  app.post(
    '/projects/:id/data-sources',
    {
      preHandler: app.requireProjectRole('analyst'),
      schema: {
        tags,
        security,
        summary: 'Upload a file (multipart field "file"); ingestion is queued',
        consumes: ['multipart/form-data'],
        params: idParamsSchema,
        querystring: uploadQuerySchema,
        response: { 201: dataSourceViewSchema, ...problems(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart())
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          'Send the file as multipart/form-data in a field named "file"',
        );
      const part = await request.file();
      if (part === undefined) {
        throw new AppError('VALIDATION_FAILED', 'No file in the request', {
          errors: [{ in: 'body', field: 'file', message: 'is required' }],
        });
      }
      const upload = { fileName: part.filename, stream: part.file, isTruncated: () => part.file.truncated };
      const view = await service.uploadDataSource(
        db,
        recon,
        actor(request),
        request.params.id,
        upload,
        request.query.source_key,
      );
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/projects/:id/data-sources',
    {
      preHandler: app.requireProjectRole('viewer'),
      schema: {
        tags,
        security,
        summary: "List a project's data sources",
        params: idParamsSchema,
        response: { 200: dataSourceListSchema, ...problems(400, 401, 404) },
      },
    },
    (request) => service.listDataSources(db, request.params.id),
  );

  app.get(
    '/data-sources/:id',
    {
      schema: {
        tags,
        security,
        summary: 'A data source: status, counts, profile, detected mapping',
        params: idParamsSchema,
        response: { 200: dataSourceViewSchema, ...problems(400, 401, 404) },
      },
    },
    (request) => service.getDataSource(db, authOf(request).user.id, request.params.id),
  );

  app.get(
    '/data-sources/:id/preview',
    {
      schema: {
        tags,
        security,
        summary: 'First parsed records and row errors',
        params: idParamsSchema,
        querystring: previewQuerySchema,
        response: { 200: previewSchema, ...problems(400, 401, 404) },
      },
    },
    (request) =>
      service.previewDataSource(db, authOf(request).user.id, request.params.id, request.query.limit),
  );

  app.get(
    '/data-sources/:id/errors',
    {
      schema: {
        tags,
        security,
        summary: 'Row errors, paged by sequence number, optionally filtered by code and column',
        params: idParamsSchema,
        querystring: rowErrorPageQuerySchema,
        response: { 200: rowErrorPageSchema, ...problems(400, 401, 404) },
      },
    },
    (request) => {
      const { after, limit, code, column } = request.query;
      return errorReport.listErrors(db, authOf(request).user.id, request.params.id, after, limit, {
        code,
        column,
      });
    },
  );

  app.get(
    '/data-sources/:id/errors/summary',
    {
      schema: {
        tags,
        security,
        summary: 'Row-error counts in total, by code and by column',
        params: idParamsSchema,
        response: { 200: rowErrorSummarySchema, ...problems(400, 401, 404) },
      },
    },
    (request) => errorReport.summariseErrors(db, authOf(request).user.id, request.params.id),
  );

  app.get(
    '/data-sources/:id/errors.csv',
    {
      schema: {
        tags,
        security,
        summary: 'Every row error (filtered like the report) as CSV, formula-safe',
        params: idParamsSchema,
        querystring: rowErrorFilterSchema,
      },
    },
    async (request, reply) => {
      const { fileName, stream } = await errorReport.exportErrorsCsv(
        db,
        authOf(request).user.id,
        request.params.id,
        request.query,
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(stream);
    },
  );

  app.post(
    '/data-sources/:id/mapping/preview',
    {
      schema: {
        tags,
        security,
        summary: 'Read the first stored rows with a proposed mapping, without saving it',
        params: idParamsSchema,
        querystring: previewQuerySchema,
        body: mappingBodySchema,
        response: { 200: mappingPreviewSchema, ...problems(400, 401, 404, 409) },
      },
    },
    (request) =>
      service.previewMappingChange(
        db,
        authOf(request).user.id,
        request.params.id,
        request.body.mapping,
        request.query.limit,
      ),
  );

  app.put(
    '/data-sources/:id/mapping',
    {
      schema: {
        tags,
        security,
        summary: 'Set the column mapping and re-ingest (remembered for the next upload of the same feed)',
        params: idParamsSchema,
        body: mappingBodySchema,
        response: { 200: dataSourceViewSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    (request) => service.updateMapping(db, recon, actor(request), request.params.id, request.body.mapping),
  );

  app.delete(
    '/data-sources/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a data source and its file (409 naming the jobs that use it, whatever their state)',
        params: idParamsSchema,
        response: { 200: okSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      await service.deleteDataSource(db, recon, actor(request), request.params.id);
      return { ok: true as const };
    },
  );
};
