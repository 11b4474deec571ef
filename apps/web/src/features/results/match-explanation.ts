import { z } from 'zod';

const comparisonSchema = z.object({
  label: z.string().optional(),
  type: z.string(),
  required: z.boolean().optional(),
  passed: z.boolean(),
  score: z.number(),
  left: z.string().nullable().optional(),
  right: z.string().nullable().optional(),
});

const runnerUpSchema = z.object({
  left: z.number().nullable(),
  right: z.number().nullable(),
  score: z.number(),
});

const explanationSchema = z.object({
  comparisons: z.array(comparisonSchema).default([]),
  runnerUp: runnerUpSchema.nullable().optional(),
  runner_up: runnerUpSchema.nullable().optional(),
  margin: z.number().nullable().optional(),
  ambiguous: z.boolean().optional(),
});

/** What the engine said about a match, in the shape the record view shows. */
export interface Explanation {
  comparisons: z.infer<typeof comparisonSchema>[];
  runnerUp: z.infer<typeof runnerUpSchema> | null;
  margin: number | null;
  isAmbiguous: boolean;
}

/**
 * Reads a match's explanation. The API passes the engine's object through untyped, so it is narrowed
 * here; both the engine's camelCase and a snake_case `runner_up` are accepted. Unreadable → null.
 */
export function readExplanation(raw: unknown): Explanation | null {
  const parsed = explanationSchema.safeParse(raw);
  if (!parsed.success) return null;
  const value = parsed.data;
  return {
    comparisons: value.comparisons,
    runnerUp: value.runnerUp ?? value.runner_up ?? null,
    margin: value.margin ?? null,
    isAmbiguous: value.ambiguous ?? false,
  };
}
