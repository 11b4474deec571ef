import { createBrowserRouter, Navigate } from 'react-router';
import { RequireAuth, RequireAdmin } from '../auth/require-auth';
import { RouteError } from '../components/route-error';

// Each page is its own chunk: the first visit downloads the shell and the page it lands on, nothing more.
/** The app's routes. Screens whose API does not exist yet are deliberately absent. */
export const router = createBrowserRouter([
  {
    path: '/sign-in',
    lazy: async () => ({ Component: (await import('../pages/sign-in.page')).SignInPage }),
    errorElement: <RouteError />,
  },
  {
    path: '/',
    element: <RequireAuth />,
    errorElement: <RouteError />,
    children: [
      {
        lazy: async () => ({ Component: (await import('../layout/app-layout')).AppLayout }),
        children: [
          { index: true, element: <Navigate to="/dashboard" replace /> },
          {
            path: 'dashboard',
            lazy: async () => ({
              Component: (await import('../features/dashboard/dashboard.page')).DashboardPage,
            }),
          },
          {
            path: 'projects',
            lazy: async () => ({ Component: (await import('../pages/projects.page')).ProjectsPage }),
          },
          {
            path: 'projects/:projectId',
            lazy: async () => ({ Component: (await import('../pages/project.page')).ProjectPage }),
            children: [
              { index: true, element: <Navigate to="jobs" replace /> },
              {
                path: 'data-sources',
                lazy: async () => ({
                  Component: (await import('../features/data-sources/data-sources.page')).DataSourcesPage,
                }),
              },
              {
                path: 'data-sources/:dataSourceId',
                lazy: async () => ({
                  Component: (await import('../features/data-sources/data-source.page')).DataSourcePage,
                }),
              },
              {
                path: 'jobs',
                lazy: async () => ({ Component: (await import('../features/jobs/jobs.page')).JobsPage }),
              },
              {
                path: 'jobs/:jobId',
                lazy: async () => ({ Component: (await import('../features/results/job.page')).JobPage }),
              },
              {
                path: 'rules',
                lazy: async () => ({ Component: (await import('../features/rules/rules.page')).RulesPage }),
              },
              {
                path: 'members',
                lazy: async () => ({
                  Component: (await import('../pages/project-members.page')).ProjectMembersPage,
                }),
              },
              {
                path: 'settings',
                lazy: async () => ({
                  Component: (await import('../pages/project-settings.page')).ProjectSettingsPage,
                }),
              },
            ],
          },
          {
            path: 'profile',
            lazy: async () => ({ Component: (await import('../pages/profile.page')).ProfilePage }),
          },
          {
            path: 'api-keys',
            lazy: async () => ({ Component: (await import('../pages/api-keys.page')).ApiKeysPage }),
          },
          {
            path: 'admin',
            element: <RequireAdmin />,
            children: [
              { index: true, element: <Navigate to="users" replace /> },
              {
                path: 'users',
                lazy: async () => ({ Component: (await import('../pages/admin-users.page')).AdminUsersPage }),
              },
              {
                path: 'system',
                lazy: async () => ({
                  Component: (await import('../features/system/system.page')).SystemPage,
                }),
              },
            ],
          },
          {
            path: '*',
            lazy: async () => ({ Component: (await import('../pages/not-found.page')).NotFoundPage }),
          },
        ],
      },
    ],
  },
]);
