import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import PgBoss from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { Db, DbOrTx } from '../db/database';
import * as attempts from './attempts.repository';
import type { JobDefinition } from './job-definition';
import { JOB_TYPES } from './job-types';
import { bossExecutor } from './queue-executor';

const SCHEMA = 'pgboss';

/** What a handler learns about the attempt it runs. */
export interface AttemptInfo {
  readonly queueJobId: string;
  /** 0 on the first attempt. */
  readonly retryCount: number;
  /** True when a failure now will not be retried. */
  readonly isLastAttempt: boolean;
  readonly log: FastifyBaseLogger;
}

export interface JobQueueOptions {
  /** Run pg-boss maintenance (expiry of dead attempts, archiving). Workers do; API-only processes need not. */
  readonly supervise?: boolean;
  /** How often an idle worker polls; pg-boss accepts 0.5 s at least. */
  readonly pollingIntervalSeconds?: number;
  /** How often maintenance expires attempts of dead workers (pg-boss default 120 s). */
  readonly maintenanceIntervalSeconds?: number;
  /** How often a running attempt refreshes its heartbeat row (`queue_attempts`); default 5 s. */
  readonly heartbeatMs?: number;
}

/** Default heartbeat period of a running attempt. */
export const DEFAULT_HEARTBEAT_MS = 5_000;

/** Thrown into pg-boss when a payload does not match its schema; the job is failed without retries. */
export class BadPayloadError extends Error {
  constructor(name: string, detail: string) {
    super(`bad ${name} payload: ${detail}`);
    this.name = 'BadPayloadError';
  }
}

/**
 * The job queue: pg-boss in the application's PostgreSQL, through the application's pool. `enqueue`
 * takes the caller's transaction, so a job row and its queue entry commit (or roll back) together.
 */
export class JobQueue {
  private readonly boss: PgBoss;
  private started: Promise<void> | undefined;
  /** Names this process in heartbeat rows, so a takeover by another worker is noticed. */
  readonly workerId = `${hostname()}:${String(process.pid)}:${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
    private readonly options: JobQueueOptions = {},
  ) {
    this.boss = new PgBoss({
      db: bossExecutor(db),
      schema: SCHEMA,
      supervise: options.supervise ?? false,
      ...(options.maintenanceIntervalSeconds !== undefined
        ? { maintenanceIntervalSeconds: options.maintenanceIntervalSeconds }
        : {}),
      schedule: false,
      migrate: true,
    });
    this.boss.on('error', (error) => {
      log.error({ err: error }, 'queue error');
    });
  }

  /** Installs pg-boss's schema (once per database) and creates the queues. Idempotent. */
  start(): Promise<void> {
    this.started ??= (async () => {
      await this.boss.start();
      for (const type of JOB_TYPES) {
        if ((await this.boss.getQueue(type.name)) === null) {
          await this.boss.createQueue(type.name, {
            name: type.name,
            retryLimit: type.retryLimit,
            retryDelay: type.retryDelaySeconds,
            expireInSeconds: type.expireInSeconds,
          });
        }
      }
    })();
    return this.started;
  }

  /** Validates the payload and queues it inside `trx`. Returns the queue's job id. */
  async enqueue<P>(trx: DbOrTx, type: JobDefinition<P>, payload: P): Promise<string> {
    await this.start();
    const data = type.payload.parse(payload);
    if (typeof data !== 'object' || data === null)
      throw new BadPayloadError(type.name, 'payload must be an object');
    const id = await this.boss.send(type.name, data, {
      db: bossExecutor(trx),
      retryLimit: type.retryLimit,
      retryDelay: type.retryDelaySeconds,
      expireInSeconds: type.expireInSeconds,
    });
    if (id === null) throw new Error(`queue refused a ${type.name} job`);
    return id;
  }

  /**
   * Runs `handler` for each job of the type, up to `concurrency` at once in this process (default one at a
   * time). A handler that throws is retried by the type's policy; a payload that fails its schema is failed
   * at once, without retries.
   */
  async work<P>(
    type: JobDefinition<P>,
    handler: (payload: P, attempt: AttemptInfo) => Promise<void>,
    concurrency = 1,
  ): Promise<void> {
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new Error(`concurrency of ${type.name} must be a positive integer`);
    await this.start();
    // One pg-boss worker per slot, each fetching one job: with a batch of several, one failing job would
    // fail the whole batch, and the batch would end only with its slowest job.
    for (let slot = 0; slot < concurrency; slot += 1) await this.workOne(type, handler);
  }

  private async workOne<P>(
    type: JobDefinition<P>,
    handler: (payload: P, attempt: AttemptInfo) => Promise<void>,
  ): Promise<void> {
    await this.boss.work<unknown>(
      type.name,
      {
        includeMetadata: true,
        batchSize: 1,
        pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2,
      },
      async (jobs) => {
        for (const job of jobs) {
          const log = this.log.child({ queue: type.name, queueJobId: job.id, retryCount: job.retryCount });
          const parsed = type.payload.safeParse(job.data);
          if (!parsed.success) {
            // pg-boss's fail() retries while retries remain: spend them first so the failure is final.
            await sql`UPDATE pgboss.job SET retry_limit = retry_count WHERE name = ${type.name} AND id = ${job.id}::uuid`.execute(
              this.db,
            );
            log.error({ issues: parsed.error.issues }, 'bad job payload; failing without retry');
            throw new BadPayloadError(type.name, parsed.error.message);
          }
          await this.withHeartbeat(type.name, job.id, job.retryCount, log, () =>
            handler(parsed.data, {
              queueJobId: job.id,
              retryCount: job.retryCount,
              isLastAttempt: job.retryCount >= job.retryLimit,
              log,
            }),
          );
        }
      },
    );
  }

  /**
   * Runs one attempt with a heartbeat row refreshed every `heartbeatMs`. pg-boss 10 has no heartbeat of its
   * own; the row lets a sweeper on any live worker retry the attempt soon after this process dies.
   */
  private async withHeartbeat(
    queue: string,
    queueJobId: string,
    retryCount: number,
    log: FastifyBaseLogger,
    run: () => Promise<void>,
  ): Promise<void> {
    const { workerId } = this;
    await attempts.beginAttempt(this.db, { queueJobId, queue, workerId, retryCount });
    let warned = false;
    const timer = setInterval(() => {
      attempts.beat(this.db, queueJobId, workerId).then(
        (alive) => {
          // Our beats were late enough for a sweeper to give the attempt up: its results will be discarded
          // or superseded by the retry (results commit only while the run still owns the job).
          if (!alive && !warned) log.warn({}, 'attempt was given up by a sweeper; its retry takes over');
          warned ||= !alive;
        },
        (error: unknown) => {
          log.warn({ err: error }, 'heartbeat failed');
        },
      );
    }, this.options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
    timer.unref();
    try {
      await run();
    } finally {
      clearInterval(timer);
      await attempts.endAttempt(this.db, queueJobId, workerId).catch((error: unknown) => {
        log.warn({ err: error }, 'could not clear the attempt row');
      });
    }
  }

  /**
   * Fails an active job inside `trx`, as pg-boss does for a handler that threw: retried after the type's
   * delay while retries remain, failed for good otherwise.
   */
  async failWithin(trx: DbOrTx, name: string, id: string, message: string): Promise<void> {
    await this.start();
    await this.boss.fail(name, id, { message }, { db: bossExecutor(trx) });
  }

  /** Sends a raw payload without validation: only for tests of the bad-payload path. */
  async sendUnchecked(name: string, data: object): Promise<string | null> {
    await this.start();
    return this.boss.send(name, data);
  }

  /** The pg-boss state of a queued job (created, retry, active, completed, cancelled, failed). */
  async stateOf(name: string, id: string): Promise<{ state: string; retryCount: number } | undefined> {
    await this.start();
    const job = await this.boss.getJobById(name, id, { includeArchive: true });
    return job === null ? undefined : { state: job.state, retryCount: job.retryCount };
  }

  /** Stops workers, waiting for running handlers (up to `timeoutMs`). */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.started === undefined) return;
    await this.started.catch(() => undefined);
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: false });
  }
}
