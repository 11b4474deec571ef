import type { Logger } from 'pino';
import type { Db } from '../db/database';
import { runIngestJob } from '../features/data-sources/ingest.job';
import { runReconcileJob } from '../features/jobs/reconcile.job';
import { INGEST_JOB, RECONCILE_JOB } from '../queue/job-types';
import { createReconDeps, type ReconDeps } from '../queue/recon-deps';

export interface Worker {
  /** Stops taking new jobs and waits for running ones. */
  stop(): Promise<void>;
}

export interface WorkerDeps {
  readonly db: Db;
  readonly log: Logger;
  /** Where uploaded files live (`DATA_DIR`); storage is `DATA_DIR/files` unless `recon.storage` is given. */
  readonly dataDir: string;
  readonly recon?: Partial<ReconDeps>;
  /** How often an idle worker polls the queue (seconds, at least 0.5). */
  readonly pollingIntervalSeconds?: number;
  /** How often queue maintenance runs (expires attempts of dead workers); pg-boss's default when absent. */
  readonly maintenanceIntervalSeconds?: number;
}

/**
 * The background worker: starts the pg-boss queue with maintenance (so attempts of a killed worker expire
 * and are retried) and registers the ingestion and reconciliation handlers.
 */
export async function startWorker(deps: WorkerDeps): Promise<Worker> {
  const recon = createReconDeps(
    {
      dataDir: deps.dataDir,
      db: deps.db,
      log: deps.log,
      queueOptions: {
        supervise: true,
        pollingIntervalSeconds: deps.pollingIntervalSeconds ?? 2,
        ...(deps.maintenanceIntervalSeconds !== undefined
          ? { maintenanceIntervalSeconds: deps.maintenanceIntervalSeconds }
          : {}),
      },
    },
    deps.recon,
  );
  const { queue, storage } = recon;
  await queue.work(INGEST_JOB, (payload, attempt) =>
    runIngestJob({ db: deps.db, storage }, payload, attempt),
  );
  await queue.work(RECONCILE_JOB, (payload, attempt) => runReconcileJob({ db: deps.db }, payload, attempt));
  deps.log.info({ queues: [INGEST_JOB.name, RECONCILE_JOB.name] }, 'worker started');
  return {
    stop: async () => {
      await queue.stop();
      deps.log.info({}, 'worker stopped');
    },
  };
}
