import { useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { CLIENT_ERROR_CODES, isApiError } from '../api/api-error';

/** `offline`: the browser has no network; `unreachable`: it has, but our requests do not get through. */
export type Connectivity = 'online' | 'offline' | 'unreachable';

// A proxy or load balancer answering for a server that is down.
const GATEWAY_STATUSES = new Set([502, 503, 504]);

/** Whether a failed request means the server could not be reached (rather than a refusal or a bug). */
export function isUnreachable(error: unknown): boolean {
  return (
    isApiError(error) && (error.code === CLIENT_ERROR_CODES.network || GATEWAY_STATUSES.has(error.status))
  );
}

/**
 * Follows the latest outcome of every query and mutation: a request failing for want of the server flags
 * it unreachable, any request that gets an answer clears the flag. Returns the unsubscribe function.
 */
export function watchRequests(queryClient: QueryClient, onChange: (isUnreachable: boolean) => void) {
  const stopQueries = queryClient.getQueryCache().subscribe((event) => {
    if (event.type !== 'updated') return;
    if (event.action.type === 'error') onChange(isUnreachable(event.action.error));
    else if (event.action.type === 'success') onChange(false);
  });
  const stopMutations = queryClient.getMutationCache().subscribe((event) => {
    if (event.type !== 'updated') return;
    if (event.action.type === 'error') onChange(isUnreachable(event.action.error));
    else if (event.action.type === 'success') onChange(false);
  });
  return () => {
    stopQueries();
    stopMutations();
  };
}

/** The browser's network state (`navigator.onLine` and its events) combined with our requests' fate. */
export function useConnectivity(): Connectivity {
  const queryClient = useQueryClient();
  const [isOnline, setOnline] = useState(() => navigator.onLine);
  const [isServerDown, setServerDown] = useState(false);
  useEffect(() => {
    const update = () => {
      setOnline(navigator.onLine);
      // Back online: give the server the benefit of the doubt until a request says otherwise.
      if (navigator.onLine) setServerDown(false);
    };
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    const stop = watchRequests(queryClient, setServerDown);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
      stop();
    };
  }, [queryClient]);
  if (!isOnline) return 'offline';
  return isServerDown ? 'unreachable' : 'online';
}
