// Matching: candidate generation and scoring in DuckDB, best-first assignment and subset-sum in TypeScript.
export { reconcile } from './reconcile';
export { readMatches, readUnmatched, readDiscrepancies } from './read-results';
export { readStatistics } from './read-statistics';
export { RESULT_TABLES } from './result-tables';
export { assignGreedy, type AcceptedPair, type CandidateColumns } from './assign-greedy';
export { searchSubset, type SubsetCandidate, type SubsetLimits, type SubsetOutcome } from './subset-sum';
export type * from './match.types';
export * from '../suggest/index';
