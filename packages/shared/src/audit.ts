import { z } from 'zod';

/** One audit entry as the API shows it. `hash` covers the row and `prev_hash`, forming a chain. */
export const auditEntryViewSchema = z.object({
  id: z.string(),
  created_at: z.string(),
  actor_user_id: z.string().nullable(),
  actor_label: z.string(),
  action: z.string(),
  target_type: z.string(),
  target_id: z.string().nullable(),
  project_id: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  request_id: z.string().nullable(),
  ip: z.string().nullable(),
  prev_hash: z.string(),
  hash: z.string(),
});

/** `GET /api/audit` query (admin): newest first, keyset by id. */
export const listAuditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before_id: z.coerce.number().int().min(1).optional(),
  project_id: z.uuid().optional(),
});

/** `GET /api/audit`. */
export const auditListSchema = z.object({ items: z.array(auditEntryViewSchema) });

/** `GET /api/audit/verify`: `ok` is false when any row's hash or link does not match. */
export const auditVerifyResultSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  first_broken_id: z.string().nullable(),
  reason: z.string().nullable(),
});
/** See {@link auditVerifyResultSchema}. */
export type AuditVerifyResult = z.infer<typeof auditVerifyResultSchema>;
