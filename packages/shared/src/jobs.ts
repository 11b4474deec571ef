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
  /**
   * Take the still-open exceptions (open or investigating) of the project's latest completed job as extra
   * input on each side, keeping their first-seen time. Resolved when the job first runs.
   */
  carry_forward: z.boolean().default(false),
  /** Carry from this completed job of the project instead of the latest one (implies `carry_forward`). */
  carry_forward_from_job_id: idSchema.optional(),
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
    /** Turn carry-forward on or off; a change takes effect (carried records are chosen again) at the next run. */
    carry_forward: z.boolean(),
    /** The job to carry from; null for the project's latest completed job. Implies `carry_forward`. */
    carry_forward_from_job_id: idSchema.nullable(),
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

/** Carry-forward of a job: what was asked for and, once it has run, what was carried. */
export const carryForwardViewSchema = z.object({
  /** False once turned off while the current results still use carried inputs (until the next run). */
  enabled: z.boolean(),
  /** The job asked for, or null for the project's latest completed job. */
  requested_job_id: idSchema.nullable(),
  /** The data sources chosen; `source_data_source_id`/`target_data_source_id` of the job are the inputs as run. */
  base_source_data_source_id: idSchema,
  base_target_data_source_id: idSchema,
  /** The job whose open exceptions were carried (null before the first run, or when there was none). */
  carried_from_job_id: idSchema.nullable(),
  carried_from_job_name: z.string().nullable(),
  /** Carried records per side; null before the first run. */
  carried_left: z.number().int().nullable(),
  carried_right: z.number().int().nullable(),
  /** When the carried set was chosen; reruns reuse it until the carry-forward settings change. */
  materialised_at: z.string().nullable(),
  /** The settings changed since then: the next start or rerun chooses the carried records again. */
  rechoose: z.boolean(),
});
/** See {@link carryForwardViewSchema}. */
export type CarryForwardView = z.infer<typeof carryForwardViewSchema>;

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
  /**
   * When a data source the last run read was ingested again (its column mapping changed) after that run:
   * the results describe the records as they were. Null when the results are current; a rerun clears it.
   */
  inputs_changed_at: z.string().nullable(),
  /** Null when the job does not carry exceptions forward. */
  carry_forward: carryForwardViewSchema.nullable(),
});
/** See {@link jobViewSchema}. */
export type JobView = z.infer<typeof jobViewSchema>;

export const jobListSchema = z.object({ items: z.array(jobViewSchema), next_cursor: z.string().nullable() });

/** `GET /api/reconciliation/jobs/{id}/carried` query: keyset-paged by row number within a side. */
export const carriedQuerySchema = z.object({
  side: z.enum(['left', 'right']).default('left'),
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** A record carried into a job: its row in the job, its origin and age, and what became of it. */
export const carriedRecordSchema = z.object({
  side: z.enum(['left', 'right']),
  /** The row in this job's input (as in matches and exceptions of this job). */
  row_no: z.string(),
  /** The job it was carried from, and its row there. */
  from_job_id: idSchema,
  from_row_no: z.string(),
  /** Where it was first seen unmatched (followed through earlier carries). */
  origin_job_id: idSchema,
  origin_data_source_id: idSchema,
  origin_row_no: z.string(),
  first_seen_at: z.string(),
  /** Whole days since first seen. */
  age_days: z.number().int(),
  /** Its exception status in this job, or 'matched' when it is in a live match. */
  status: z.enum(['open', 'investigating', 'resolved', 'written_off', 'matched']),
  /** The match holding it (status confirmed or suggested), or null. */
  match_id: z.string().nullable(),
  match_status: z.string().nullable(),
  external_id: z.string().nullable(),
  /** Signed integer minor units, as a decimal string. */
  amount_minor: z.string(),
  currency: z.string().nullable(),
  reference: z.string().nullable(),
});

/** See {@link carriedRecordSchema}. */
export type CarriedRecord = z.infer<typeof carriedRecordSchema>;

export const carriedListSchema = z.object({
  items: z.array(carriedRecordSchema),
  next_after: z.number().int().nullable(),
});

/** Payload of the reconciliation queue job: which job and which run of it. */
export const reconcileJobPayloadSchema = z.object({ job_id: idSchema, run_no: z.number().int().min(1) });
