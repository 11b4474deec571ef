import { useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import type { JobView, WsServerMessage } from '@recon/shared';
import { WS_CLOSE, wsServerMessageSchema } from '@recon/shared';
import { notifications } from '@mantine/notifications';
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { meQueryKey } from '../../auth/auth.keys';
import { forgetProject } from '../../layout/forget-project';
import { jobKeys } from './jobs.queries';

const RECONNECT_MS = 3000;
const FINISHED = new Set(['completed', 'failed', 'cancelled']);

type ProgressMessage = Extract<WsServerMessage, { type: 'job_progress' }>;
/** Who is in a project's room and which job each has open, as the server last said. */
export type PresenceViewers = Extract<WsServerMessage, { type: 'presence' }>['viewers'];

/** Where the latest `presence` message of a project is kept (written only by the socket). */
export const presenceKey = (projectId: string) => ['presence', projectId] as const;

// The job this tab shows per project, and the joined sockets of each project: `useViewingJob` reaches the
// room through whichever connection serves the project (the frame's shared one or a page's own).
const viewingJob = new Map<string, string>();
const joinedSockets = new Map<string, Set<WebSocket>>();

function sendViewing(socket: WebSocket, projectId: string): void {
  if (socket.readyState !== WebSocket.OPEN) return;
  const jobId = viewingJob.get(projectId) ?? null;
  socket.send(JSON.stringify({ type: 'view_job', project_id: projectId, job_id: jobId }));
}

/** Tells colleagues in the project's room that this page shows `jobId` (presence), while it is mounted. */
export function useViewingJob(projectId: string, jobId: string): void {
  useEffect(() => {
    viewingJob.set(projectId, jobId);
    for (const socket of joinedSockets.get(projectId) ?? []) sendViewing(socket, projectId);
    return () => {
      if (viewingJob.get(projectId) === jobId) viewingJob.delete(projectId);
      for (const socket of joinedSockets.get(projectId) ?? []) sendViewing(socket, projectId);
    };
  }, [projectId, jobId]);
}
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
  if (message.type === 'presence') {
    if (message.project_id === projectId) queryClient.setQueryData(presenceKey(projectId), message.viewers);
    return;
  }
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
  forgetProject(queryClient, message.project_id);
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
 * The live connection of the project frame (`pages/project.page.tsx`), so that every tab under it shares
 * one socket and reacts to `left_project` the same way.
 */
export const ProjectLiveContext = createContext<{ projectId: string; isLive: boolean } | null>(null);

/**
 * Whether the project's live connection is up: the project frame's when rendered inside it (see
 * {@link ProjectLiveContext}), otherwise a connection of its own.
 */
export function useProjectLive(projectId: string): boolean {
  const shared = useContext(ProjectLiveContext);
  const isShared = shared?.projectId === projectId;
  const isOwnLive = useProjectLiveConnection(isShared ? null : projectId);
  return isShared ? shared.isLive : isOwnLive;
}

/**
 * Joins the project's room on `/ws` (the upgrade carries the session cookie) and folds job progress,
 * changes and notifications into the query cache. Reconnects after a drop and then refetches jobs (events
 * may have been missed); stops on `left_project` for this project (goes to the projects list) and on close
 * 4403 (goes to sign-in). Returns whether it is live, so queries poll fast only while it is not. `null`: no
 * connection (another one serves this project).
 */
export function useProjectLiveConnection(projectId: string | null): boolean {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // A ref, so a new `navigate` identity never tears the socket down.
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;
  const [isLive, setLive] = useState(false);

  useEffect(() => {
    if (projectId === null) return;
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
          if (socket) {
            joinedSockets.set(projectId, (joinedSockets.get(projectId) ?? new Set()).add(socket));
            sendViewing(socket, projectId);
          }
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
        if (socket) joinedSockets.get(projectId)?.delete(socket);
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
