import { z } from 'zod';
import { idSchema } from './common';

/** A rule set with its current version's rules. */
export const ruleSetViewSchema = z.object({
  id: idSchema,
  project_id: idSchema,
  name: z.string(),
  description: z.string(),
  version: z.number().int(),
  /** The engine rule set (snake_case JSON), defaults filled in. */
  rules: z.record(z.string(), z.unknown()),
  created_by: idSchema.nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
/** See {@link ruleSetViewSchema}. */
export type RuleSetView = z.infer<typeof ruleSetViewSchema>;

export const ruleSetListSchema = z.object({ items: z.array(ruleSetViewSchema) });

/** `POST /api/projects/{id}/rule-sets`. Rules are validated by the engine's schema. */
export const createRuleSetBodySchema = z.object({
  name: z.string().trim().min(1).max(255),
  description: z.string().max(2000).default(''),
  rules: z.record(z.string(), z.unknown()),
});

/** `PUT /api/rule-sets/{id}`: changing `rules` creates the next version; versions never change. */
export const updateRuleSetBodySchema = z
  .object({
    name: z.string().trim().min(1).max(255),
    description: z.string().max(2000),
    rules: z.record(z.string(), z.unknown()),
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, 'Give at least one of name, description, rules');

/** One version of a rule set. */
export const ruleSetVersionViewSchema = z.object({
  version: z.number().int(),
  rules: z.record(z.string(), z.unknown()),
  created_by: idSchema.nullable(),
  created_at: z.string(),
});
export const ruleSetVersionListSchema = z.object({ items: z.array(ruleSetVersionViewSchema) });

/** `{ id, version }` path parameters. */
export const ruleSetVersionParamsSchema = z.object({ id: idSchema, version: z.coerce.number().int().min(1) });

/** `POST /api/projects/{id}/rule-sets/suggest`. */
export const suggestRuleSetBodySchema = z.object({
  source_data_source_id: idSchema,
  target_data_source_id: idSchema,
});

/** The engine's proposal: a valid rule set (defaults filled in) and one note per decision it made. */
export const ruleSetSuggestionSchema = z.object({
  rules: z.record(z.string(), z.unknown()),
  notes: z.array(z.string()),
});

/** Most records per side a dry run reads (also its default): a dry run is a preview, not a job. */
export const DRY_RUN_MAX_ROWS = 50_000;

/**
 * `POST /api/projects/{id}/rule-sets/dry-run`: runs inline rules against two ready data sources in memory
 * and returns counts only (nothing is stored). Each side is capped at `sample_limit` records in file order.
 */
export const dryRunBodySchema = z.object({
  rules: z.record(z.string(), z.unknown()),
  left_data_source_id: idSchema,
  right_data_source_id: idSchema,
  sample_limit: z.number().int().min(1).max(DRY_RUN_MAX_ROWS).default(DRY_RUN_MAX_ROWS),
});
/** See {@link dryRunBodySchema}. */
export type DryRunBody = z.input<typeof dryRunBodySchema>;

const countSchema = z.number().int().min(0);

/** What one pass of a dry run matched. */
export const dryRunPassSchema = z.object({
  index: countSchema,
  name: z.string(),
  kind: z.string(),
  matches: countSchema,
  auto: countSchema,
  suggested: countSchema,
  /** Records of each side the pass matched. */
  left_records: countSchema,
  right_records: countSchema,
});

/** One side of a dry run: records read, and how many ended matched (auto or suggested) or unmatched. */
export const dryRunSideSchema = z.object({
  /** Records the dry run read from this side (at most `sample_limit`). */
  records: countSchema,
  /** Records the data source holds. */
  available: countSchema,
  matched: countSchema,
  auto: countSchema,
  suggested: countSchema,
  unmatched: countSchema,
  /** matched / records (1 when the side is empty). */
  match_rate: z.number(),
});

/** The counts a dry run returns. */
export const dryRunResultSchema = z.object({
  passes: z.array(dryRunPassSchema),
  matches: countSchema,
  auto: countSchema,
  suggested: countSchema,
  left: dryRunSideSchema,
  right: dryRunSideSchema,
  /** Matched records of both sides over all records read. */
  match_rate: z.number(),
  /** True when either side had more records than `sample_limit`, so the counts are of a sample. */
  sampled: z.boolean(),
  sample_limit: countSchema,
  elapsed_ms: countSchema,
});
/** See {@link dryRunResultSchema}. */
export type DryRunResult = z.infer<typeof dryRunResultSchema>;
