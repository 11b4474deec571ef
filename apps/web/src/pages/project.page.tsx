import { Anchor, Breadcrumbs, Group, Skeleton, Tabs, Text } from '@mantine/core';
import type { ProjectView } from '@recon/shared';
import { Database, ListChecks, Settings, Users, Workflow } from 'lucide-react';
import { useMemo } from 'react';
import { Link, Outlet, useLocation, useNavigate, useOutletContext, useParams } from 'react-router';
import { ErrorState } from '../components/error-state';
import { ProjectLiveContext, useProjectLiveConnection } from '../features/jobs/project-live';
import { ProjectRoleBadge, StatusBadge } from '../components/labels';
import { PageHeader } from '../components/page-header';
import { useProject } from '../queries/projects.queries';

/** What a project's tabs receive from the project frame. */
export interface ProjectContext {
  project: ProjectView;
}

/** The project a tab is rendered in. */
export function useProjectContext(): ProjectContext {
  return useOutletContext<ProjectContext>();
}

/**
 * A project's frame: name, status, the caller's role, and the tabs. It holds the project's live connection
 * for every tab, so losing access (`left_project`) anywhere in the project says why, forgets the project's
 * cached data and goes to the projects list.
 */
export function ProjectPage() {
  const { projectId = '' } = useParams();
  const project = useProject(projectId);
  const isLive = useProjectLiveConnection(projectId === '' ? null : projectId);
  const live = useMemo(() => ({ projectId, isLive }), [projectId, isLive]);
  const location = useLocation();
  const navigate = useNavigate();
  // The first path segment below the project picks the tab, so nested screens keep their tab lit.
  const tab = location.pathname.split('/')[3] ?? 'jobs';

  const crumbs = (
    <Breadcrumbs separator="/" fz="sm">
      <Anchor component={Link} to="/projects" size="sm" c="dimmed">
        Projects
      </Anchor>
      <Text size="sm" c="dimmed" truncate maw={280}>
        {project.data?.name ?? '…'}
      </Text>
    </Breadcrumbs>
  );

  if (project.isPending) {
    return (
      <>
        {crumbs}
        <Skeleton h={32} w={280} mt="sm" mb="lg" />
        <Skeleton h={200} />
      </>
    );
  }
  if (project.isError) {
    return <ErrorState error={project.error} onRetry={() => void project.refetch()} />;
  }

  const context: ProjectContext = { project: project.data };
  return (
    <>
      <PageHeader
        eyebrow={crumbs}
        title={
          <Group gap="sm" component="span">
            <span>{project.data.name}</span>
            <StatusBadge status={project.data.status} />
          </Group>
        }
        description={project.data.description || undefined}
        actions={
          <Group gap={6}>
            <Text size="sm" c="dimmed">
              Your role
            </Text>
            <ProjectRoleBadge role={project.data.my_role} />
          </Group>
        }
      />
      <Tabs value={tab} onChange={(value) => void navigate(value ?? 'jobs')} mb="lg" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="jobs" leftSection={<ListChecks size={16} aria-hidden />}>
            Jobs
          </Tabs.Tab>
          <Tabs.Tab value="data-sources" leftSection={<Database size={16} aria-hidden />}>
            Data sources
          </Tabs.Tab>
          <Tabs.Tab value="rules" leftSection={<Workflow size={16} aria-hidden />}>
            Rules
          </Tabs.Tab>
          <Tabs.Tab value="members" leftSection={<Users size={16} aria-hidden />}>
            Members
          </Tabs.Tab>
          <Tabs.Tab value="settings" leftSection={<Settings size={16} aria-hidden />}>
            Settings
          </Tabs.Tab>
        </Tabs.List>
      </Tabs>
      <ProjectLiveContext value={live}>
        <Outlet context={context} />
      </ProjectLiveContext>
    </>
  );
}
