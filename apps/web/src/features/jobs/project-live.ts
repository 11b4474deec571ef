import { useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import type { JobView, WsServerMessage } from '@recon/shared';
import { WS_CLOSE, wsServerMessageSchema } from '@recon/shared';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { meQueryKey } from '../../auth/auth.keys';
import { projectKeys } from '../../queries/projects.queries';
import { jobKeys } from './jobs.queries';

const RECONNECT_MS = 3000;
const FINISHED = new Set(['completed', 'failed', 'cancelled']);

type ProgressMessage = Extract<WsServerMessage, { type: 'job_progress' }>;
type LeftProjectMessage = Extract<WsServerMessage, { type: 'left_project' }>;

const LEFT_REASON: Record<LeftProjectMessage['reason'], string> = {
  membership_revoked: 'You are no longer a member of this project.',
  project_deleted: 'This project was deleted.',
};

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
 * The server took us out of the open project: say why, forget the project and go to the list, since every
 * request for it would now fail.
 */
function onLeftProject(queryClient: QueryClient, message: LeftProjectMessage, goTo: (path: string) => void) {
  notifications.show({
    id: `left-project-${message.project_id}`,
    color: 'yellow',
    title: 'Project closed',
    message: LEFT_REASON[message.reason],
    autoClose: false,
  });
  queryClient.removeQueries({ queryKey: projectKeys.detail(message.project_id) });
  void queryClient.invalidateQueries({ queryKey: projectKeys.all });
  goTo('/projects');
}

/**
 * The user was disabled or deleted (close 4403): reconnecting with the same cookie cannot work. Dropping
 * the cached data and the signed-in user sends the person to sign-in (via the route guard); the message
 * stays until dismissed so they know why.
 */
function onAccessRevoked(queryClient: QueryClient) {
  notifications.show({
    id: 'access-revoked',
    color: 'red',
    title: 'Signed out',
    message: 'Your access was revoked. Sign in again or ask an administrator.',
    autoClose: false,
  });
  queryClient.clear();
  queryClient.setQueryData(meQueryKey, null);
}

/**
 * Joins the project's room on `/ws` (the upgrade carries the session cookie) and folds job progress,
 * changes and notifications into the query cache. Reconnects after a drop and then refetches jobs (events
 * may have been missed); stops on `left_project` for this project (goes to the projects list) and on close
 * 4403 (goes to sign-in). Returns whether it is live, so queries poll fast only while it is not.
 */
export function useProjectLive(projectId: string): boolean {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // A ref, so a new `navigate` identity never tears the socket down.
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;
  const [isLive, setLive] = useState(false);

  useEffect(() => {
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let isClosed = false;
    let wasDropped = false;
    const stop = () => {
      isClosed = true;
      clearTimeout(retry);
      socket?.close();
    };
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
        const message = parsed.data;
        if (message.type === 'joined') {
          setLive(true);
          // Progress sent while we were away is lost: ask for the current state once.
          if (wasDropped) void queryClient.invalidateQueries({ queryKey: jobKeys.all });
          wasDropped = false;
        } else if (message.type === 'ping') socket?.send(JSON.stringify({ type: 'pong', id: message.id }));
        else if (message.type === 'left_project') {
          if (message.project_id !== projectId) return;
          stop();
          onLeftProject(queryClient, message, (path) => void navigateRef.current(path, { replace: true }));
        } else onMessage(queryClient, projectId, message);
      };
      socket.onclose = (event: CloseEvent) => {
        setLive(false);
        if (isClosed) return;
        if (event.code === WS_CLOSE.ACCESS_REVOKED) {
          isClosed = true;
          onAccessRevoked(queryClient);
          return;
        }
        wasDropped = true;
        retry = setTimeout(connect, RECONNECT_MS);
      };
    };
    connect();
    return stop;
  }, [projectId, queryClient]);

  return isLive;
}
