import { sql } from 'kysely';
import type { Db, DbOrTx } from '../../src/db/database';
import {
  attachResultRun,
  ResultIndexing,
  stageResultRun,
  type ResultRun,
} from '../../src/features/results/result-partitions';
import * as writer from '../../src/features/results/results-writer.repository';

/**
 * For tests that write result rows themselves: gives the job's run `runNo` empty results tables, attached as
 * the job's partitions (the way a completed run's are, the attach building their indexes), so rows with that
 * job_id and run_no can be inserted through the parents.
 */
export async function attachEmptyResults(db: DbOrTx, jobId: string, runNo: number): Promise<ResultRun> {
  const run = { jobId, runNo };
  await stageResultRun(db, run);
  await sql`SELECT recon_stage_result_table(p, ${jobId}::uuid, ${runNo}::int)
    FROM unnest(recon_result_parents()) AS p`.execute(db);
  await attachResultRun(db, run);
  return run;
}

/**
 * A run's result files staged, indexed and attached as the job's results, one step after the other: the
 * reconcile job's write without its overlap with DuckDB's work (`reconcile.job.ts`).
 */
export async function writeResultFiles(
  db: Db,
  run: ResultRun,
  files: { matches: string; exceptions: string; discrepancies: string },
): Promise<void> {
  await stageResultRun(db, run);
  await writer.stageUnmatchedFiles(db, run, files);
  await writer.stageMatches(db, run, files.matches);
  const indexing = new ResultIndexing(db, run);
  for (const parent of ['recon_matches', 'recon_exceptions', 'recon_discrepancies'] as const)
    await indexing.add(parent);
  indexing.widen(1);
  await indexing.done();
  await db.transaction().execute((trx) => attachResultRun(trx, run));
}

/** The job's staged runs and tables in recon_parts: an attempt that failed must leave none. */
export async function stagedLeftovers(db: DbOrTx, jobId: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT
      (SELECT count(*) FROM recon_result_partitions WHERE job_id = ${jobId}::uuid AND state = 'staged')
    + (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'recon_parts' AND c.relname LIKE ${`%${jobId.replaceAll('-', '')}%`}) AS n`.execute(
    db,
  );
  return Number(rows[0]?.n);
}
