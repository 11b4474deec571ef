import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ProjectRole, ProjectView } from '@recon/shared';
import { api } from '../api/api';

export type ProjectStatusFilter = 'active' | 'archived' | 'all';

export interface MemberView {
  user_id: string;
  email: string;
  name: string;
  role: ProjectRole;
  added_at: string;
}

export const projectKeys = {
  all: ['projects'] as const,
  list: (status: ProjectStatusFilter) => ['projects', 'list', status] as const,
  detail: (id: string) => ['projects', 'detail', id] as const,
  members: (id: string) => ['projects', 'detail', id, 'members'] as const,
};

/** Projects the signed-in person belongs to. */
export function useProjects(status: ProjectStatusFilter) {
  return useQuery({
    queryKey: projectKeys.list(status),
    queryFn: ({ signal }) =>
      api.get<{ items: ProjectView[] }>('/api/projects', {
        query: { status: status === 'all' ? undefined : status },
        signal,
      }),
    select: (data) => data.items,
  });
}

/** One project with the caller's role in it. */
export function useProject(id: string) {
  return useQuery({
    queryKey: projectKeys.detail(id),
    queryFn: ({ signal }) => api.get<ProjectView>(`/api/projects/${encodeURIComponent(id)}`, { signal }),
  });
}

export interface ProjectInput {
  name: string;
  description: string;
}

/** Creates a project; the creator becomes its owner. */
export function useCreateProject() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ProjectInput) => api.post<ProjectView>('/api/projects', input),
    onSuccess: (project) => {
      queryClient.setQueryData(projectKeys.detail(project.id), project);
      void queryClient.invalidateQueries({ queryKey: projectKeys.all });
    },
  });
}

/** Renames, re-describes, archives or restores a project. */
export function useUpdateProject(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: Partial<ProjectInput> & { status?: 'active' | 'archived' }) =>
      api.patch<ProjectView>(`/api/projects/${encodeURIComponent(id)}`, patch),
    onSuccess: (project) => {
      queryClient.setQueryData(projectKeys.detail(id), project);
      void queryClient.invalidateQueries({ queryKey: projectKeys.all });
    },
  });
}

/** Deletes a project and everything in it. */
export function useDeleteProject(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<unknown>(`/api/projects/${encodeURIComponent(id)}`),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: projectKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: projectKeys.all });
    },
  });
}

/** The people in a project and their roles. */
export function useMembers(projectId: string) {
  return useQuery({
    queryKey: projectKeys.members(projectId),
    queryFn: ({ signal }) =>
      api.get<{ items: MemberView[] }>(`/api/projects/${encodeURIComponent(projectId)}/members`, { signal }),
    select: (data) => data.items,
  });
}

function useMembersMutation<TVars>(projectId: string, call: (vars: TVars) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: projectKeys.members(projectId) });
    },
  });
}

/** Adds a registered user to the project by email. */
export function useAddMember(projectId: string) {
  return useMembersMutation(projectId, (input: { email: string; role: ProjectRole }) =>
    api.post<MemberView>(`/api/projects/${encodeURIComponent(projectId)}/members`, input),
  );
}

/** Changes a member's role. */
export function useChangeMemberRole(projectId: string) {
  return useMembersMutation(projectId, (input: { userId: string; role: ProjectRole }) =>
    api.patch<MemberView>(
      `/api/projects/${encodeURIComponent(projectId)}/members/${encodeURIComponent(input.userId)}`,
      { role: input.role },
    ),
  );
}

/** Removes a member from the project. */
export function useRemoveMember(projectId: string) {
  return useMembersMutation(projectId, (userId: string) =>
    api.delete<unknown>(
      `/api/projects/${encodeURIComponent(projectId)}/members/${encodeURIComponent(userId)}`,
    ),
  );
}
