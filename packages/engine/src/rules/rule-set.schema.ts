import { z } from 'zod';
import {
  DATE_FIELDS,
  NORMALISERS,
  SIMILARITY_ALGORITHMS,
  isTextFieldRef,
  type DateField,
  type Normaliser,
  type TextFieldRef,
} from './rule-fields';

// Snake_case keys throughout: the rule set goes on the wire and into storage exactly as written here.

const textField = z.string().refine((value): value is TextFieldRef => isTextFieldRef(value), {
  message:
    'unknown field: use external_id, reference, counterparty, description, account, currency or extra.<column>',
});
const dateField = z.enum(DATE_FIELDS);
const normalisers = z.array(z.enum(NORMALISERS));

/** Shared by every comparison: how much it counts and whether failing it rules the pair out. */
const comparisonBase = {
  /** Relative weight in the pass score (0 counts for nothing but can still be required). */
  weight: z.number().min(0).max(100).default(1),
  /** A required comparison that fails rules the candidate out; an optional one only lowers the score. */
  required: z.boolean().default(true),
};

/** Equality of one field on both sides after normalisers. */
export const exactComparisonSchema = z.object({
  type: z.literal('exact'),
  field: textField,
  right_field: textField.optional(),
  /** None by default: raw equality hashes fastest; add trim, case... for messy keys. */
  normalisers: normalisers.default([]),
  ...comparisonBase,
});

/** Amounts within an absolute and/or relative tolerance (the larger applies). */
export const amountComparisonSchema = z.object({
  type: z.literal('amount'),
  /** Absolute tolerance in minor units (cents). */
  tolerance_minor: z.number().int().min(0).default(0),
  /** Relative tolerance in percent of the smaller absolute amount; the larger of both tolerances applies. */
  tolerance_percent: z.number().min(0).max(100).default(0),
  /** `opposite` when one side books money in as negative (e.g. ledger credit vs bank debit). */
  right_sign: z.enum(['same', 'opposite']).default('same'),
  ...comparisonBase,
});

/** Date lag (right − left, days) inside a window; asymmetric windows model settlement lag. */
export const dateComparisonSchema = z
  .object({
    type: z.literal('date'),
    field: dateField.default('booking_date'),
    right_field: dateField.optional(),
    /** Lag = right date − left date in days; the pair passes when min_days ≤ lag ≤ max_days. */
    min_days: z.number().int().min(-366).max(366).default(0),
    max_days: z.number().int().min(-366).max(366).default(0),
    ...comparisonBase,
  })
  .refine((c) => c.min_days <= c.max_days, {
    message: 'min_days must not exceed max_days',
    path: ['min_days'],
  });

/** Text similarity at or above a threshold (scores the similarity itself). */
export const textComparisonSchema = z.object({
  type: z.literal('text'),
  field: textField,
  right_field: textField.optional(),
  algorithm: z.enum(SIMILARITY_ALGORITHMS).default('jaro_winkler'),
  /** Similarity in [0, 1] at or above which the comparison passes. */
  threshold: z.number().min(0).max(1).default(0.85),
  normalisers: normalisers.default(['trim', 'case']),
  ...comparisonBase,
});

/** One value contains the other. */
export const containsComparisonSchema = z.object({
  type: z.literal('contains'),
  field: textField,
  right_field: textField.optional(),
  direction: z.enum(['either', 'left_in_right', 'right_in_left']).default('either'),
  normalisers: normalisers.default(['trim', 'case']),
  ...comparisonBase,
});

/** A reference extracted from free text by a pattern, compared with the other side. */
export const regexComparisonSchema = z.object({
  type: z.literal('regex'),
  field: textField,
  right_field: textField.optional(),
  /** RE2/JavaScript pattern; the first capture group (or the whole match) is the extracted reference. */
  pattern: z.string().min(1).max(500),
  /** Which side's text the pattern is applied to; the other side is compared as is. */
  apply_to: z.enum(['left', 'right', 'both']).default('left'),
  normalisers: normalisers.default(['trim', 'case']),
  ...comparisonBase,
});

/** Any comparison, discriminated by `type`. */
export const comparisonSchema = z.discriminatedUnion('type', [
  exactComparisonSchema,
  amountComparisonSchema,
  dateComparisonSchema,
  textComparisonSchema,
  containsComparisonSchema,
  regexComparisonSchema,
]);

const DEFAULT_KEY_NORMALISERS: Normaliser[] = ['trim', 'case'];
const blockingKeyObject = z.object({
  field: z.union([textField, dateField]),
  right_field: z.union([textField, dateField]).optional(),
  normalisers: normalisers.default(['trim', 'case']),
});
/** A blocking key: a field name, or an object with a different right field and normalisers. */
export const blockingKeySchema = z.union([
  z
    .union([dateField, textField])
    .transform((field) => ({ field, right_field: undefined, normalisers: DEFAULT_KEY_NORMALISERS })),
  blockingKeyObject,
]);

/** Options of grouped passes: group keys and the limits of the subset-sum search. */
export const groupSchema = z.object({
  /** Group the left side by this field (many_to_one, many_to_many). */
  left_key: textField.optional(),
  /** Group the right side by this field (one_to_many, many_to_many). */
  right_key: textField.optional(),
  /** Most records on the "many" side of one match. */
  max_group_size: z.number().int().min(2).max(50).default(10),
  /** Most candidate records considered by the subset-sum search per target record. */
  max_candidates: z.number().int().min(2).max(64).default(24),
  /** Largest spread in days between the earliest and the latest member of a group. */
  date_span_days: z.number().int().min(0).max(366).optional(),
  /** Members of a group must share one counterparty. */
  same_counterparty: z.boolean().default(false),
  /** Most search steps per target record; the search stops (and says so) past it. */
  search_budget: z.number().int().min(100).max(10_000_000).default(200_000),
});

/** How many records per side one match may hold. */
export const passKindSchema = z.enum(['one_to_one', 'one_to_many', 'many_to_one', 'many_to_many']);

/** One ordered pass: candidates, comparisons and (for grouped kinds) group options. */
export const passSchema = z.object({
  name: z.string().min(1).max(100),
  kind: passKindSchema.default('one_to_one'),
  /**
   * Candidate pairs must agree on every key of at least one blocking set. Required exact, regex and
   * zero-tolerance amount comparisons block too, so most passes need no explicit blocking.
   */
  blocking: z.array(z.array(blockingKeySchema).min(1).max(8)).max(8).default([]),
  comparisons: z.array(comparisonSchema).min(1).max(20),
  /** Only records in the same currency can match (records without currency match each other). */
  same_currency: z.boolean().default(true),
  /** Overrides the rule set's confidence threshold for this pass. */
  confidence_threshold: z.number().min(0).max(1).optional(),
  group: groupSchema.optional(),
});

/** A versioned rule set (`version: 1`), snake_case on the wire. */
export const ruleSetSchema = z.object({
  version: z.literal(1),
  name: z.string().max(200).optional(),
  /** Below this score (0–1) a candidate is never matched. */
  confidence_threshold: z.number().min(0).max(1).default(0.6),
  /** At or above this score, an unambiguous match is confirmed without review. */
  auto_confirm_threshold: z.number().min(0).max(1).default(0.9),
  /** A match whose runner-up scores within this margin is only suggested, never auto-confirmed. */
  ambiguity_margin: z.number().min(0).max(1).default(0.02),
  passes: z.array(passSchema).min(1).max(20),
});

/** A rule set as written by a user or the API (defaults may be omitted). */
export type RuleSetInput = z.input<typeof ruleSetSchema>;
/** A validated rule set with every default filled in. */
export type RuleSet = z.output<typeof ruleSetSchema>;
export type Pass = RuleSet['passes'][number];
export type PassKind = z.output<typeof passKindSchema>;
export type Comparison = z.output<typeof comparisonSchema>;
export type ComparisonType = Comparison['type'];
export type ExactComparison = z.output<typeof exactComparisonSchema>;
export type AmountComparison = z.output<typeof amountComparisonSchema>;
export type DateComparison = z.output<typeof dateComparisonSchema>;
export type TextComparison = z.output<typeof textComparisonSchema>;
export type ContainsComparison = z.output<typeof containsComparisonSchema>;
export type RegexComparison = z.output<typeof regexComparisonSchema>;
export type BlockingKey = z.output<typeof blockingKeySchema>;
export type GroupOptions = z.output<typeof groupSchema>;
export type { DateField, TextFieldRef };
