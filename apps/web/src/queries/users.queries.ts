import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { UserRole, UserStatus, UserView } from '@recon/shared';
import { api } from '../api/api';
import { meQueryKey } from '../auth/auth.keys';

export const USERS_PAGE_SIZE = 50;

const userKeys = {
  all: ['users'] as const,
  page: (page: number) => ['users', 'page', page] as const,
};

/** One page of users (admin). `page` counts from 1. */
export function useUsers(page: number) {
  return useQuery({
    queryKey: userKeys.page(page),
    queryFn: ({ signal }) =>
      api.get<{ items: UserView[]; total: number }>('/api/users', {
        query: { limit: USERS_PAGE_SIZE, offset: (page - 1) * USERS_PAGE_SIZE },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

export interface CreateUserInput {
  email: string;
  name: string;
  password: string;
  role: UserRole;
}

/** Creates a user (admin). */
export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateUserInput) => api.post<UserView>('/api/users', input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

/** Changes a user's role or status (admin); disabling signs the user out everywhere. */
export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; role?: UserRole; status?: UserStatus; name?: string }) => {
      const { id, ...patch } = input;
      return api.patch<UserView>(`/api/users/${encodeURIComponent(id)}`, patch);
    },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

/** Deletes a user (admin). */
export function useDeleteUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(`/api/users/${encodeURIComponent(id)}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

/** Changes the signed-in person's display name. */
export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string }) => api.patch<unknown>('/api/auth/me', input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: meQueryKey }),
  });
}

/** Changes the signed-in person's password; the server signs out their other sessions. */
export function useChangePassword() {
  return useMutation({
    mutationFn: (input: { current_password: string; new_password: string }) =>
      api.post<unknown>('/api/auth/me/password', input),
  });
}
