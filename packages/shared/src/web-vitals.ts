import { z } from 'zod';

// Core Web Vitals the browser reports to `POST /api/web-vitals` (sent with `navigator.sendBeacon`, so the
// body may arrive as `text/plain`). Values are bounded so a forged beacon cannot skew a histogram with
// absurd numbers, and the route is one of a closed list so a client can never create label values.

/**
 * The web app's route patterns, the only values the `route` label of the web-vitals metrics takes. The web
 * app maps its current location to one of these (`other` when none fits); keep in step with its router.
 */
export const WEB_VITAL_ROUTES = [
  '/sign-in',
  '/dashboard',
  '/projects',
  '/projects/:projectId/data-sources',
  '/projects/:projectId/data-sources/:dataSourceId',
  '/projects/:projectId/jobs',
  '/projects/:projectId/jobs/:jobId',
  '/projects/:projectId/rules',
  '/projects/:projectId/members',
  '/projects/:projectId/settings',
  '/profile',
  '/api-keys',
  '/admin/users',
  '/admin/system',
  'other',
] as const;
/** One of {@link WEB_VITAL_ROUTES}. */
export type WebVitalRoute = (typeof WEB_VITAL_ROUTES)[number];

/** Largest Contentful Paint in milliseconds; more than two minutes is a broken measurement, not a page. */
export const MAX_LCP_MS = 120_000;
/** Interaction to Next Paint in milliseconds. */
export const MAX_INP_MS = 60_000;
/** Cumulative Layout Shift (unitless; "good" is ≤ 0.1). */
export const MAX_CLS = 10;

const metricId = z.string().min(1).max(64);

/** One measurement, as the `web-vitals` package reports it (`value` in ms for LCP and INP). */
export const webVitalMetricSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('LCP'), id: metricId, value: z.number().min(0).max(MAX_LCP_MS) }),
  z.object({ name: z.literal('INP'), id: metricId, value: z.number().min(0).max(MAX_INP_MS) }),
  z.object({ name: z.literal('CLS'), id: metricId, value: z.number().min(0).max(MAX_CLS) }),
]);
/** See {@link webVitalMetricSchema}. */
export type WebVitalMetric = z.infer<typeof webVitalMetricSchema>;

/**
 * `POST /api/web-vitals` body: the page's route pattern and up to ten measurements.
 *
 * @example
 * { route: '/projects/:projectId/jobs', metrics: [{ name: 'LCP', id: 'v5-1700000000000-123', value: 812.4 }] }
 */
export const webVitalsReportSchema = z.strictObject({
  route: z.enum(WEB_VITAL_ROUTES),
  metrics: z.array(webVitalMetricSchema).min(1).max(10),
});
/** See {@link webVitalsReportSchema}. */
export type WebVitalsReport = z.infer<typeof webVitalsReportSchema>;
