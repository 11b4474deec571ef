import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { JobView } from '@recon/shared';
import { notificationsStore } from '@mantine/notifications';
import { act, render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { meQueryKey } from '../../auth/auth.keys';
import { jobKeys, jobPollInterval, SAFETY_POLL_MS } from './jobs.queries';
import { useProjectLive } from './project-live';
import { FakeSocket, notificationTitles as titles } from './live-test-doubles';

const PROJECT = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const JOB = '33333333-3333-4333-8333-333333333333';

function latest(): FakeSocket {
  const socket = FakeSocket.all.at(-1);
  if (!socket) throw new Error('no socket opened');
  return socket;
}

function Live() {
  const isLive = useProjectLive(PROJECT);
  return <p>{isLive ? 'live' : 'offline'}</p>;
}

function renderLive() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity } } });
  const router = createMemoryRouter(
    [
      { path: '/projects/:projectId/jobs', element: <Live /> },
      { path: '/projects', element: <h1>Projects list</h1> },
    ],
    { initialEntries: [`/projects/${PROJECT}/jobs`] },
  );
  render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { queryClient, router };
}

beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers();
  vi.stubGlobal('WebSocket', FakeSocket);
  notificationsStore.setState({ notifications: [], queue: [], defaultPosition: 'bottom-right', limit: 5 });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('jobPollInterval', () => {
  it('polls slowly while live, fast while offline, and not at all once nothing is active', () => {
    expect(jobPollInterval(true, true)).toBe(SAFETY_POLL_MS);
    expect(SAFETY_POLL_MS).toBeGreaterThanOrEqual(10_000);
    expect(SAFETY_POLL_MS).toBeLessThanOrEqual(15_000);
    expect(jobPollInterval(true, false)).toBe(2000);
    expect(jobPollInterval(false, true)).toBe(false);
    expect(jobPollInterval(false, false)).toBe(false);
  });
});

describe('useProjectLive', () => {
  it('joins the project and reports live once the server confirms', () => {
    renderLive();
    latest().open();
    expect(latest().sent).toEqual([{ type: 'join_project', project_id: PROJECT }]);
    expect(screen.getByText('offline')).toBeTruthy();
    latest().receive({ type: 'joined', project_id: PROJECT });
    expect(screen.getByText('live')).toBeTruthy();
  });

  it('refetches jobs after a reconnect, since progress sent meanwhile was missed', () => {
    const { queryClient } = renderLive();
    const job = { id: JOB, status: 'running', progress: 80, phase: 'finalise' } as unknown as JobView;
    queryClient.setQueryData(jobKeys.detail(JOB), job);
    latest().open();
    latest().receive({ type: 'joined', project_id: PROJECT });
    expect(queryClient.getQueryState(jobKeys.detail(JOB))?.isInvalidated).toBe(false);

    latest().drop(1006);
    expect(screen.getByText('offline')).toBeTruthy();
    act(() => {
      vi.advanceTimersByTime(3000);
    });
    expect(FakeSocket.all).toHaveLength(2);
    latest().open();
    latest().receive({ type: 'joined', project_id: PROJECT });
    expect(queryClient.getQueryState(jobKeys.detail(JOB))?.isInvalidated).toBe(true);
  });

  it('on left_project for the open project says why and goes to the projects list', async () => {
    const { queryClient, router } = renderLive();
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    latest().open();
    latest().receive({ type: 'joined', project_id: PROJECT });
    latest().receive({ type: 'left_project', project_id: PROJECT, reason: 'membership_revoked' });
    await act(() => vi.runAllTimersAsync());
    expect(router.state.location.pathname).toBe('/projects');
    expect(titles()).toContain('Project closed');
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['projects'] });
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('ignores left_project for another project', () => {
    const { router } = renderLive();
    latest().open();
    latest().receive({ type: 'left_project', project_id: OTHER, reason: 'project_deleted' });
    expect(router.state.location.pathname).toBe(`/projects/${PROJECT}/jobs`);
    expect(titles()).toEqual([]);
  });

  it('on close 4403 stops reconnecting and signs the person out with a message', () => {
    const { queryClient } = renderLive();
    queryClient.setQueryData(meQueryKey, { id: 'me' });
    latest().open();
    latest().drop(4403);
    act(() => {
      vi.advanceTimersByTime(30_000);
    });
    expect(FakeSocket.all).toHaveLength(1);
    expect(queryClient.getQueryData(meQueryKey)).toBeNull();
    expect(titles()).toContain('Signed out');
  });

  it('keeps reconnecting after an ordinary drop', () => {
    renderLive();
    latest().open();
    latest().drop(1006);
    act(() => {
      vi.advanceTimersByTime(3000);
    });
    expect(FakeSocket.all).toHaveLength(2);
  });
});
