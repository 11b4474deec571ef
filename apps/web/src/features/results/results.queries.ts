import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ExceptionView, MatchView, ResultSummary } from '@recon/shared';
import { api } from '../../api/api';
import type { BulkAction } from './bulk-review';
import type { DiscrepancyGridFilter, MatchGridFilter, UnmatchedGridFilter } from './grid-filters';

/** `GET .../results`: counts per tier, pass and side, amounts per side and currency. */
export type { ResultSummary };
/** One side of {@link ResultSummary}. */
export type SideSummary = ResultSummary['left'];

export type { ExceptionView };

export interface DiscrepancyView {
  match_id: number;
  field: string;
  left_value: string;
  right_value: string;
  delta: string;
  unit: string;
}

/** Which matches a tab lists. */
export type MatchStatusFilter = 'confirmed' | 'suggested' | 'rejected';

const PAGE = 200;
const jobPath = (jobId: string) => `/api/reconciliation/jobs/${encodeURIComponent(jobId)}`;

export const resultKeys = {
  all: (jobId: string) => ['results', jobId] as const,
  summary: (jobId: string) => ['results', jobId, 'summary'] as const,
  matches: (jobId: string, status: MatchStatusFilter, filter: MatchGridFilter) =>
    ['results', jobId, 'matches', status, filter] as const,
  unmatched: (jobId: string, side: 'left' | 'right', filter: UnmatchedGridFilter) =>
    ['results', jobId, 'unmatched', side, filter] as const,
  discrepancies: (jobId: string, filter: DiscrepancyGridFilter) =>
    ['results', jobId, 'discrepancies', filter] as const,
};

/** Totals of a finished job. */
export function useResultSummary(jobId: string, isEnabled: boolean) {
  return useQuery({
    queryKey: resultKeys.summary(jobId),
    queryFn: ({ signal }) => api.get<ResultSummary>(`${jobPath(jobId)}/results`, { signal }),
    enabled: isEnabled,
  });
}

/** Matches of one status, filtered and sorted on the server, one keyset page at a time. */
export function useMatches(jobId: string, status: MatchStatusFilter, filter: MatchGridFilter) {
  return useInfiniteQuery({
    queryKey: resultKeys.matches(jobId, status, filter),
    queryFn: ({ pageParam, signal }) =>
      api.get<{ items: MatchView[]; next_cursor: string | null }>(`${jobPath(jobId)}/matches`, {
        query: { ...filter, status, limit: PAGE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

/** Records of one side that found no match. */
export function useUnmatched(jobId: string, side: 'left' | 'right', filter: UnmatchedGridFilter) {
  return useInfiniteQuery({
    queryKey: resultKeys.unmatched(jobId, side, filter),
    queryFn: ({ pageParam, signal }) =>
      api.get<{ items: ExceptionView[]; next_cursor: string | null }>(`${jobPath(jobId)}/unmatched`, {
        query: { ...filter, side, limit: PAGE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

/** Differences inside accepted matches. */
export function useDiscrepancies(jobId: string, filter: DiscrepancyGridFilter) {
  return useInfiniteQuery({
    queryKey: resultKeys.discrepancies(jobId, filter),
    queryFn: ({ pageParam, signal }) =>
      api.get<{ items: DiscrepancyView[]; next_cursor: string | null }>(`${jobPath(jobId)}/discrepancies`, {
        query: { ...filter, limit: PAGE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

export type MatchDecision = 'confirm' | 'reject' | 'unmatch';

/** Confirms or rejects a suggestion, or breaks a match; `version` guards against a colleague's change. */
export function useDecideMatch(jobId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      match,
      decision,
      reason,
    }: {
      match: MatchView;
      decision: MatchDecision;
      reason?: string;
    }) =>
      api.post<MatchView>(`${jobPath(jobId)}/matches/${match.match_id}/${decision}`, {
        version: match.version,
        ...(reason ? { reason } : {}),
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: resultKeys.all(jobId) });
    },
  });
}

/** One `POST .../review/bulk` request: all its actions commit together or none does (stale → 409). */
export function sendBulkReview(jobId: string, actions: BulkAction[]): Promise<{ applied: number }> {
  return api.post<{ applied: number }>(`${jobPath(jobId)}/review/bulk`, { actions });
}

/** Where the browser downloads the export (a plain link: the session cookie authorises it). */
export function exportUrl(
  jobId: string,
  format: 'csv' | 'json',
  part: 'matches' | 'unmatched' | 'all',
): string {
  return `${jobPath(jobId)}/export?format=${format}&part=${part}`;
}
