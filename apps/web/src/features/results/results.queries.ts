import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MatchView, RecordView } from '@recon/shared';
import { api } from '../../api/api';

/** `GET .../results`: counts and amounts per tier, pass and side. */
export interface ResultSummary {
  job_id: string;
  status: string;
  matches: number;
  match_rate: number;
  discrepancies: number;
  by_tier: Record<string, { count: number }>;
  by_status: Record<string, { count: number }>;
  passes: { index: number; name: string; kind: string; matches: number; auto: number; suggested: number }[];
  left: SideSummary;
  right: SideSummary;
}

interface Tally {
  count: number;
  amount_minor: string;
}

export interface SideSummary {
  total: Tally;
  matched: Tally;
  unmatched: Tally;
  match_rate: number;
}

export interface ExceptionView {
  side: 'left' | 'right';
  row: number;
  record: RecordView;
  nearest: { row: number; score: number; pass: string } | null;
  reason: string;
  status: string;
  assignee_id: string | null;
  write_off_code: string | null;
  version: number;
  updated_at: string;
}

export interface DiscrepancyView {
  match_id: number;
  field: string;
  left_value: string;
  right_value: string;
  delta: string;
  unit: string;
}

/** Which matches a tab lists. */
export type MatchFilter = { status: 'confirmed' | 'suggested' | 'rejected' };

const PAGE = 200;
const jobPath = (jobId: string) => `/api/reconciliation/jobs/${encodeURIComponent(jobId)}`;

export const resultKeys = {
  all: (jobId: string) => ['results', jobId] as const,
  summary: (jobId: string) => ['results', jobId, 'summary'] as const,
  matches: (jobId: string, filter: MatchFilter) => ['results', jobId, 'matches', filter] as const,
  unmatched: (jobId: string, side: 'left' | 'right') => ['results', jobId, 'unmatched', side] as const,
  discrepancies: (jobId: string) => ['results', jobId, 'discrepancies'] as const,
};

/** Totals of a finished job. */
export function useResultSummary(jobId: string, isEnabled: boolean) {
  return useQuery({
    queryKey: resultKeys.summary(jobId),
    queryFn: ({ signal }) => api.get<ResultSummary>(`${jobPath(jobId)}/results`, { signal }),
    enabled: isEnabled,
  });
}

/** Matches, one server keyset page at a time. */
export function useMatches(jobId: string, filter: MatchFilter) {
  return useInfiniteQuery({
    queryKey: resultKeys.matches(jobId, filter),
    queryFn: ({ pageParam, signal }) =>
      api.get<{ items: MatchView[]; next_cursor: string | null }>(`${jobPath(jobId)}/matches`, {
        query: { ...filter, limit: PAGE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

/** Records of one side that found no match. */
export function useUnmatched(jobId: string, side: 'left' | 'right') {
  return useInfiniteQuery({
    queryKey: resultKeys.unmatched(jobId, side),
    queryFn: ({ pageParam, signal }) =>
      api.get<{ items: ExceptionView[]; next_cursor: number | null }>(`${jobPath(jobId)}/unmatched`, {
        query: { side, limit: PAGE, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
}

/** Differences inside accepted matches. */
export function useDiscrepancies(jobId: string) {
  return useInfiniteQuery({
    queryKey: resultKeys.discrepancies(jobId),
    queryFn: ({ pageParam, signal }) =>
      api.get<{ items: DiscrepancyView[]; next_cursor: string | null }>(`${jobPath(jobId)}/discrepancies`, {
        query: { limit: PAGE, cursor: pageParam },
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

/** Where the browser downloads the export (a plain link: the session cookie authorises it). */
export function exportUrl(
  jobId: string,
  format: 'csv' | 'json',
  part: 'matches' | 'unmatched' | 'all',
): string {
  return `${jobPath(jobId)}/export?format=${format}&part=${part}`;
}
