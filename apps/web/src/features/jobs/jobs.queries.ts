import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { JobView, RuleSetView } from '@recon/shared';
import { api } from '../../api/api';

export const jobKeys = {
  all: ['jobs'] as const,
  list: (projectId: string) => ['jobs', 'list', projectId] as const,
  detail: (id: string) => ['jobs', 'detail', id] as const,
  ruleSets: (projectId: string) => ['rule-sets', 'list', projectId] as const,
};

const POLL_MS = 2000;
/** While the socket is live: a slow check in case a final progress or status message was missed. */
export const SAFETY_POLL_MS = 12_000;

/** True while the worker has the job (queued or running). */
export function isActive(job: Pick<JobView, 'status'>): boolean {
  return job.status === 'queued' || job.status === 'running';
}

/**
 * How often to refetch a job (or list) that may still change: every 2 s while the socket is down, and
 * slowly while it is live, because a dropped final `job_progress` would otherwise leave a job shown as
 * running forever. Nothing active: no polling.
 */
export function jobPollInterval(hasActive: boolean, isLive: boolean): number | false {
  if (!hasActive) return false;
  return isLive ? SAFETY_POLL_MS : POLL_MS;
}

/** A project's jobs, newest first; polls while one is active (see {@link jobPollInterval}). */
export function useJobs(projectId: string, isLive: boolean) {
  return useQuery({
    queryKey: jobKeys.list(projectId),
    queryFn: ({ signal }) =>
      api.get<{ items: JobView[]; next_cursor: string | null }>('/api/reconciliation/jobs', {
        query: { project_id: projectId, limit: 100 },
        signal,
      }),
    select: (data) => data.items,
    refetchInterval: (query) => jobPollInterval(query.state.data?.items.some(isActive) ?? false, isLive),
  });
}

/** One job; polls while active (see {@link jobPollInterval}). */
export function useJob(id: string, isLive: boolean) {
  return useQuery({
    queryKey: jobKeys.detail(id),
    queryFn: ({ signal }) =>
      api.get<JobView>(`/api/reconciliation/jobs/${encodeURIComponent(id)}`, { signal }),
    refetchInterval: (query) =>
      jobPollInterval(query.state.data !== undefined && isActive(query.state.data), isLive),
  });
}

/** The project's saved rule sets (for the job form). */
export function useRuleSets(projectId: string) {
  return useQuery({
    queryKey: jobKeys.ruleSets(projectId),
    queryFn: ({ signal }) =>
      api.get<{ items: RuleSetView[] }>(`/api/projects/${encodeURIComponent(projectId)}/rule-sets`, {
        signal,
      }),
    select: (data) => data.items,
  });
}

/** `POST /api/reconciliation/jobs` body as the form builds it. */
export interface CreateJobInput {
  name: string;
  description: string;
  project_id: string;
  source_data_source_id: string;
  target_data_source_id: string;
  rule_set_id?: string;
  rules?: Record<string, unknown>;
  confidence_threshold?: number;
  auto_confirm_threshold?: number;
  start: boolean;
}

/** Creates a job, optionally queued at once. */
export function useCreateJob(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateJobInput) => api.post<JobView>('/api/reconciliation/jobs', input),
    onSuccess: (job) => {
      queryClient.setQueryData(jobKeys.detail(job.id), job);
      void queryClient.invalidateQueries({ queryKey: jobKeys.list(projectId) });
    },
  });
}

export type JobAction = 'start' | 'rerun' | 'cancel';

/** Starts a draft, reruns a finished job or cancels a queued/running one. */
export function useJobAction(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: JobAction }) =>
      api.post<JobView>(`/api/reconciliation/jobs/${encodeURIComponent(id)}/${action}`),
    onSuccess: (job) => {
      queryClient.setQueryData(jobKeys.detail(job.id), job);
      void queryClient.invalidateQueries({ queryKey: jobKeys.list(projectId) });
      void queryClient.invalidateQueries({ queryKey: ['results', job.id] });
    },
  });
}

/** Deletes a job and its results. */
export function useDeleteJob(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(`/api/reconciliation/jobs/${encodeURIComponent(id)}`),
    onSuccess: (_data, id) => {
      queryClient.removeQueries({ queryKey: jobKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: jobKeys.list(projectId) });
    },
  });
}
