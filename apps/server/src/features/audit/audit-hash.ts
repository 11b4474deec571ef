import { createHash } from 'node:crypto';

/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The hashed fields of an audit entry. */
export interface AuditFields {
  created_at: Date;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  target_type: string;
  target_id: string | null;
  project_id: string | null;
  details: Record<string, unknown>;
  request_id: string | null;
  ip: string | null;
}

/** JSON with object keys sorted at every level, so jsonb's key reordering cannot change the hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, child]) => child !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonicalJson(child)}`).join(',')}}`;
  }
  // undefined, functions and symbols have no JSON form; the stored jsonb would hold null.
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return 'null';
  return JSON.stringify(value);
}

/** sha256(prev_hash + "\n" + canonical fields), hex. Milliseconds suffice: created_at is written by us. */
export function auditHash(prevHash: string, fields: AuditFields): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(
      canonicalJson({
        created_at: fields.created_at.toISOString(),
        actor_user_id: fields.actor_user_id,
        actor_label: fields.actor_label,
        action: fields.action,
        target_type: fields.target_type,
        target_id: fields.target_id,
        project_id: fields.project_id,
        details: fields.details,
        request_id: fields.request_id,
        ip: fields.ip,
      }),
    )
    .digest('hex');
}
