import { sql } from 'kysely';
import type { DbOrTx } from '../../src/db/database';
import {
  attachResultRun,
  stageResultRun,
  type ResultRun,
} from '../../src/features/results/result-partitions';

/**
 * For tests that write result rows themselves: gives the job's run `runNo` empty results tables, attached as
 * the job's partitions (the way a completed run's are, the attach building their indexes), so rows with that
 * job_id and run_no can be inserted through the parents.
 */
export async function attachEmptyResults(db: DbOrTx, jobId: string, runNo: number): Promise<ResultRun> {
  const run = { jobId, runNo };
  await stageResultRun(db, run);
  for (const parent of ['recon_matches', 'recon_exceptions', 'recon_discrepancies'])
    await sql`SELECT recon_stage_result_table(${parent}, ${jobId}::uuid, ${runNo}::int)`.execute(db);
  await attachResultRun(db, run);
  return run;
}
