import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiKeyView } from '@recon/shared';
import { api } from '../api/api';

/** Where the signed-in person's API keys live on the server. */
export const API_KEYS_PATH = '/api/auth/api-keys';

const apiKeyKeys = { all: ['api-keys'] as const };

/** The signed-in person's API keys (secrets never included). */
export function useApiKeys() {
  return useQuery({
    queryKey: apiKeyKeys.all,
    queryFn: ({ signal }) => api.get<{ items: ApiKeyView[] }>(API_KEYS_PATH, { signal }),
    select: (data) => data.items,
  });
}

/** Creates a key; the answer carries the secret, shown this once. */
export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; expires_in_days?: number }) =>
      api.post<ApiKeyView & { key: string }>(API_KEYS_PATH, input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: apiKeyKeys.all }),
  });
}

/** Revokes a key at once: programs using it get 401 from then on. */
export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(`${API_KEYS_PATH}/${encodeURIComponent(id)}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: apiKeyKeys.all }),
  });
}
