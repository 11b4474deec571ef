import { sql } from 'kysely';
import type { DbOrTx } from '../db/database';

/** Records that a worker runs an attempt (a redelivery of the same queue job replaces the row). */
export async function beginAttempt(
  db: DbOrTx,
  attempt: { queueJobId: string; queue: string; workerId: string; retryCount: number },
): Promise<void> {
  await sql`INSERT INTO queue_attempts (queue_job_id, queue, worker_id, retry_count)
    VALUES (${attempt.queueJobId}::uuid, ${attempt.queue}, ${attempt.workerId}, ${attempt.retryCount})
    ON CONFLICT (queue_job_id) DO UPDATE SET queue = excluded.queue, worker_id = excluded.worker_id,
      retry_count = excluded.retry_count, started_at = now(), beat_at = now()`.execute(db);
}

/** Refreshes the attempt's heartbeat. False when the row is gone or taken over: the attempt was given up. */
export async function beat(db: DbOrTx, queueJobId: string, workerId: string): Promise<boolean> {
  const result = await sql`UPDATE queue_attempts SET beat_at = now()
    WHERE queue_job_id = ${queueJobId}::uuid AND worker_id = ${workerId}`.execute(db);
  return (result.numAffectedRows ?? 0n) > 0n;
}

export async function endAttempt(db: DbOrTx, queueJobId: string, workerId: string): Promise<void> {
  await sql`DELETE FROM queue_attempts WHERE queue_job_id = ${queueJobId}::uuid AND worker_id = ${workerId}`.execute(
    db,
  );
}

/** An active queue job whose worker is presumed dead. */
export interface DeadAttempt {
  queue_job_id: string;
  queue: string;
  data: unknown;
  retry_count: number;
  retry_limit: number;
}

/**
 * Locks the active queue jobs of `queues` whose attempt stopped beating more than `staleMs` ago, or that
 * never recorded an attempt that long after starting (killed between fetch and first beat). SKIP LOCKED:
 * two sweepers never claim the same job.
 */
export async function claimDeadAttempts(
  db: DbOrTx,
  queues: readonly string[],
  staleMs: number,
  limit: number,
): Promise<DeadAttempt[]> {
  const stale = sql`now() - make_interval(secs => ${staleMs / 1000})`;
  const { rows } = await sql<DeadAttempt>`SELECT j.id::text AS queue_job_id, j.name AS queue, j.data,
      j.retry_count, j.retry_limit
    FROM pgboss.job j LEFT JOIN queue_attempts a ON a.queue_job_id = j.id
    WHERE j.name = ANY(${[...queues]}::text[]) AND j.state = 'active'
      AND CASE WHEN a.queue_job_id IS NULL THEN j.started_on < ${stale} ELSE a.beat_at < ${stale} END
    ORDER BY j.started_on LIMIT ${limit}
    FOR UPDATE OF j SKIP LOCKED`.execute(db);
  return rows;
}

export async function deleteAttempts(db: DbOrTx, queueJobIds: readonly string[]): Promise<void> {
  if (queueJobIds.length === 0) return;
  await sql`DELETE FROM queue_attempts WHERE queue_job_id = ANY(${[...queueJobIds]}::uuid[])`.execute(db);
}

/** Attempt rows whose queue job is no longer active (left by a crash after the job finished). */
export async function deleteFinishedAttempts(db: DbOrTx, staleMs: number): Promise<void> {
  await sql`DELETE FROM queue_attempts a
    WHERE a.beat_at < now() - make_interval(secs => ${staleMs / 1000})
      AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.id = a.queue_job_id AND j.state = 'active')`.execute(
    db,
  );
}
