import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TokenResponse, UserView } from '@recon/shared';
import { api } from '../api/api';
import { isApiError } from '../api/api-error';
import { meQueryKey } from './auth.keys';

interface MeResponse {
  user: UserView;
  auth_method: 'access_token' | 'cookie' | 'api_key';
}

async function fetchMe(): Promise<UserView | null> {
  try {
    const me = await api.get<MeResponse>('/api/auth/me');
    return me.user;
  } catch (error) {
    if (isApiError(error) && error.status === 401) return null;
    throw error;
  }
}

/** The signed-in user: `undefined` while loading, `null` when signed out. */
export function useMe() {
  return useQuery({ queryKey: meQueryKey, queryFn: fetchMe, staleTime: 60_000 });
}

/** The signed-in user, for screens that only render inside the authenticated shell. */
export function useCurrentUser(): UserView {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentUser used outside the authenticated shell');
  return data;
}

export interface Credentials {
  email: string;
  password: string;
}

/** Signs in; the server sets the session cookies and answers with the user. */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: Credentials) => api.post<TokenResponse>('/api/auth/login', credentials),
    onSuccess: (response) => {
      queryClient.setQueryData(meQueryKey, response.user);
    },
  });
}

/** Signs out everywhere in this browser: server session revoked, every cached answer dropped. */
export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<unknown>('/api/auth/logout'),
    onSettled: () => {
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, null);
    },
  });
}
