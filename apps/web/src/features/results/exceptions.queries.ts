import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api';
import type { ExceptionView } from './results.queries';
import { resultKeys } from './results.queries';

const jobPath = (jobId: string) => `/api/reconciliation/jobs/${encodeURIComponent(jobId)}`;

/** A comment on a match or an exception. */
export interface CommentView {
  id: string;
  target_type: string;
  target_key: string;
  body: string;
  author_id: string | null;
  created_at: string;
}

/** What can be done to one exception; each carries the version last read (a colleague's change → 409). */
export type ExceptionAction =
  | { type: 'write-off'; code: string; reason: string }
  | { type: 'status'; status: 'open' | 'investigating' | 'resolved' }
  | { type: 'assign'; assignee_id: string | null };

/** Writes off, re-states or assigns an exception, then refreshes the job's results. */
export function useExceptionAction(jobId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ exception, action }: { exception: ExceptionView; action: ExceptionAction }) => {
      const { type, ...body } = action;
      return api.post<unknown>(`${jobPath(jobId)}/exceptions/${exception.side}/${exception.row}/${type}`, {
        version: exception.version,
        ...body,
      });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: resultKeys.all(jobId) });
    },
  });
}

/** The `<side>:<row>` key comments use for an exception. */
export function exceptionKey(exception: Pick<ExceptionView, 'side' | 'row'>): string {
  return `${exception.side}:${String(exception.row)}`;
}

/** Comments on one exception, oldest first. */
export function useExceptionComments(jobId: string, targetKey: string | null) {
  return useQuery({
    queryKey: [...resultKeys.all(jobId), 'comments', targetKey],
    queryFn: ({ signal }) =>
      api.get<{ items: CommentView[] }>(`${jobPath(jobId)}/comments`, {
        query: { target_type: 'exception', target_key: targetKey ?? '' },
        signal,
      }),
    select: (data) => data.items,
    enabled: targetKey !== null,
  });
}

/** Adds a comment to an exception. */
export function useAddComment(jobId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { target_key: string; body: string }) =>
      api.post<CommentView>(`${jobPath(jobId)}/comments`, { target_type: 'exception', ...input }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: [...resultKeys.all(jobId), 'comments'] });
    },
  });
}
