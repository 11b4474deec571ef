import { useQuery } from '@tanstack/react-query';
import type { Dashboard, ReconciliationAnalytics } from '@recon/shared';
import { api } from '../../api/api';

// The dashboard spans every project, and project events arrive only in a project's room on /ws, so it
// refreshes on a modest interval while the tab is visible (and when the tab regains focus). The server
// caches these figures, so a refetch costs it little.
export const DASHBOARD_REFRESH_MS = 20_000;

/** `GET /api/analytics/dashboard`: everything in the caller's projects. */
export function useDashboard() {
  return useQuery({
    queryKey: ['analytics', 'dashboard'],
    queryFn: ({ signal }) => api.get<Dashboard>('/api/analytics/dashboard', { signal }),
    refetchInterval: DASHBOARD_REFRESH_MS,
  });
}

/** `GET /api/analytics/reconciliation`: match share by pass and the age of open exceptions. */
export function useReconciliationAnalytics() {
  return useQuery({
    queryKey: ['analytics', 'reconciliation'],
    queryFn: ({ signal }) => api.get<ReconciliationAnalytics>('/api/analytics/reconciliation', { signal }),
    refetchInterval: DASHBOARD_REFRESH_MS,
  });
}
