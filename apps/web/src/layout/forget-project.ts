import type { QueryClient } from '@tanstack/react-query';
import { projectKeys } from '../queries/projects.queries';

function isOwnedBy(value: unknown, projectId: string): value is { id: string; project_id: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'project_id' in value &&
    value.project_id === projectId &&
    'id' in value &&
    typeof value.id === 'string'
  );
}

/** The ids of the project's jobs and data sources held in one cached value (a view or a page of them). */
function ownedIds(data: unknown, projectId: string): string[] {
  if (isOwnedBy(data, projectId)) return [data.id];
  if (typeof data === 'object' && data !== null && 'items' in data && Array.isArray(data.items))
    return data.items.filter((item) => isOwnedBy(item, projectId)).map((item) => item.id);
  return [];
}

/**
 * Drops everything cached about a project the person can no longer see: queries keyed by the project id,
 * views that belong to it (jobs, data sources) and queries keyed by those views' ids (results, previews).
 * The project list is refetched so the project disappears from it.
 */
export function forgetProject(queryClient: QueryClient, projectId: string): void {
  const cache = queryClient.getQueryCache();
  const ids = new Set([projectId]);
  for (const query of cache.getAll()) for (const id of ownedIds(query.state.data, projectId)) ids.add(id);
  queryClient.removeQueries({
    predicate: (query) =>
      query.queryKey.some((part) => typeof part === 'string' && ids.has(part)) ||
      ownedIds(query.state.data, projectId).length > 0,
  });
  void queryClient.invalidateQueries({ queryKey: projectKeys.all });
  void queryClient.invalidateQueries({ queryKey: ['analytics'] });
}
