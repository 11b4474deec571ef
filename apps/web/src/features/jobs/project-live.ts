import { useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import type { JobView, WsServerMessage } from '@recon/shared';
import { wsServerMessageSchema } from '@recon/shared';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { jobKeys } from './jobs.queries';

const RECONNECT_MS = 3000;
const FINISHED = new Set(['completed', 'failed', 'cancelled']);

type ProgressMessage = Extract<WsServerMessage, { type: 'job_progress' }>;

/** Applies a progress event to a cached job, so bars move without a request. */
export function applyProgress(job: JobView, event: ProgressMessage): JobView {
  if (job.id !== event.job_id) return job;
  const status = jobStatusOf(event.status) ?? job.status;
  return {
    ...job,
    status,
    progress: event.progress === null ? job.progress : Math.round(event.progress),
    phase: event.phase,
    eta_seconds: event.eta === null ? null : Math.round(event.eta),
  };
}

function jobStatusOf(value: string): JobView['status'] | undefined {
  const statuses: JobView['status'][] = ['draft', 'queued', 'running', 'completed', 'failed', 'cancelled'];
  return statuses.find((status) => status === value);
}

function onMessage(queryClient: QueryClient, projectId: string, message: WsServerMessage): void {
  if (message.type === 'job_progress') {
    queryClient.setQueryData<JobView>(jobKeys.detail(message.job_id), (job) =>
      job ? applyProgress(job, message) : job,
    );
    queryClient.setQueryData<{ items: JobView[]; next_cursor: string | null }>(
      jobKeys.list(projectId),
      (page) => (page ? { ...page, items: page.items.map((job) => applyProgress(job, message)) } : page),
    );
    if (FINISHED.has(message.status)) {
      void queryClient.invalidateQueries({ queryKey: jobKeys.detail(message.job_id) });
      void queryClient.invalidateQueries({ queryKey: jobKeys.list(projectId) });
      void queryClient.invalidateQueries({ queryKey: ['results', message.job_id] });
    }
    return;
  }
  if (message.type === 'notification') {
    // The server names the job by id; the person knows it by name.
    const job = message.job_id
      ? queryClient.getQueryData<JobView>(jobKeys.detail(message.job_id))
      : undefined;
    const color = { info: 'blue', success: 'teal', warning: 'yellow', error: 'red' }[message.level];
    notifications.show({ color, title: message.title, message: job ? `“${job.name}”` : message.message });
    return;
  }
  if (message.type === 'data_changed') {
    if (message.entity === 'data_source') void queryClient.invalidateQueries({ queryKey: ['data-sources'] });
    if (message.job_id) void queryClient.invalidateQueries({ queryKey: ['results', message.job_id] });
    if (message.entity === 'job') void queryClient.invalidateQueries({ queryKey: jobKeys.list(projectId) });
  }
}

/**
 * Joins the project's room on `/ws` (the upgrade carries the session cookie) and folds job progress,
 * changes and notifications into the query cache. Reconnects after a drop; returns whether it is live,
 * so queries poll only while it is not.
 */
export function useProjectLive(projectId: string): boolean {
  const queryClient = useQueryClient();
  const [isLive, setLive] = useState(false);

  useEffect(() => {
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let isClosed = false;
    const connect = () => {
      const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
      socket = new WebSocket(`${scheme}://${window.location.host}/ws`);
      socket.onopen = () => socket?.send(JSON.stringify({ type: 'join_project', project_id: projectId }));
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
        if (parsed.data.type === 'joined') setLive(true);
        else if (parsed.data.type === 'ping')
          socket?.send(JSON.stringify({ type: 'pong', id: parsed.data.id }));
        else onMessage(queryClient, projectId, parsed.data);
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
  }, [projectId, queryClient]);

  return isLive;
}
