import { z } from 'zod';

// Analytics views. Counts are numbers; amounts are integer minor units as decimal strings (exact), always per
// currency and scale: minor units of different currencies (EUR cents, JPY yen) are never added together.

const minorUnits = z.string().regex(/^-?\d+$/);
const isoDate = z.iso.date();

/**
 * How many items of one currency and scale, and their amounts summed in minor units of that scale. `currency`
 * null: records that carry no currency (one scale still).
 *
 * @example { currency: 'EUR', scale: 2, count: 3, amount: '125000' } // 1,250.00 EUR over 3 items
 */
export const currencyAmountSchema = z.object({
  currency: z.string().nullable(),
  scale: z.number().int(),
  count: z.number().int(),
  amount: minorUnits,
});
/** See {@link currencyAmountSchema}. */
export type CurrencyAmount = z.infer<typeof currencyAmountSchema>;

/**
 * Counts and amounts of reconciliation outcomes. `match_rate` and `auto_match_rate` are 0–1 or null.
 *
 * Matches are summed by their left records' amount under the currency and scale those records share
 * (recon_matches.currency/scale). A match whose left records differ in currency or scale, or lack a currency,
 * or that was written before matches carried one, has none: it is counted in `matched` / `suggested` and in
 * `*_mixed_currency`, never in an amount: `matched` = Σ `matched_amounts[].count` + `matched_mixed_currency`.
 * Open exceptions are grouped by their record's currency and scale and summed as absolute exposures, as in the
 * exception ageing (a debit of 90 and a credit of 90 are 180 open, not 0).
 */
export const outcomeTotalsSchema = z.object({
  matched: z.number().int(),
  matched_amounts: z.array(currencyAmountSchema),
  matched_mixed_currency: z.number().int(),
  suggested: z.number().int(),
  suggested_amounts: z.array(currencyAmountSchema),
  suggested_mixed_currency: z.number().int(),
  unmatched: z.number().int(),
  unmatched_amounts: z.array(currencyAmountSchema),
  match_rate: z.number().nullable(),
  auto_match_rate: z.number().nullable(),
});
/** See {@link outcomeTotalsSchema}. */
export type OutcomeTotals = z.infer<typeof outcomeTotalsSchema>;

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
      amounts: z.array(currencyAmountSchema),
    }),
  ),
});
/** See {@link reconciliationAnalyticsSchema}. */
export type ReconciliationAnalytics = z.infer<typeof reconciliationAnalyticsSchema>;
