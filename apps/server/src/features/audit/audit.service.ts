import type { AuditVerifyResult } from '@recon/shared';
import type { Db } from '../../db/database';
import type { AuditRow } from '../../db/schema';
import { GENESIS_HASH, auditHash } from './audit-hash';
import { listAuditAfter, listAuditPage } from './audit.repository';

const BATCH = 1000;

/**
 * Walks the whole chain in id order and recomputes every hash. Reports the first entry whose stored
 * `prev_hash` does not link to its predecessor or whose `hash` does not match its content, which is what
 * an edited, deleted or inserted row produces.
 */
export async function verifyAuditChain(db: Db): Promise<AuditVerifyResult> {
  let prevHash = GENESIS_HASH;
  let afterId = '0';
  let checked = 0;
  for (;;) {
    const rows = await listAuditAfter(db, afterId, BATCH);
    for (const row of rows) {
      if (row.prev_hash !== prevHash) {
        return {
          ok: false,
          checked,
          first_broken_id: row.id,
          reason: 'prev_hash does not match the previous entry',
        };
      }
      if (auditHash(prevHash, row) !== row.hash) {
        return {
          ok: false,
          checked,
          first_broken_id: row.id,
          reason: 'hash does not match the entry content',
        };
      }
      prevHash = row.hash;
      afterId = row.id;
      checked += 1;
    }
    if (rows.length < BATCH) return { ok: true, checked, first_broken_id: null, reason: null };
  }
}

function toView(row: AuditRow) {
  return { ...row, created_at: row.created_at.toISOString(), actor_user_id: row.actor_user_id ?? null };
}

/** A page of entries, newest first. */
export async function listAudit(db: Db, query: { limit: number; before_id?: number; project_id?: string }) {
  const rows = await listAuditPage(db, {
    limit: query.limit,
    ...(query.before_id !== undefined ? { beforeId: query.before_id } : {}),
    ...(query.project_id !== undefined ? { projectId: query.project_id } : {}),
  });
  return { items: rows.map(toView) };
}
