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
