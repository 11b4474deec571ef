import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DryRunBody, DryRunResult, RuleSetView } from '@recon/shared';
import { useEffect, useRef } from 'react';
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

/** Saves new rules (and name/description) on an existing rule set: the server stores the next version. */
export function useUpdateRuleSet(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; name: string; description: string; rules: Record<string, unknown> }) =>
      api.put<RuleSetView>(`/api/rule-sets/${encodeURIComponent(input.id)}`, {
        name: input.name,
        description: input.description,
        rules: input.rules,
      }),
    onSuccess: (set) => {
      void queryClient.invalidateQueries({ queryKey: jobKeys.ruleSets(projectId) });
      void queryClient.invalidateQueries({ queryKey: ruleKeys.versions(set.id) });
    },
  });
}

/**
 * Runs rules on two data sources without saving them. A newer run, or leaving the builder, aborts the
 * request in flight, and the server then stops its engine too (it watches for the client going away).
 */
export function useDryRun(projectId: string) {
  const inFlight = useRef<AbortController | null>(null);
  useEffect(
    () => () => {
      inFlight.current?.abort();
    },
    [],
  );
  return useMutation({
    mutationFn: (input: DryRunBody) => {
      inFlight.current?.abort();
      const controller = new AbortController();
      inFlight.current = controller;
      return api.post<DryRunResult>(
        `/api/projects/${encodeURIComponent(projectId)}/rule-sets/dry-run`,
        input,
        { signal: controller.signal },
      );
    },
  });
}
