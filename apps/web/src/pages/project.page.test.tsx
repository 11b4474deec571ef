import { MantineProvider } from '@mantine/core';
import { notificationsStore } from '@mantine/notifications';
import type { ProjectView } from '@recon/shared';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { theme } from '../app/theme';
import { useProjectLive } from '../features/jobs/project-live';
import { projectKeys } from '../queries/projects.queries';
import { ProjectPage, useProjectContext } from './project.page';
import { FakeSocket, notificationTitles as titles } from '../features/jobs/live-test-doubles';

const PROJECT = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const JOB = '33333333-3333-4333-8333-333333333333';
const SOURCE = '44444444-4444-4444-8444-444444444444';

const project = (id: string): ProjectView => ({
  id,
  name: `Project ${id.slice(0, 4)}`,
  description: '',
  status: 'active',
  created_by: null,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  my_role: 'viewer',
});

/** A tab of the project: it asks for the live state the way the jobs and results pages do. */
function Tab({ name }: { name: string }) {
  const { project: current } = useProjectContext();
  const isLive = useProjectLive(current.id);
  return (
    <p>
      {name} {isLive ? 'live' : 'not live'}
    </p>
  );
}

function renderProject(tab: string) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Infinity, staleTime: Infinity } },
  });
  queryClient.setQueryData(projectKeys.detail(PROJECT), project(PROJECT));
  queryClient.setQueryData(projectKeys.detail(OTHER), project(OTHER));
  queryClient.setQueryData(['jobs', 'list', PROJECT], { items: [{ id: JOB, project_id: PROJECT }] });
  queryClient.setQueryData(['jobs', 'detail', JOB], { id: JOB, project_id: PROJECT });
  queryClient.setQueryData(['results', JOB, 'summary'], { matched: 1 });
  queryClient.setQueryData(['data-sources', 'list', PROJECT], {
    items: [{ id: SOURCE, project_id: PROJECT }],
  });
  queryClient.setQueryData(['data-sources', 'detail', SOURCE, 'preview'], { rows: [] });
  queryClient.setQueryData(['jobs', 'list', OTHER], { items: [] });
  const tabs = ['data-sources', 'members', 'settings', 'rules', 'jobs'].map((path) => ({
    path,
    element: <Tab name={path} />,
  }));
  const router = createMemoryRouter(
    [
      { path: '/projects/:projectId', element: <ProjectPage />, children: tabs },
      { path: '/projects', element: <h1>Projects list</h1> },
    ],
    { initialEntries: [`/projects/${PROJECT}/${tab}`] },
  );
  render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { queryClient, router };
}

beforeEach(() => {
  FakeSocket.all = [];
  vi.stubGlobal('WebSocket', FakeSocket);
  vi.stubGlobal('fetch', () => Promise.reject(new TypeError('no network in this test')));
  notificationsStore.setState({ notifications: [], queue: [], defaultPosition: 'bottom-right', limit: 5 });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the project frame', () => {
  it('opens one live connection that the tab below it shares', async () => {
    renderProject('jobs');
    expect(await screen.findByText('jobs not live')).toBeTruthy();
    expect(FakeSocket.all).toHaveLength(1);
    const socket = FakeSocket.all[0]!;
    act(() => socket.onopen?.());
    expect(socket.sent).toEqual([{ type: 'join_project', project_id: PROJECT }]);
    socket.receive({ type: 'joined', project_id: PROJECT });
    expect(screen.getByText('jobs live')).toBeTruthy();
    expect(FakeSocket.all).toHaveLength(1);
  });

  it.each(['data-sources', 'members', 'settings', 'rules'])(
    'on left_project while on %s says why, forgets the project and goes to the projects list',
    async (tab) => {
      const { queryClient, router } = renderProject(tab);
      expect(await screen.findByText(`${tab} not live`)).toBeTruthy();
      const socket = FakeSocket.all[0]!;
      act(() => socket.onopen?.());
      socket.receive({ type: 'left_project', project_id: PROJECT, reason: 'membership_revoked' });
      expect(await screen.findByText('Projects list')).toBeTruthy();
      expect(router.state.location.pathname).toBe('/projects');
      expect(titles()).toContain('Project closed');
      for (const key of [
        projectKeys.detail(PROJECT),
        ['jobs', 'list', PROJECT],
        ['jobs', 'detail', JOB],
        ['results', JOB, 'summary'],
        ['data-sources', 'list', PROJECT],
        ['data-sources', 'detail', SOURCE, 'preview'],
      ])
        expect(queryClient.getQueryData(key), JSON.stringify(key)).toBeUndefined();
      // Another project's data is kept.
      expect(queryClient.getQueryData(projectKeys.detail(OTHER))).toEqual(project(OTHER));
      expect(queryClient.getQueryData(['jobs', 'list', OTHER])).toEqual({ items: [] });
    },
  );
});
