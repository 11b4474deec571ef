import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database';
import { LocalFileStorage } from '../storage/local-storage';
import type { FileStorage } from '../storage/storage';
import { JobQueue, type JobQueueOptions } from './job-queue';

/** Default upload limit (100 MB) until the config carries `UPLOAD_MAX_BYTES`. */
export const DEFAULT_UPLOAD_MAX_BYTES = 100 * 1024 * 1024;

/** What the data-source, job and review features need besides the database. */
export interface ReconDeps {
  readonly storage: FileStorage;
  readonly queue: JobQueue;
  readonly uploadMaxBytes: number;
}

/** Storage under `dataDir/files` and a queue over `db`, unless given. */
export function createReconDeps(
  input: { dataDir: string; db: Db; log: FastifyBaseLogger; queueOptions?: JobQueueOptions },
  overrides: Partial<ReconDeps> = {},
): ReconDeps {
  return {
    storage: overrides.storage ?? new LocalFileStorage(path.join(input.dataDir, 'files')),
    queue: overrides.queue ?? new JobQueue(input.db, input.log, input.queueOptions),
    uploadMaxBytes: overrides.uploadMaxBytes ?? DEFAULT_UPLOAD_MAX_BYTES,
  };
}
