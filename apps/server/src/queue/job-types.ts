import { ingestJobPayloadSchema, reconcileJobPayloadSchema } from '@recon/shared';
import { defineJob } from './job-definition';

/** Reads an uploaded file into canonical records. */
export const INGEST_JOB = defineJob({
  name: 'ingest-data-source',
  payload: ingestJobPayloadSchema,
  retryLimit: 2,
  retryDelaySeconds: 5,
  expireInSeconds: 30 * 60,
});

/** Runs a reconciliation job and writes its results. */
export const RECONCILE_JOB = defineJob({
  name: 'reconcile',
  payload: reconcileJobPayloadSchema,
  retryLimit: 2,
  retryDelaySeconds: 5,
  // The last resort after a crash: attempts beat, and a dead one is retried after WORKER_STALE_MS by the
  // sweeper (dead-attempt-sweeper.ts). 1M × 1M runs take minutes, so an hour bounds the longest run.
  expireInSeconds: 60 * 60,
});

/** Every job type, so queues are created once at start. */
export const JOB_TYPES = [INGEST_JOB, RECONCILE_JOB] as const;
