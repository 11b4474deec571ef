import type { SessionOptions } from '../src/duck/session';

/** What every benchmark variant receives. */
export interface VariantInput {
  left: string;
  right: string;
  rulesFile: string;
  outDir: string;
  session: SessionOptions;
}

/** What a variant reports. `matchesFile` holds (left_id, right_id) of every accepted match. */
export interface VariantOutput {
  matchesFile: string;
  matched: number;
  /** Seconds per phase, for the curious reader of the JSON report. */
  phases: Record<string, number>;
  /** CPU seconds (user + system, all threads) per phase. */
  phasesCpu: Record<string, number>;
}

/** One line the child prints last on stdout: the parent parses it. */
export interface VariantReport extends VariantOutput {
  variant: string;
  seconds: number;
  /** CPU seconds (user + system, all threads) over the same span as `seconds`. */
  cpuSeconds: number;
  peakRssMb: number;
}

export const VARIANTS = ['sql', 'engine', 'engine-diagnostics'] as const;
/** Run by default; `engine-diagnostics` (nearest candidate for every unmatched record) on request. */
export const DEFAULT_VARIANTS = ['sql', 'engine'] as const;
export type VariantName = (typeof VARIANTS)[number];
