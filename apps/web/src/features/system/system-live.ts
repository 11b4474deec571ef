import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { SystemMetrics } from '@recon/shared';
import { wsServerMessageSchema } from '@recon/shared';
import { useEffect, useState } from 'react';
import { api } from '../../api/api';

/** The metrics the page shows (the WebSocket omits the raw Prometheus families). */
export type LiveMetrics = Omit<SystemMetrics, 'prometheus'>;

const KEY = ['system', 'metrics'] as const;
const RECONNECT_MS = 3000;
/** How many samples the sparkline keeps (one every few seconds: a few minutes of history). */
export const HISTORY = 60;

/** Appends a sample and keeps the newest `HISTORY`. */
export function pushSample<T>(history: readonly T[], sample: T): T[] {
  const next = [...history, sample];
  return next.length > HISTORY ? next.slice(next.length - HISTORY) : next;
}

/**
 * System metrics: one `GET /api/system/metrics`, then every `metrics_update` the server pushes to admins
 * over `/ws`. Polls every 10 s only while the socket is down. Returns the query and a short history.
 */
export function useSystemMetrics() {
  const queryClient = useQueryClient();
  const [isLive, setLive] = useState(false);
  const [history, setHistory] = useState<LiveMetrics[]>([]);
  const query = useQuery({
    queryKey: KEY,
    queryFn: ({ signal }) => api.get<SystemMetrics>('/api/system/metrics', { signal }),
    refetchInterval: isLive ? false : 10_000,
  });

  useEffect(() => {
    if (query.data) setHistory((current) => pushSample(current, query.data));
  }, [query.data]);

  useEffect(() => {
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let isClosed = false;
    const connect = () => {
      const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
      socket = new WebSocket(`${scheme}://${window.location.host}/ws`);
      socket.onopen = () => {
        setLive(true);
      };
      socket.onmessage = (event: MessageEvent<unknown>) => {
        if (typeof event.data !== 'string') return;
        let data: unknown;
        try {
          data = JSON.parse(event.data);
        } catch {
          return;
        }
        const parsed = wsServerMessageSchema.safeParse(data);
        if (!parsed.success) return;
        if (parsed.data.type === 'ping') socket?.send(JSON.stringify({ type: 'pong', id: parsed.data.id }));
        else if (parsed.data.type === 'metrics_update') {
          const metrics = parsed.data.metrics;
          queryClient.setQueryData<SystemMetrics>(KEY, (old) => ({
            ...metrics,
            prometheus: old?.prometheus ?? [],
          }));
        }
      };
      socket.onclose = () => {
        setLive(false);
        if (!isClosed) retry = setTimeout(connect, RECONNECT_MS);
      };
    };
    connect();
    return () => {
      isClosed = true;
      clearTimeout(retry);
      socket?.close();
    };
  }, [queryClient]);

  return { query, history, isLive };
}
