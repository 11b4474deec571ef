import type { FastifyBaseLogger } from 'fastify';
import type { Transaction } from 'kysely';
import type { Db } from '../db/database';
import type { Database } from '../db/schema';
import { startPeriodic, type Periodic } from '../lib/periodic';
import * as attempts from './attempts.repository';
import type { JobQueue } from './job-queue';

/**
 * What to do to the application's own state when an attempt is given up, in the same transaction that
 * hands it back to the queue (before the retry can start, so the retry never races this update).
 * `isFinal`: no retries remain and the queue marks the job failed.
 */
export type DeadAttemptHandler = (
  trx: Transaction<Database>,
  payload: unknown,
  isFinal: boolean,
) => Promise<void>;

export interface SweeperOptions {
  /** An attempt whose heartbeat is older than this is presumed dead. */
  readonly staleMs: number;
  /** How often to look for dead attempts. */
  readonly intervalMs: number;
  /** One handler per queue swept; other queues are left to pg-boss's expiry. */
  readonly handlers: ReadonlyMap<string, DeadAttemptHandler>;
}

const BATCH = 50;

/**
 * Retries attempts whose worker died. Every worker runs one: each sweep locks the active queue jobs whose
 * heartbeat went stale (SKIP LOCKED, so sweepers on several instances never claim the same one), lets
 * the job type update its own state, fails the queue job (retried after its delay while retries remain)
 * and deletes the heartbeat row, all in one transaction.
 */
export class DeadAttemptSweeper {
  private periodic: Periodic | undefined;

  constructor(
    private readonly db: Db,
    private readonly queue: JobQueue,
    private readonly log: FastifyBaseLogger,
    private readonly options: SweeperOptions,
  ) {}

  start(): void {
    this.periodic ??= startPeriodic(
      this.options.intervalMs,
      () => this.sweep(),
      (error) => {
        this.log.error({ err: error }, 'dead attempt sweep failed');
      },
    );
  }

  /** Stops sweeping and waits for a sweep in progress. */
  async stop(): Promise<void> {
    await this.periodic?.stop();
    this.periodic = undefined;
  }

  /** One sweep; returns how many attempts it gave up. */
  async sweep(): Promise<number> {
    const queues = [...this.options.handlers.keys()];
    const given = await this.db.transaction().execute(async (trx) => {
      const dead = await attempts.claimDeadAttempts(trx, queues, this.options.staleMs, BATCH);
      for (const attempt of dead) {
        const isFinal = attempt.retry_count >= attempt.retry_limit;
        await this.options.handlers.get(attempt.queue)?.(trx, attempt.data, isFinal);
        await this.queue.failWithin(
          trx,
          attempt.queue,
          attempt.queue_job_id,
          'the worker running this attempt stopped sending heartbeats',
        );
      }
      await attempts.deleteAttempts(
        trx,
        dead.map((a) => a.queue_job_id),
      );
      return dead;
    });
    for (const attempt of given) {
      this.log.warn(
        { queue: attempt.queue, queueJobId: attempt.queue_job_id, retryCount: attempt.retry_count },
        'gave up an attempt whose worker stopped heartbeating',
      );
    }
    await attempts.deleteFinishedAttempts(this.db, this.options.staleMs);
    return given.length;
  }
}
