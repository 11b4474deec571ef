import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RuleSetView } from '@recon/shared';
import { api } from '../../api/api';
import { jobKeys } from '../jobs/jobs.queries';

/** The engine's proposal for two data sources: rules plus one note per decision. */
export interface RuleSuggestion {
  rules: Record<string, unknown>;
  notes: string[];
}

/** One stored version of a rule set. */
export interface RuleSetVersion {
  version: number;
  rules: Record<string, unknown>;
  created_by: string | null;
  created_at: string;
}

export const ruleKeys = {
  versions: (id: string) => ['rule-sets', 'versions', id] as const,
};

/** Asks the engine to propose rules from two ready data sources (nothing is stored). */
export function useSuggestRules(projectId: string) {
  return useMutation({
    mutationFn: (input: { source_data_source_id: string; target_data_source_id: string }) =>
      api.post<RuleSuggestion>(`/api/projects/${encodeURIComponent(projectId)}/rule-sets/suggest`, input),
  });
}

/** Saves rules as a new rule set (version 1). */
export function useCreateRuleSet(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; description: string; rules: Record<string, unknown> }) =>
      api.post<RuleSetView>(`/api/projects/${encodeURIComponent(projectId)}/rule-sets`, input),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: jobKeys.ruleSets(projectId) });
    },
  });
}

/** Deletes a rule set (jobs keep the version they ran with). */
export function useDeleteRuleSet(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(`/api/rule-sets/${encodeURIComponent(id)}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: jobKeys.ruleSets(projectId) });
    },
  });
}

/** Every version of a rule set, newest first; only fetched when asked for. */
export function useRuleSetVersions(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ruleKeys.versions(id),
    queryFn: ({ signal }) =>
      api.get<{ items: RuleSetVersion[] }>(`/api/rule-sets/${encodeURIComponent(id)}/versions`, { signal }),
    select: (data) => data.items,
    enabled,
  });
}
