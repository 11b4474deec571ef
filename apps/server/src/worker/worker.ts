import type { Logger } from 'pino';
import type { Db } from '../db/database';

export interface Worker {
  /** Stops taking new jobs and waits for running ones. */
  stop(): Promise<void>;
}

/**
 * The background worker. Jobs (ingestion, reconciliation) arrive with the jobs feature: this is where the
 * pg-boss queue is started and job handlers are registered (`boss.work(name, handler)`), using `db` for
 * results and a child logger per job. Until then the worker role connects, migrates and idles.
 */
export function startWorker(deps: { db: Db; log: Logger }): Promise<Worker> {
  deps.log.info({}, 'worker started (no job handlers registered yet)');
  return Promise.resolve({
    stop: () => {
      deps.log.info({}, 'worker stopped');
      return Promise.resolve();
    },
  });
}
