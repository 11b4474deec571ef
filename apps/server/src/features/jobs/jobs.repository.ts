import { sql, type Updateable } from 'kysely';
import type { JobStatus } from '@recon/shared';
import type { DbOrTx } from '../../db/database';
import type { ReconJobsTable } from '../../db/schema';
import { JOB_TRANSITIONS, type JobEvent } from './job-status';

export type JobRow = Awaited<ReturnType<typeof findJob>> & object;

export function findJob(db: DbOrTx, id: string) {
  return db.selectFrom('recon_jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockJob(db: DbOrTx, id: string) {
  return db.selectFrom('recon_jobs').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function insertJob(
  db: DbOrTx,
  values: {
    project_id: string;
    name: string;
    description: string;
    source_data_source_id: string;
    target_data_source_id: string;
    rule_set_id: string | null;
    rule_set_version: number | null;
    rules: string;
    confidence_threshold: number | null;
    auto_confirm_threshold: number | null;
    created_by: string;
  },
) {
  return db.insertInto('recon_jobs').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateJob(db: DbOrTx, id: string, changes: Updateable<ReconJobsTable>) {
  return db
    .updateTable('recon_jobs')
    .set({ ...changes, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Applies a status event atomically: only from the statuses the machine allows. Returns undefined when the
 * job was not in one of them (someone else changed it first).
 */
export function applyTransition(
  db: DbOrTx,
  id: string,
  event: JobEvent,
  changes: Updateable<ReconJobsTable> = {},
) {
  const { from, to } = JOB_TRANSITIONS[event];
  return db
    .updateTable('recon_jobs')
    .set({ ...changes, status: to, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .returningAll()
    .executeTakeFirst();
}

/** Progress of a running attempt; ignored once the job left `running` (cancelled meanwhile). */
export async function updateProgress(
  db: DbOrTx,
  id: string,
  values: { progress: number; phase: string; eta_seconds: number | null },
) {
  const row = await db
    .updateTable('recon_jobs')
    .set({ ...values, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .returning('status')
    .executeTakeFirst();
  return row !== undefined;
}

export async function statusOf(
  db: DbOrTx,
  id: string,
): Promise<{ status: JobStatus; run_no: number } | undefined> {
  return db.selectFrom('recon_jobs').select(['status', 'run_no']).where('id', '=', id).executeTakeFirst();
}

export function listJobs(
  db: DbOrTx,
  query: {
    projectId: string;
    status?: JobStatus | undefined;
    limit: number;
    before?: { createdAt: string; id: string } | undefined;
  },
) {
  let q = db.selectFrom('recon_jobs').selectAll().where('project_id', '=', query.projectId);
  if (query.status !== undefined) q = q.where('status', '=', query.status);
  if (query.before !== undefined) {
    const { createdAt, id } = query.before;
    q = q.where(sql<boolean>`(created_at, id) < (${createdAt}::timestamptz, ${id}::uuid)`);
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
}

/**
 * Stamps the completed jobs that read the data source directly: its records were just replaced (migration
 * 0113). In the transaction that replaces them.
 */
export async function markInputsChanged(db: DbOrTx, dataSourceId: string): Promise<void> {
  await db
    .updateTable('recon_jobs')
    .set({ inputs_changed_at: sql`now()` })
    .where('status', '=', 'completed')
    .where((eb) =>
      eb.or([eb('source_data_source_id', '=', dataSourceId), eb('target_data_source_id', '=', dataSourceId)]),
    )
    .execute();
}

export async function deleteJob(db: DbOrTx, id: string): Promise<void> {
  await db.deleteFrom('recon_jobs').where('id', '=', id).execute();
}
