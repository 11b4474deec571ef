import type { PassKind } from '../rules/index';

/** `auto`: confirmed without review; `suggested`: a person should confirm. */
export type MatchTier = 'auto' | 'suggested';

/** Progress phases: `prepare`, `pass:<name>` for each pass, `diagnose`, `finalise`, `done`. */
export type ReconcilePhase = string;

/** Options of `reconcile`. */
export interface ReconcileOptions {
  /** Called between steps with the phase and the overall fraction done in [0, 1]. */
  onProgress?: (phase: ReconcilePhase, fraction: number) => void;
  /** Aborts between and within passes (a running DuckDB query is interrupted). */
  signal?: AbortSignal;
  /**
   * Find each unmatched record's nearest candidate and why it failed (default true). Costs one extra
   * candidate join per pass over the unmatched records only.
   */
  diagnostics?: boolean;
}

/** Count and amount sum (minor units, all currencies added) of a set of records. */
export interface Tally {
  count: number;
  amount: bigint;
}

/** Counts and amounts of one side by status. */
export interface SideStatistics {
  total: Tally;
  matched: Tally;
  auto: Tally;
  suggested: Tally;
  unmatched: Tally;
  /** matched.count / total.count (1 when the side is empty). */
  matchRate: number;
}

/** What one pass matched. */
export interface PassStatistics {
  index: number;
  name: string;
  kind: PassKind;
  matches: number;
  auto: number;
  suggested: number;
  left: Tally;
  right: Tally;
}

/** What `reconcile` returns and `readStatistics` reads back. */
export interface ReconcileStatistics {
  matches: number;
  left: SideStatistics;
  right: SideStatistics;
  passes: PassStatistics[];
  /** Matched records of both sides over all records. */
  matchRate: number;
  discrepancies: number;
}

/** One comparison of a match, as evaluated on the matched records. */
export interface ComparisonOutcome {
  index: number;
  type: string;
  label: string;
  required: boolean;
  weight: number;
  /** True when the comparison held (for a group: held for every member). */
  passed: boolean;
  /** Score in [0, 1] (for a group: the average over members). */
  score: number;
  /** Compared values after normalisation; a group lists its distinct values joined by ` | `. */
  left: string | null;
  right: string | null;
}

/** Why a match was made: every comparison, the runner-up, the margin, the deciding constraint. */
export interface MatchExplanation {
  comparisons: ComparisonOutcome[];
  /** Best alternative that was still available: its record ids and score; null when there was none. */
  runnerUp: { left: number | null; right: number | null; score: number } | null;
  /** score − runner-up score; null without a runner-up. */
  margin: number | null;
  /** True when the runner-up was within the ambiguity margin (the match is then only suggested). */
  ambiguous: boolean;
  /** For grouped passes: which search or constraint decided the group. */
  decidedBy: string | null;
}

/** One match as read by `readMatches`: record ids per side (`row_no`), score, tier, explanation. */
export interface MatchRecord {
  id: number;
  passIndex: number;
  pass: string;
  kind: PassKind;
  left: number[];
  right: number[];
  score: number;
  tier: MatchTier;
  explanation: MatchExplanation;
}

/** A record in no match, with its nearest candidate and the reason. */
export interface UnmatchedRecord {
  row: number;
  /** Nearest candidate on the other side (possibly taken by another match), null when none was found. */
  nearest: { row: number; score: number; pass: string } | null;
  reason: string;
}

/** A difference inside an accepted match. */
export interface Discrepancy {
  matchId: number;
  field: 'amount' | 'booking_date' | 'value_date';
  left: string;
  right: string;
  /** right − left: minor units for amounts, days for dates. */
  delta: bigint;
  unit: 'minor' | 'days';
}

/** Paging of a result table. */
export interface PageOptions {
  offset?: number;
  limit?: number;
}
