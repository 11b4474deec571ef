import { useQuery } from '@tanstack/react-query';
import type { Dashboard } from '@recon/shared';
import { api } from '../../api/api';

// Totals move as jobs finish; a minute is fresh enough for a landing screen and cheap for the server.
const REFRESH_MS = 60_000;

/** `GET /api/analytics/dashboard`: everything in the caller's projects. */
export function useDashboard() {
  return useQuery({
    queryKey: ['analytics', 'dashboard'],
    queryFn: ({ signal }) => api.get<Dashboard>('/api/analytics/dashboard', { signal }),
    refetchInterval: REFRESH_MS,
  });
}
