import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database';
import type { AuditRow } from '../../db/schema';
import { GENESIS_HASH, auditHash, type AuditFields } from './audit-hash';

// Serialises audit writers so each entry links to the one committed before it.
const AUDIT_LOCK_KEY = 378_000_002;

/** What a caller gives to record an entry; time and hashes are filled in here. */
export type AuditInput = Omit<AuditFields, 'created_at' | 'details'> & { details?: Record<string, unknown> };

/**
 * Appends one entry to the chain. Call inside the transaction that makes the change, as its last
 * statement: the advisory lock is held until commit, so keep the rest of the transaction short.
 */
export async function appendAuditEntry(trx: DbOrTx, input: AuditInput): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
  const last = await trx
    .selectFrom('audit_log')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const prevHash = last?.hash ?? GENESIS_HASH;
  // Truncate to milliseconds: that is what survives the round trip through timestamptz and Date.
  const fields: AuditFields = { ...input, details: input.details ?? {}, created_at: new Date(Date.now()) };
  await trx
    .insertInto('audit_log')
    .values({
      ...fields,
      details: JSON.stringify(fields.details),
      prev_hash: prevHash,
      hash: auditHash(prevHash, fields),
    })
    .execute();
}

/** A batch of entries in chain order after `afterId` (ids as strings: int8). */
export function listAuditAfter(db: DbOrTx, afterId: string, limit: number): Promise<AuditRow[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('id', '>', afterId as never)
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
}

/** Newest first, optionally before an id and within a project. */
export function listAuditPage(
  db: DbOrTx,
  options: { limit: number; beforeId?: number; projectId?: string },
): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(options.limit);
  if (options.beforeId !== undefined) query = query.where('id', '<', String(options.beforeId) as never);
  if (options.projectId !== undefined) query = query.where('project_id', '=', options.projectId);
  return query.execute();
}
