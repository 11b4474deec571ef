import { z } from 'zod';

// Analytics views. Counts are numbers; amounts are integer minor units as decimal strings (exact). The
// exception ageing gives amounts per currency; the dashboard's outcome amounts are still plain sums of minor
// units (recon_matches has no currency column yet), exact only for single-currency data.

const minorUnits = z.string().regex(/^-?\d+$/);
const isoDate = z.iso.date();

/** Counts and amounts of reconciliation outcomes. `match_rate` and `auto_match_rate` are 0–1 or null. */
export const outcomeTotalsSchema = z.object({
  matched: z.number().int(),
  matched_amount: minorUnits,
  suggested: z.number().int(),
  suggested_amount: minorUnits,
  unmatched: z.number().int(),
  unmatched_amount: minorUnits,
  match_rate: z.number().nullable(),
  auto_match_rate: z.number().nullable(),
});

/** One day of finished jobs. */
export const rateOverTimeSchema = z.object({
  date: isoDate,
  jobs: z.number().int(),
  match_rate: z.number().nullable(),
  auto_match_rate: z.number().nullable(),
});

export const activityEntrySchema = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target_type: z.string(),
  target_id: z.string().nullable(),
  project_id: z.string().nullable(),
});

/** `GET /api/analytics/dashboard`: everything in the projects the caller belongs to. */
export const dashboardSchema = z.object({
  totals: z.object({
    users: z.number().int(),
    projects: z.number().int(),
    jobs: z.number().int(),
    data_sources: z.number().int(),
  }),
  jobs_by_status: z.record(z.string(), z.number().int()),
  outcomes: outcomeTotalsSchema,
  rates_over_time: z.array(rateOverTimeSchema),
  performance: z.object({
    request_rate_per_second: z.number(),
    latency_ms: z.object({ p50: z.number(), p95: z.number(), p99: z.number() }),
    error_rate: z.number(),
  }),
  recent_activity: z.array(activityEntrySchema),
  generated_at: z.string(),
});
/** See {@link dashboardSchema}. */
export type Dashboard = z.infer<typeof dashboardSchema>;

/** `GET /api/analytics/projects/{id}`. */
export const projectAnalyticsSchema = z.object({
  project_id: z.uuid(),
  totals: z.object({ jobs: z.number().int(), data_sources: z.number().int(), records: z.number().int() }),
  jobs_by_status: z.record(z.string(), z.number().int()),
  outcomes: outcomeTotalsSchema,
  rates_over_time: z.array(rateOverTimeSchema),
  recent_activity: z.array(activityEntrySchema),
});
/** See {@link projectAnalyticsSchema}. */
export type ProjectAnalytics = z.infer<typeof projectAnalyticsSchema>;

/** `GET /api/analytics/users/activity` query: `from`/`to` inclusive dates (default: the last 30 days). */
export const userActivityQuerySchema = z
  .object({
    granularity: z.enum(['day', 'month']).default('day'),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, {
    message: 'from must not be after to',
    path: ['from'],
  });

/** `GET /api/analytics/users/activity`: admins see everyone, others their own actions. */
export const userActivitySchema = z.object({
  granularity: z.enum(['day', 'month']),
  from: isoDate,
  to: isoDate,
  buckets: z.array(z.object({ period: isoDate, active_users: z.number().int(), actions: z.number().int() })),
});
/** See {@link userActivitySchema}. */
export type UserActivity = z.infer<typeof userActivitySchema>;

/** `GET /api/analytics/reconciliation`: match rate by pass and ageing of open exceptions. */
export const reconciliationAnalyticsSchema = z.object({
  by_pass: z.array(
    z.object({
      pass_name: z.string(),
      matches: z.number().int(),
      confirmed: z.number().int(),
      suggested: z.number().int(),
      records: z.number().int(),
      share_of_matched_records: z.number().nullable(),
    }),
  ),
  exception_ageing: z.array(
    z.object({
      bucket: z.enum(['0-7', '8-30', '31-90', '90+']),
      count: z.number().int(),
      /** Per currency (and scale): how many, and their absolute amounts summed in minor units. */
      amounts: z.array(
        z.object({
          currency: z.string().nullable(),
          scale: z.number().int(),
          count: z.number().int(),
          amount: minorUnits,
        }),
      ),
    }),
  ),
});
/** See {@link reconciliationAnalyticsSchema}. */
export type ReconciliationAnalytics = z.infer<typeof reconciliationAnalyticsSchema>;
