import { z } from 'zod';
import { idSchema } from './common';

/** Job states: draft → queued → running → completed | failed | cancelled. */
export const jobStatusSchema = z.enum(['draft', 'queued', 'running', 'completed', 'failed', 'cancelled']);
/** See {@link jobStatusSchema}. */
export type JobStatus = z.infer<typeof jobStatusSchema>;

const threshold = z.number().min(0).max(1);

/** The rule set of a job: a stored version, or rules given inline. */
export const jobRulesInputSchema = z.union([
  z.object({ rule_set_id: idSchema, rule_set_version: z.number().int().min(1).optional() }),
  z.object({ rules: z.record(z.string(), z.unknown()) }),
]);

/** `POST /api/reconciliation/jobs`. */
export const createJobBodySchema = z.object({
  name: z.string().trim().min(1).max(255),
  description: z.string().max(1000).default(''),
  project_id: idSchema,
  source_data_source_id: idSchema,
  target_data_source_id: idSchema,
  rule_set_id: idSchema.optional(),
  rule_set_version: z.number().int().min(1).optional(),
  rules: z.record(z.string(), z.unknown()).optional(),
  confidence_threshold: threshold.optional(),
  auto_confirm_threshold: threshold.optional(),
  /** Queue the job at once instead of leaving it a draft. */
  start: z.boolean().default(false),
});

/** `PUT /api/reconciliation/jobs/{id}`: refused with 409 while the job is queued or running. */
export const updateJobBodySchema = z
  .object({
    name: z.string().trim().min(1).max(255),
    description: z.string().max(1000),
    rule_set_id: idSchema,
    rule_set_version: z.number().int().min(1),
    rules: z.record(z.string(), z.unknown()),
    confidence_threshold: threshold.nullable(),
    auto_confirm_threshold: threshold.nullable(),
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, 'Give at least one field to change');

/** `GET /api/reconciliation/jobs` query: keyset-paged by `cursor`. */
export const listJobsQuerySchema = z.object({
  project_id: idSchema,
  status: jobStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

/** A reconciliation job as the API shows it. */
export const jobViewSchema = z.object({
  id: idSchema,
  project_id: idSchema,
  name: z.string(),
  description: z.string(),
  source_data_source_id: idSchema,
  target_data_source_id: idSchema,
  rule_set_id: idSchema.nullable(),
  rule_set_version: z.number().int().nullable(),
  rules: z.record(z.string(), z.unknown()),
  confidence_threshold: z.number().nullable(),
  auto_confirm_threshold: z.number().nullable(),
  status: jobStatusSchema,
  progress: z.number().int(),
  phase: z.string().nullable(),
  eta_seconds: z.number().int().nullable(),
  attempt: z.number().int(),
  run_no: z.number().int(),
  failure: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Input file hashes, rule-set version and engine version of the last run. */
  provenance: z.record(z.string(), z.unknown()).nullable(),
  created_by: idSchema.nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});
/** See {@link jobViewSchema}. */
export type JobView = z.infer<typeof jobViewSchema>;

export const jobListSchema = z.object({ items: z.array(jobViewSchema), next_cursor: z.string().nullable() });

/** Payload of the reconciliation queue job: which job and which run of it. */
export const reconcileJobPayloadSchema = z.object({ job_id: idSchema, run_no: z.number().int().min(1) });
