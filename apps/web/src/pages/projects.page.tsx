import {
  Anchor,
  Button,
  EmptyState,
  Paper,
  SegmentedControl,
  Skeleton,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { FolderKanban, Plus } from 'lucide-react';
import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router';
import { TableScroll } from '../components/table-scroll';
import { ErrorState } from '../components/error-state';
import { formatDate } from '../components/format';
import { ProjectRoleBadge, StatusBadge } from '../components/labels';
import { PageHeader } from '../components/page-header';
import type { ProjectStatusFilter } from '../queries/projects.queries';
import { useProjects } from '../queries/projects.queries';

// The create form brings the shared schemas (zod) with it; load it when someone opens it, not with the list.
const CreateProjectModal = lazy(async () => ({
  default: (await import('./create-project.modal')).CreateProjectModal,
}));

function LoadingRows() {
  return (
    <Stack p="md" gap="sm" aria-label="Loading projects">
      {[0, 1, 2].map((i) => (
        <Skeleton key={i} h={28} />
      ))}
    </Stack>
  );
}

/** Every project the person belongs to, with a way to start a new one. */
export function ProjectsPage() {
  const [status, setStatus] = useState<ProjectStatusFilter>('active');
  const projects = useProjects(status);
  const [creating, { open, close }] = useDisclosure(false);

  const newButton = (
    <Button leftSection={<Plus size={16} aria-hidden />} onClick={open}>
      New project
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Projects"
        description="A project holds the data sources, matching rules and reconciliation jobs for one set of accounts."
        actions={newButton}
      />
      <SegmentedControl
        mb="md"
        size="xs"
        value={status}
        onChange={(value) => {
          setStatus(value === 'archived' || value === 'all' ? value : 'active');
        }}
        data={[
          { value: 'active', label: 'Active' },
          { value: 'archived', label: 'Archived' },
          { value: 'all', label: 'All' },
        ]}
        aria-label="Filter projects by status"
      />
      <Paper className="recon-table-card">
        {projects.isPending ? (
          <LoadingRows />
        ) : projects.isError ? (
          <ErrorState error={projects.error} onRetry={() => void projects.refetch()} />
        ) : projects.data.length === 0 ? (
          <EmptyState
            py={48}
            withIndicatorBackground
            icon={<FolderKanban size={22} aria-hidden />}
            title={status === 'archived' ? 'No archived projects' : 'No projects yet'}
            description={
              status === 'archived'
                ? 'Projects you archive appear here, read-only, until you restore them.'
                : 'Create a project for each reconciliation you run, for example “Bank vs ledger — EUR”.'
            }
          >
            {status !== 'archived' && <EmptyState.Actions>{newButton}</EmptyState.Actions>}
          </EmptyState>
        ) : (
          <TableScroll minWidth={640}>
            <Table className="recon-table" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Project</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Your role</Table.Th>
                  <Table.Th className="num">Created</Table.Th>
                  <Table.Th className="num">Updated</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {projects.data.map((project) => (
                  <Table.Tr key={project.id}>
                    <Table.Td>
                      <Anchor
                        component={Link}
                        to={`/projects/${project.id}`}
                        fw={600}
                        c="var(--mantine-color-text)"
                      >
                        {project.name}
                      </Anchor>
                      {project.description && (
                        <Text size="xs" c="dimmed" lineClamp={1} maw={420}>
                          {project.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={project.status} />
                    </Table.Td>
                    <Table.Td>
                      <ProjectRoleBadge role={project.my_role} />
                    </Table.Td>
                    <Table.Td className="num">
                      <Text size="sm">{formatDate(project.created_at)}</Text>
                    </Table.Td>
                    <Table.Td className="num">
                      <Text size="sm" c="dimmed">
                        {formatDate(project.updated_at)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </TableScroll>
        )}
      </Paper>
      {creating && (
        <Suspense fallback={null}>
          <CreateProjectModal opened={creating} onClose={close} />
        </Suspense>
      )}
    </>
  );
}
