import type { DuckDBConnection } from '@duckdb/node-api';
import type { EngineSession } from '../duck/session';
import { parseRuleSet, type RuleSet, type RuleSetInput } from '../rules/index';
import { writeDiscrepancies, writeUnmatched } from './diagnose';
import { runGroupPass, type GroupFailure } from './group-pass';
import type { ReconcileOptions, ReconcileStatistics } from './match.types';
import { pairPassColumns, runPairPass } from './pair-pass';
import { normalisedColumnsSql } from './pass-sql';
import { readStatistics } from './read-statistics';
import { MATCH_ID_PASS_FACTOR, createResultTables, residualTables } from './result-tables';

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw signal.reason instanceof Error
      ? signal.reason
      : new DOMException('reconcile aborted', 'AbortError');
  }
}

/**
 * `row_no` must identify a record on its side (the readers number rows). Only the range is checked here:
 * an exact duplicate check costs a distinct count over every row (measured ~0.5 s per million).
 */
async function assertRowRange(connection: DuckDBConnection): Promise<void> {
  for (const side of ['left', 'right'] as const) {
    const reader = await connection.runAndReadAll(
      `SELECT coalesce(min(row_no), 0), coalesce(max(row_no), 0) FROM records_${side}`,
    );
    const [min, max] = (reader.getRows()[0] ?? []).map(Number);
    if ((min ?? 0) < 0 || (max ?? 0) >= MATCH_ID_PASS_FACTOR)
      throw new Error(`records_${side}.row_no must be in [0, 10^12)`);
  }
}

/**
 * Reconciles `records_left` against `records_right` in the session: runs the passes in order on the records
 * earlier passes left unmatched, assigns best-first and exclusively, and writes the result tables
 * (`recon_matches`, `recon_match_left/right`, `recon_unmatched_left/right`, `recon_discrepancies`).
 * Deterministic: the same records and rules give the same tables. Throws the signal's reason when aborted.
 * @example
 * const stats = await reconcile(session, rules, { onProgress: (phase, f) => bar.update(f, { phase }) });
 * const page = await readMatches(session, { offset: 0, limit: 100 });
 */
export async function reconcile(
  session: EngineSession,
  rules: RuleSet | RuleSetInput,
  options: ReconcileOptions = {},
): Promise<ReconcileStatistics> {
  const ruleSet = parseRuleSet(rules);
  const { connection } = session;
  const { signal, onProgress } = options;
  const steps = ruleSet.passes.length + 2;
  const progress = (phase: string, step: number) => onProgress?.(phase, Math.min(1, step / steps));
  const interrupt = () => {
    connection.interrupt();
  };
  signal?.addEventListener('abort', interrupt);
  try {
    throwIfAborted(signal);
    progress('prepare', 0);
    await assertRowRange(connection);
    await createResultTables(connection);
    const thresholds = ruleSet.passes.map((p) => p.confidence_threshold ?? ruleSet.confidence_threshold);
    const failures: GroupFailure[] = [];
    for (const [passIndex, pass] of ruleSet.passes.entries()) {
      throwIfAborted(signal);
      progress(`pass:${pass.name}`, passIndex + 1);
      const ctx = {
        connection,
        passIndex,
        passName: pass.name,
        kind: pass.kind,
        autoThreshold: ruleSet.auto_confirm_threshold,
        ambiguityMargin: ruleSet.ambiguity_margin,
      };
      const threshold = thresholds[passIndex] ?? ruleSet.confidence_threshold;
      if (pass.kind === 'one_to_one') {
        // Normalised text (similarities, exact keys) is materialised once per record in the residual tables.
        const normalised = normalisedColumnsSql(pass, 'l', 'left').length > 0;
        const tables = await residualTables(
          connection,
          false,
          pairPassColumns(pass, threshold, normalised),
          normalised ? (alias, side) => normalisedColumnsSql(pass, alias, side) : null,
        );
        await runPairPass(pass, threshold, ctx, tables, normalised);
      } else {
        await residualTables(connection, true);
        const result = await runGroupPass(pass, threshold, ctx);
        failures.push(...result.failures);
      }
    }
    throwIfAborted(signal);
    progress('diagnose', ruleSet.passes.length + 1);
    // Near-miss diagnostics read the pass columns; without them only the row numbers are needed.
    await residualTables(connection, true, options.diagnostics === false ? ['row_no'] : null);
    await writeUnmatched(connection, ruleSet.passes, thresholds, failures, options.diagnostics ?? true);
    await writeDiscrepancies(connection);
    await connection.run('DROP TABLE IF EXISTS _res_left; DROP TABLE IF EXISTS _res_right;');
    throwIfAborted(signal);
    progress('finalise', steps);
    const stats = await readStatistics(session, ruleSet);
    progress('done', steps);
    return stats;
  } catch (error) {
    throwIfAborted(signal);
    throw error;
  } finally {
    signal?.removeEventListener('abort', interrupt);
  }
}
