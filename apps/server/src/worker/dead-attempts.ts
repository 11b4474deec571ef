import { updateDataSource, lockDataSource } from '../features/data-sources/data-sources.repository';
import { transitionJob } from '../features/jobs/jobs.service';
import { lockJob } from '../features/jobs/jobs.repository';
import type { DeadAttemptHandler } from '../queue/dead-attempt-sweeper';
import { INGEST_JOB, RECONCILE_JOB } from '../queue/job-types';

const failure = (message: string) => JSON.stringify({ code: 'INTERNAL_ERROR', message });

/**
 * A reconciliation attempt whose worker died: the job goes back to queued for the retry (as when a
 * handler throws), or fails when no retry remains. Only while the dead run still owns the job: a newer
 * run or a cancellation is left alone. No results to undo: they commit only with the completion.
 */
const reconcileDied: DeadAttemptHandler = async (trx, data, isFinal) => {
  const payload = RECONCILE_JOB.payload.safeParse(data);
  if (!payload.success) return;
  const job = await lockJob(trx, payload.data.job_id);
  if (job === undefined || job.run_no !== payload.data.run_no) return;
  if (job.status !== 'running' && job.status !== 'queued') return;
  if (isFinal) {
    await transitionJob(trx, job.id, 'fail', {
      failure: failure('the worker running the reconciliation stopped; no retries left'),
      finished_at: new Date(),
    });
  } else if (job.status === 'running') {
    await transitionJob(trx, job.id, 'retry', { phase: 'retrying' });
  }
};

/** An ingestion whose worker died: retried as is; marked failed when no retry remains. */
const ingestDied: DeadAttemptHandler = async (trx, data, isFinal) => {
  const payload = INGEST_JOB.payload.safeParse(data);
  if (!payload.success || !isFinal) return;
  const source = await lockDataSource(trx, payload.data.data_source_id);
  if (source?.status !== 'ingesting' && source?.status !== 'queued') return;
  await updateDataSource(trx, source.id, {
    status: 'failed',
    phase: 'failed',
    failure: failure('the worker ingesting the file stopped; no retries left'),
  });
};

/** The sweeper's handler per queue. */
export const DEAD_ATTEMPT_HANDLERS: ReadonlyMap<string, DeadAttemptHandler> = new Map([
  [RECONCILE_JOB.name, reconcileDied],
  [INGEST_JOB.name, ingestDied],
]);
