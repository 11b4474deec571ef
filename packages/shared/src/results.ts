import { z } from 'zod';
import { currencyAmountSchema } from './analytics';
import { recordViewSchema } from './data-sources';

/**
 * Records of one side in one state: how many, and their amounts per currency and scale (`amounts[].count`
 * adds up to `count`). Minor units of different currencies are never added together.
 *
 * @example { count: 3, amounts: [{ currency: 'EUR', scale: 2, count: 2, amount: '30000' },
 *   { currency: 'JPY', scale: 0, count: 1, amount: '5000' }] } // 300.00 EUR and 5,000 JPY
 */
const tally = z.object({ count: z.number().int(), amounts: z.array(currencyAmountSchema) });
const sideSummary = z.object({ total: tally, matched: tally, unmatched: tally, match_rate: z.number() });

/**
 * `GET /api/reconciliation/jobs/{id}/results`: counts per tier, status and pass; per side, the records in
 * total, in a live (confirmed or suggested) match and unmatched, with their amounts per currency and scale.
 * Rates are 0–1 by record count.
 */
export const resultSummarySchema = z.object({
  job_id: z.string(),
  status: z.string(),
  matches: z.number().int(),
  match_rate: z.number(),
  discrepancies: z.number().int(),
  by_tier: z.record(z.string(), z.object({ count: z.number().int() })),
  by_status: z.record(z.string(), z.object({ count: z.number().int() })),
  passes: z.array(
    z.object({
      index: z.number().int(),
      name: z.string(),
      kind: z.string(),
      matches: z.number().int(),
      auto: z.number().int(),
      suggested: z.number().int(),
    }),
  ),
  left: sideSummary,
  right: sideSummary,
});
/** See {@link resultSummarySchema}. */
export type ResultSummary = z.infer<typeof resultSummarySchema>;

export const matchTierSchema = z.enum(['auto', 'suggested', 'manual']);
export const matchStatusSchema = z.enum(['confirmed', 'suggested', 'rejected', 'unmatched']);

/** A match with its records and explanation. */
export const matchViewSchema = z.object({
  match_id: z.number().int(),
  pass_index: z.number().int(),
  pass_name: z.string(),
  kind: z.string(),
  score: z.number(),
  tier: matchTierSchema,
  status: matchStatusSchema,
  amount_difference_minor: z.string(),
  left: z.array(recordViewSchema),
  right: z.array(recordViewSchema),
  explanation: z.record(z.string(), z.unknown()),
  reason: z.string().nullable(),
  version: z.number().int(),
  updated_at: z.string(),
});
/** See {@link matchViewSchema}. */
export type MatchView = z.infer<typeof matchViewSchema>;

/**
 * Sort orders of `GET .../matches`; every one ends with the match id, so pages never skip or repeat rows.
 * Ties are broken by ascending match id, except in `score_asc` and `amount_difference_asc`, which are the
 * exact reverse of their descending orders (ties by descending match id).
 */
export const matchSortSchema = z.enum([
  'match_id',
  'score_desc',
  'score_asc',
  'amount_difference_desc',
  'amount_difference_asc',
  'date_desc',
  'date_asc',
]);
/** See {@link matchSortSchema}. */
export type MatchSort = z.infer<typeof matchSortSchema>;

/**
 * `GET .../matches` query: keyset pagination on (sort key, match id). `q` searches the reference,
 * counterparty, description and external id of the records on both sides (case-insensitive substring) and
 * the match id; a match's date (`date_from`/`date_to`, `date_*` sorts) is the booking date of its first
 * left record. Amount differences are absolute, in minor units.
 *
 * @example
 * ?status=suggested&q=acme&min_score=0.6&sort=amount_difference_desc&limit=100
 */
export const matchesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Opaque: the `next_cursor` of the previous page, valid only with the same sort. */
  cursor: z.string().max(300).optional(),
  tier: matchTierSchema.optional(),
  status: matchStatusSchema.optional(),
  pass: z.string().max(100).optional(),
  min_score: z.coerce.number().min(0).max(1).optional(),
  max_score: z.coerce.number().min(0).max(1).optional(),
  min_amount_difference: z.coerce.number().int().min(0).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  date_from: z.iso.date().optional(),
  date_to: z.iso.date().optional(),
  sort: matchSortSchema.default('match_id'),
});
export const matchPageSchema = z.object({
  items: z.array(matchViewSchema),
  next_cursor: z.string().nullable(),
});

export const exceptionStatusSchema = z.enum(['open', 'investigating', 'resolved', 'written_off', 'matched']);

/** An unmatched record (an exception) with its nearest candidate and why it failed. */
export const exceptionViewSchema = z.object({
  side: z.enum(['left', 'right']),
  row: z.number().int(),
  record: recordViewSchema,
  nearest: z.object({ row: z.number().int(), score: z.number(), pass: z.string() }).nullable(),
  reason: z.string(),
  status: exceptionStatusSchema,
  assignee_id: z.string().nullable(),
  write_off_code: z.string().nullable(),
  version: z.number().int(),
  updated_at: z.string(),
  /** When the record was first seen unmatched: this run, or an earlier job it was carried forward from. */
  first_seen_at: z.string(),
});
/** See {@link exceptionViewSchema}. */
export type ExceptionView = z.infer<typeof exceptionViewSchema>;

/**
 * Sort orders of `GET .../unmatched`: amounts by absolute value, dates by booking date (missing last). Ties
 * by row number, descending in `amount_desc` (the exact reverse of `amount_asc`), ascending otherwise.
 */
export const unmatchedSortSchema = z.enum(['row', 'amount_desc', 'amount_asc', 'date_asc', 'date_desc']);

/**
 * `GET .../unmatched?side=` query, keyset-paged on (sort key, row). `q` searches reference, counterparty,
 * description and external id; `date_asc` (oldest first) is the ageing order.
 */
export const unmatchedQuerySchema = z.object({
  side: z.enum(['left', 'right']),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Opaque: the `next_cursor` of the previous page, valid only with the same sort. */
  cursor: z.string().max(300).optional(),
  status: exceptionStatusSchema.optional(),
  q: z.string().trim().min(1).max(200).optional(),
  date_from: z.iso.date().optional(),
  date_to: z.iso.date().optional(),
  sort: unmatchedSortSchema.default('row'),
});
export const exceptionPageSchema = z.object({
  items: z.array(exceptionViewSchema),
  next_cursor: z.string().nullable(),
});

/** A difference inside an accepted match. */
export const discrepancyViewSchema = z.object({
  match_id: z.number().int(),
  field: z.string(),
  left_value: z.string(),
  right_value: z.string(),
  delta: z.string(),
  unit: z.string(),
});
export const discrepanciesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** `<match_id>:<field>` of the last item seen. */
  cursor: z
    .string()
    .regex(/^\d+:[a-z_]+$/)
    .optional(),
  field: z.enum(['amount', 'booking_date', 'value_date']).optional(),
});
export const discrepancyPageSchema = z.object({
  items: z.array(discrepancyViewSchema),
  next_cursor: z.string().nullable(),
});

const version = z.number().int().min(1);
const reason = z.string().trim().min(1).max(1000);
const sideSchema = z.enum(['left', 'right']);

/** `{ id, match_id }` path parameters. */
export const matchParamsSchema = z.object({ id: z.uuid(), match_id: z.coerce.number().int().min(1) });
/** `{ id, side, row }` path parameters of an exception. */
export const exceptionParamsSchema = z.object({
  id: z.uuid(),
  side: sideSchema,
  row: z.coerce.number().int().min(1),
});

/** Confirm or reject a suggested match; unmatch any live match. `version` is the one last read (stale → 409). */
export const matchDecisionBodySchema = z.object({ version, reason: reason.optional() });
export const unmatchBodySchema = z.object({ version, reason });
/** Match records chosen on both sides by hand. */
export const manualMatchBodySchema = z.object({
  left_rows: z.array(z.number().int().min(1)).min(1).max(100),
  right_rows: z.array(z.number().int().min(1)).min(1).max(100),
  reason,
});
export const writeOffBodySchema = z.object({ version, code: z.string().trim().min(1).max(50), reason });
export const assignBodySchema = z.object({ version, assignee_id: z.uuid().nullable() });
export const exceptionStatusBodySchema = z.object({
  version,
  status: z.enum(['open', 'investigating', 'resolved']),
});
export const commentBodySchema = z.object({
  target_type: z.enum(['match', 'exception']),
  /** A match id, or `<side>:<row>` for an exception. */
  target_key: z.string().regex(/^(\d+|(left|right):\d+)$/),
  body: z.string().trim().min(1).max(5000),
});
export const commentViewSchema = z.object({
  id: z.string(),
  target_type: z.string(),
  target_key: z.string(),
  body: z.string(),
  author_id: z.string().nullable(),
  created_at: z.string(),
});
export const commentListQuerySchema = z.object({
  target_type: z.enum(['match', 'exception']),
  target_key: z.string().max(40),
});
export const commentListSchema = z.object({ items: z.array(commentViewSchema) });

/** One action of a bulk review request; all of them commit together or none does. */
export const bulkActionSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('confirm'),
    match_id: z.number().int().min(1),
    version,
    reason: reason.optional(),
  }),
  z.object({
    type: z.literal('reject'),
    match_id: z.number().int().min(1),
    version,
    reason: reason.optional(),
  }),
  z.object({ type: z.literal('unmatch'), match_id: z.number().int().min(1), version, reason }),
  z.object({
    type: z.literal('write_off'),
    side: sideSchema,
    row: z.number().int().min(1),
    version,
    code: z.string().trim().min(1).max(50),
    reason,
  }),
  z.object({
    type: z.literal('assign'),
    side: sideSchema,
    row: z.number().int().min(1),
    version,
    assignee_id: z.uuid().nullable(),
  }),
  z.object({
    type: z.literal('status'),
    side: sideSchema,
    row: z.number().int().min(1),
    version,
    status: z.enum(['open', 'investigating', 'resolved']),
  }),
]);
export const bulkReviewBodySchema = z.object({ actions: z.array(bulkActionSchema).min(1).max(500) });
export const bulkReviewResultSchema = z.object({ applied: z.number().int() });

/** `GET .../export` query. `xlsx`: one sheet per part, amounts as numbers in currency units, dates as dates. */
export const exportQuerySchema = z.object({
  format: z.enum(['csv', 'json', 'xlsx']).default('csv'),
  part: z.enum(['matches', 'unmatched', 'all']).default('all'),
});
