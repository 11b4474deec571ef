import {
  openSession,
  reconcile,
  type EngineSession,
  type ReconcileStatistics,
  type SideStatistics,
} from '@recon/engine';
import { AppError, DRY_RUN_MAX_ROWS, type DryRunResult } from '@recon/shared';
import type { Db } from '../../db/database';
import { loadSample } from './dry-run-records';
import { readySourcesOf } from './project-sources';
import { validRules } from './rule-set-validation';

/** Bounds of one dry run. */
export interface DryRunLimits {
  /** Wall-clock limit for loading and matching; past it the run is interrupted. */
  timeLimitMs: number;
  /** Dry runs running at once in this process; one more is turned away (429) rather than queued. */
  concurrency: number;
}

/**
 * A person waits for a preview about this long; anything slower belongs in a reconciliation job. Measured:
 * 50k × 50k records (every row matched by an exact-reference pass) took 7.3 s, most of it loading, on
 * 2 cores at load average ~18. Two at once, each on one DuckDB thread, leave the API to everyone else.
 */
export const DRY_RUN_LIMITS: DryRunLimits = { timeLimitMs: 30_000, concurrency: 2 };

let running = 0;

function side(stats: SideStatistics, available: number): DryRunResult['left'] {
  return {
    records: stats.total.count,
    available,
    matched: stats.matched.count,
    auto: stats.auto.count,
    suggested: stats.suggested.count,
    unmatched: stats.unmatched.count,
    match_rate: stats.matchRate,
  };
}

function toResult(
  stats: ReconcileStatistics,
  available: { left: number; right: number },
  sampleLimit: number,
  elapsedMs: number,
): DryRunResult {
  const passes = stats.passes.map((pass) => ({
    index: pass.index,
    name: pass.name,
    kind: pass.kind,
    matches: pass.matches,
    auto: pass.auto,
    suggested: pass.suggested,
    left_records: pass.left.count,
    right_records: pass.right.count,
  }));
  return {
    passes,
    matches: stats.matches,
    auto: passes.reduce((sum, p) => sum + p.auto, 0),
    suggested: passes.reduce((sum, p) => sum + p.suggested, 0),
    left: side(stats.left, available.left),
    right: side(stats.right, available.right),
    match_rate: stats.matchRate,
    sampled: available.left > stats.left.total.count || available.right > stats.right.total.count,
    sample_limit: sampleLimit,
    elapsed_ms: elapsedMs,
  };
}

/**
 * Runs inline rules against two ready data sources of the project in an in-memory DuckDB (one thread) and
 * returns the counts per pass and tier. Nothing is stored. Reads at most `sample_limit` records per side in
 * file order; stops when `signal` aborts (the client went away) or the time limit passes.
 */
export async function dryRunRuleSet(
  db: Db,
  projectId: string,
  input: { rules: unknown; left_data_source_id: string; right_data_source_id: string; sample_limit?: number },
  signal: AbortSignal,
  limits: DryRunLimits = DRY_RUN_LIMITS,
): Promise<DryRunResult> {
  const rules = validRules(input.rules);
  const sampleLimit = Math.min(input.sample_limit ?? DRY_RUN_MAX_ROWS, DRY_RUN_MAX_ROWS);
  const [left, right] = await readySourcesOf(db, projectId, [
    [input.left_data_source_id, 'left_data_source_id'],
    [input.right_data_source_id, 'right_data_source_id'],
  ]);
  if (left === undefined || right === undefined) throw new AppError('DATA_SOURCE_NOT_FOUND');
  if (running >= limits.concurrency)
    throw new AppError('RATE_LIMITED', 'Other dry runs are still running; try again in a few seconds');
  running += 1;
  const started = Date.now();
  const timeout = AbortSignal.timeout(limits.timeLimitMs);
  const stop = AbortSignal.any([signal, timeout]);
  let session: EngineSession | undefined;
  try {
    session = await openSession({ threads: 1 });
    const leftCount = await loadSample(db, session, 'left', left.id, sampleLimit, stop);
    const rightCount = await loadSample(db, session, 'right', right.id, sampleLimit, stop);
    stop.throwIfAborted();
    // Diagnostics (the nearest candidate of each unmatched record) are for review screens, not counts.
    const stats = await reconcile(session, rules, { signal: stop, diagnostics: false });
    const available = {
      left: Math.max(left.loaded_count ?? leftCount, leftCount),
      right: Math.max(right.loaded_count ?? rightCount, rightCount),
    };
    return toResult(stats, available, sampleLimit, Date.now() - started);
  } catch (error) {
    if (timeout.aborted && !signal.aborted) {
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        `The dry run took longer than ${String(limits.timeLimitMs / 1000)} s and was stopped; try a smaller sample`,
        { headers: { 'retry-after': '5' } },
      );
    }
    throw error;
  } finally {
    running -= 1;
    session?.close();
  }
}
