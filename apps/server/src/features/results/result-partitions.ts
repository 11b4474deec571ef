import { sql } from 'kysely';
import type { Readable } from 'node:stream';
import { copyFromCsv, copyTransaction, withoutStatementTimeout } from '../../db/copy';
import type { Db, DbOrTx } from '../../db/database';
import type { Database } from '../../db/schema';
import type { Logger } from 'pino';

/**
 * A run's results tables (migration 0108): each run of a job writes its matches, exceptions and
 * discrepancies into bare tables of its own ("staged"), indexes and analyses them while nobody can see them,
 * and the transaction that completes the job attaches them as the job's partitions of the result tables
 * ("live") and empties the previous run's ("retired"); a sweep drops retired and abandoned tables later.
 * Names, index definitions and the state rules live in the migration's SQL functions; this module drives them.
 */

export type ResultParent = 'recon_matches' | 'recon_exceptions' | 'recon_discrepancies';

/** A run being written: its job and run number, the key of its results tables. */
export interface ResultRun {
  readonly jobId: string;
  readonly runNo: number;
}

/** Memory for each index build's sort: 820k matches sort in memory with 256 MB, against spilling with 64 MB. */
const INDEX_BUILD_MEMORY = '256MB';
/** Retired (empty) partitions are dropped only when the parent's lock comes at once; readers never queue. */
const DROP_LOCK_TIMEOUT = '100ms';

/** Registers the run's tables as staged, before {@link stageResultTable}; a retry of the run may call it again. */
export async function stageResultRun(db: DbOrTx, run: ResultRun): Promise<void> {
  await sql`SELECT recon_stage_result_run(${run.jobId}::uuid, ${run.runNo}::int)`.execute(db);
}

/**
 * Creates the run's bare table of `parent` and fills it from CSV (a file's path or a stream of its bytes,
 * columns in `columns` order) with COPY FREEZE, in one transaction of its own: committed but not attached,
 * so invisible to readers. The run's three tables may be staged on separate connections at the same time.
 */
export async function stageResultTable<T extends ResultParent>(
  db: Db,
  parent: T,
  columns: readonly (keyof Database[T] & string)[],
  run: ResultRun,
  csv: string | Readable,
): Promise<void> {
  await copyTransaction(db, async (tx) => {
    await withoutStatementTimeout(tx.trx);
    const { rows } = await sql<{ name: string }>`
      SELECT recon_stage_result_table(${parent}, ${run.jobId}::uuid, ${run.runNo}::int) AS name`.execute(
      tx.trx,
    );
    const name = rows[0]?.name;
    if (name === undefined) throw new Error(`no staged table for ${parent}`);
    await copyFromCsv(tx, parent, columns, csv, { into: name, freeze: true });
  });
}

/** One statement of {@link ResultIndexing}: a build for the staged table of `parent`. */
interface IndexBuild {
  readonly parent: ResultParent;
  readonly ddl: string;
}

/**
 * Gives a run's staged tables the parents' primary keys, indexes and statistics, each table analysed once
 * its own builds are done (its first pages after the attach are planned from its own figures). The builds of
 * every table queued share one queue, run on up to `width` connections ("lanes") at once: each build is a
 * CPU-bound sort, so the caller widens as cores free up (the reconcile job: one lane beside the matches'
 * COPY, two after it). A build that fails empties the queue; {@link done} rejects with its error.
 */
export class ResultIndexing {
  readonly #pending: IndexBuild[] = [];
  /** Builds queued and not yet done, per table. */
  readonly #unbuilt = new Map<ResultParent, number>();
  readonly #lanes: Promise<void>[] = [];
  #active = 0;
  #width = 0;

  constructor(
    private readonly db: Db,
    private readonly run: ResultRun,
  ) {}

  /**
   * Queues the builds of the run's staged table of `parent` (staged and filled before), ahead of those
   * already waiting when `first` (the largest table first keeps the lanes even at the end).
   */
  async add(parent: ResultParent, { first = false } = {}): Promise<void> {
    const { rows } = await sql<{ ddl: string }>`
      SELECT recon_result_index_ddl(${parent}, ${this.run.jobId}::uuid, ${this.run.runNo}::int) AS ddl`.execute(
      this.db,
    );
    const builds = rows.map((row) => ({ parent, ddl: row.ddl }));
    this.#unbuilt.set(parent, (this.#unbuilt.get(parent) ?? 0) + builds.length);
    if (first) this.#pending.unshift(...builds);
    else this.#pending.push(...builds);
    this.#spawn();
  }

  /** Lets up to `lanes` builds run at once from now on (never fewer than before). */
  widen(lanes: number): void {
    this.#width = Math.max(this.#width, lanes);
    this.#spawn();
  }

  /** Drops the builds not yet started (a failed attempt); those running finish. */
  cancel(): void {
    this.#pending.length = 0;
  }

  /**
   * Settles once every lane has stopped: the queue is done, or emptied by a failure (then the builds already
   * running have finished too, so the caller may drop the tables); rejects with the first failure.
   */
  async done(): Promise<void> {
    let outcomes: PromiseSettledResult<void>[] = [];
    for (let seen = -1; seen !== this.#lanes.length;) {
      seen = this.#lanes.length;
      outcomes = await Promise.allSettled(this.#lanes);
    }
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  #spawn(): void {
    while (this.#active < this.#width && this.#active < this.#pending.length) {
      this.#active += 1;
      const lane = this.#lane();
      lane.catch(() => undefined);
      this.#lanes.push(lane);
    }
  }

  async #lane(): Promise<void> {
    try {
      for (let build = this.#pending.shift(); build !== undefined; build = this.#pending.shift()) {
        await this.#build(build.ddl);
        const unbuilt = (this.#unbuilt.get(build.parent) ?? 1) - 1;
        this.#unbuilt.set(build.parent, unbuilt);
        if (unbuilt === 0) await this.#analyse(build.parent);
      }
    } catch (error) {
      this.cancel();
      throw error;
    } finally {
      // In the same synchronous step that found the queue empty: work queued after a lane stops finds room.
      this.#active -= 1;
    }
  }

  async #build(ddl: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await withoutStatementTimeout(trx);
      await sql`SELECT set_config('maintenance_work_mem', ${INDEX_BUILD_MEMORY}, true)`.execute(trx);
      // The lanes are the parallelism: parallel workers per build would only share the same cores.
      await sql`SELECT set_config('max_parallel_maintenance_workers', '0', true)`.execute(trx);
      await sql.raw(ddl).execute(trx);
    });
  }

  async #analyse(parent: ResultParent): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await withoutStatementTimeout(trx);
      const { rows } = await sql<{ name: string }>`
        SELECT recon_result_table(${parent}, ${this.run.jobId}::uuid, ${this.run.runNo}::int) AS name`.execute(
        trx,
      );
      await sql.raw(`ANALYZE ${rows[0]?.name ?? ''}`).execute(trx);
    });
  }
}

/**
 * In the transaction that completes the job: empties the job's previous live run (TRUNCATE locks only its
 * partitions) and attaches this run's tables as the job's results. The caller holds the job row locked.
 */
export async function attachResultRun(db: DbOrTx, run: ResultRun): Promise<void> {
  await sql`SELECT recon_retire_result_tables(${run.jobId}::uuid, ${run.runNo}::int)`.execute(db);
  await sql`SELECT recon_attach_result_tables(${run.jobId}::uuid, ${run.runNo}::int)`.execute(db);
}

/** Drops a staged run's tables (an attempt that did not complete). Nothing happens to a live run. */
export async function discardStagedRun(db: DbOrTx, run: ResultRun): Promise<void> {
  await sql`SELECT recon_drop_result_run(${run.jobId}::uuid, ${run.runNo}::int, 'staged')`.execute(db);
}

const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Drops retired runs' partitions (each DROP waits at most {@link DROP_LOCK_TIMEOUT} for the parent's lock;
 * one that does not get it is left for the next sweep) and staged runs no attempt can still complete: their
 * job is gone, no longer running or queued, or on a later run. Returns how many runs it removed.
 */
export async function sweepResultRuns(db: Db, log: Logger): Promise<number> {
  // A live run never outlives its job: the job's delete (or a TRUNCATE of recon_jobs) retires it.
  const { rows } = await sql<{ job_id: string; run_no: number; state: 'staged' | 'retired' }>`
    SELECT p.job_id, p.run_no, p.state FROM recon_result_partitions p
    LEFT JOIN recon_jobs j ON j.id = p.job_id
    WHERE p.state = 'retired'
       OR (p.state = 'staged' AND (j.id IS NULL OR j.run_no <> p.run_no OR j.status NOT IN ('queued', 'running')))
    ORDER BY p.updated_at`.execute(db);
  let removed = 0;
  for (const run of rows) {
    try {
      await db.transaction().execute(async (trx) => {
        if (run.state === 'staged') {
          await discardStagedRun(trx, { jobId: run.job_id, runNo: run.run_no });
          return;
        }
        await sql`SELECT set_config('lock_timeout', ${DROP_LOCK_TIMEOUT}, true)`.execute(trx);
        await sql`SELECT recon_drop_result_run(${run.job_id}::uuid, ${run.run_no}::int, 'retired')`.execute(
          trx,
        );
      });
      removed += 1;
    } catch (error) {
      if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error;
      log.debug({ jobId: run.job_id, runNo: run.run_no }, 'results partition busy; dropped on a later sweep');
    }
  }
  return removed;
}
