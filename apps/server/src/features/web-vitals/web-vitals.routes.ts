import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { AppError, webVitalsReportSchema } from '@recon/shared';
import type { onRequestHookHandler } from 'fastify';
import { z } from 'zod';
import { problems } from '../../lib/route-schemas';
import { recordWebVitals } from './web-vitals.service';

// A beacon holds a handful of numbers; anything larger is not one.
const BODY_LIMIT_BYTES = 4096;

/** Browsers mark requests another site makes them send; programs send no such header and may report. */
const refuseCrossSite: onRequestHookHandler = (request, _reply, done) => {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none')
    done(new AppError('FORBIDDEN', 'Web vitals are accepted from this site only'));
  else done();
};

/**
 * `POST /api/web-vitals`: Core Web Vitals from the browser (`navigator.sendBeacon`), exported at `/metrics`.
 *
 * Why it takes no credential and needs no CSRF token: a beacon is sent while the page is being hidden,
 * often after the access token has expired, and it cannot set headers (so no `x-csrf-token`). The route
 * reads no cookie and changes nothing but histogram counters; values and the route label are bounded by
 * the schema. What remains possible is inflating counters, which the per-IP rate limit bounds, and
 * browsers are kept from doing it for another site: a request a browser marks as cross-site is refused.
 */
export const webVitalsRoutes: FastifyPluginCallbackZod = (app, _options, done) => {
  // sendBeacon with a string body sends `text/plain;charset=UTF-8` (a type that needs no CORS preflight);
  // in this plugin only, such a body is parsed as JSON.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, parsed) => {
    try {
      parsed(null, JSON.parse(String(body)));
    } catch {
      parsed(new AppError('BAD_REQUEST', 'The body is not JSON'));
    }
  });
  app.post(
    '/',
    {
      bodyLimit: BODY_LIMIT_BYTES,
      onRequest: refuseCrossSite,
      schema: {
        tags: ['observability'],
        summary: 'Report Core Web Vitals (LCP, INP, CLS) of a page; no credential needed',
        body: webVitalsReportSchema,
        response: { 204: z.null(), ...problems(400, 403, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      recordWebVitals(request.body);
      await reply.code(204).send(null);
    },
  );
  done();
};
