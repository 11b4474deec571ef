import type { DuckDBConnection } from '@duckdb/node-api';
import type { EngineSession } from '../duck/session';
import { parseRuleSet, type RuleSet, type RuleSetInput } from '../rules/index';
import { writeUnmatched } from './diagnose';
import { runGroupPass, type GroupFailure } from './group-pass';
import type { ReconcileOptions, ReconcileStatistics } from './match.types';
import { runPairPass } from './pair-pass';
import { dropPairResidual, pairResidual, type CarriedResidual } from './pair-residual';
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
 * Amounts up to this magnitude (minor units) are compared as BIGINT in one-to-one passes: every product the
 * amount comparison forms (difference × 10^6, tolerance ppm × amount) stays below 2^63. HUGEINT arithmetic and
 * hashing cost more (measured ~7 % of a tolerance pass's candidate query).
 */
const BIGINT_AMOUNT_LIMIT = 4_000_000_000_000;

/**
 * `row_no` must identify a record on its side (the readers number rows). Only the range is checked here:
 * an exact duplicate check costs a distinct count over every row (measured ~0.5 s per million).
 * Returns whether every amount is small enough for BIGINT arithmetic (`BIGINT_AMOUNT_LIMIT`).
 */
async function checkRanges(connection: DuckDBConnection): Promise<boolean> {
  let small = true;
  for (const side of ['left', 'right'] as const) {
    const reader = await connection.runAndReadAll(
      `SELECT coalesce(min(row_no), 0), coalesce(max(row_no), 0),
         coalesce(max(abs(amount_minor)) < ${BIGINT_AMOUNT_LIMIT}, true) FROM records_${side}`,
    );
    const [min, max, fits] = reader.getRowsJS()[0] ?? [];
    if (Number(min ?? 0) < 0 || Number(max ?? 0) >= MATCH_ID_PASS_FACTOR)
      throw new Error(`records_${side}.row_no must be in [0, 10^12)`);
    small &&= fits === true;
  }
  return small;
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
    const bigintAmounts = await checkRanges(connection);
    await createResultTables(connection);
    const thresholds = ruleSet.passes.map((p) => p.confidence_threshold ?? ruleSet.confidence_threshold);
    const failures: GroupFailure[] = [];
    let carried: CarriedResidual | null = null;
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
        // The residual carries normalised text (similarities, exact keys), computed once per record.
        carried = await pairResidual(connection, pass, threshold, { passIndex, bigintAmounts }, carried);
        await runPairPass(pass, threshold, ctx, carried.tables, true);
      } else {
        await dropPairResidual(connection, carried);
        carried = null;
        await residualTables(connection, true);
        const result = await runGroupPass(pass, threshold, ctx);
        failures.push(...result.failures);
      }
    }
    throwIfAborted(signal);
    progress('diagnose', ruleSet.passes.length + 1);
    // Near-miss diagnostics read the pass columns; without them only the row numbers are needed, and the last
    // pass's residual (already narrowed to the unmatched records), when it holds all of them, is the cheaper source.
    await residualTables(
      connection,
      true,
      options.diagnostics === false ? ['row_no'] : null,
      null,
      options.diagnostics === false && carried?.complete ? carried.tables : null,
    );
    await dropPairResidual(connection, carried);
    await writeUnmatched(connection, ruleSet.passes, thresholds, failures, options.diagnostics ?? true);
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
