import type { IngestResult, ReconcileStatistics, SideStatistics } from '@recon/engine';
import { textTable } from './text-table';

/** What `summary.json` holds: enough for a script to decide without reading the result files. */
export interface RunSummary {
  status: 'reconciled' | 'differences';
  exit_code: 0 | 1;
  inputs: Record<
    'left' | 'right',
    { file: string; format: string; rows: number; loaded: number; rejected_rows: number; row_errors: number }
  >;
  matches: number;
  /** Differences inside matches: `amount` ones make a run not reconciled, date lags do not. */
  discrepancies: { total: number; amount: number };
  sides: Record<
    'left' | 'right',
    {
      records: number;
      matched: number;
      auto: number;
      suggested: number;
      unmatched: number;
      match_rate: number;
    }
  >;
  passes: { name: string; kind: string; matches: number; auto: number; suggested: number }[];
  rules: string;
  files: string[];
}

const side = (s: SideStatistics) => ({
  records: s.total.count,
  matched: s.matched.count,
  auto: s.auto.count,
  suggested: s.suggested.count,
  unmatched: s.unmatched.count,
  match_rate: s.matchRate,
});

const input = (file: string, r: IngestResult) => ({
  file,
  format: r.format,
  rows: r.rowCount,
  loaded: r.loadedCount,
  rejected_rows: r.rejectedRowCount,
  row_errors: r.errorCount,
});

/**
 * Builds the run summary. A run is reconciled when no record is unmatched or rejected and no matched
 * amounts differ; a date off by settlement lag inside the rules' window is reported but is not a difference.
 */
export function buildSummary(args: {
  files: { left: string; right: string };
  ingested: { left: IngestResult; right: IngestResult };
  stats: ReconcileStatistics;
  rules: string;
  written: string[];
  amountDiscrepancies: number;
}): RunSummary {
  const { stats, ingested } = args;
  const clean =
    stats.left.unmatched.count === 0 &&
    stats.right.unmatched.count === 0 &&
    args.amountDiscrepancies === 0 &&
    ingested.left.rejectedRowCount + ingested.right.rejectedRowCount === 0;
  return {
    status: clean ? 'reconciled' : 'differences',
    exit_code: clean ? 0 : 1,
    inputs: { left: input(args.files.left, ingested.left), right: input(args.files.right, ingested.right) },
    matches: stats.matches,
    discrepancies: { total: stats.discrepancies, amount: args.amountDiscrepancies },
    sides: { left: side(stats.left), right: side(stats.right) },
    passes: stats.passes.map((p) => ({
      name: p.name,
      kind: p.kind,
      matches: p.matches,
      auto: p.auto,
      suggested: p.suggested,
    })),
    rules: args.rules,
    files: args.written,
  };
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The summary as the tables printed at the end of `recon match`. */
export function formatSummary(summary: RunSummary): string {
  const { left, right } = summary.sides;
  const sides = textTable(
    ['', 'left', 'right'],
    [
      ['records', String(left.records), String(right.records)],
      ['matched', String(left.matched), String(right.matched)],
      ['  auto', String(left.auto), String(right.auto)],
      ['  suggested', String(left.suggested), String(right.suggested)],
      ['unmatched', String(left.unmatched), String(right.unmatched)],
      [
        'rejected rows',
        String(summary.inputs.left.rejected_rows),
        String(summary.inputs.right.rejected_rows),
      ],
      ['match rate', percent(left.match_rate), percent(right.match_rate)],
    ],
  );
  const passes = textTable(
    ['pass', 'kind', 'matches', 'auto', 'suggested'],
    summary.passes.map((p) => [p.name, p.kind, String(p.matches), String(p.auto), String(p.suggested)]),
  );
  const verdict =
    summary.status === 'reconciled'
      ? 'result: fully reconciled'
      : 'result: differences found (unmatched or rejected records, or amount discrepancies)';
  return [
    sides,
    '',
    passes,
    '',
    `matches: ${summary.matches}   discrepancies: ${summary.discrepancies.total} (amount: ${summary.discrepancies.amount})`,
    verdict,
  ].join('\n');
}
