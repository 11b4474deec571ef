import { Anchor, Button, EmptyState, Group, Paper, Skeleton, Stack, Table, Text } from '@mantine/core';
import { hasProjectRole } from '@recon/shared';
import { ListChecks, Plus } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorState } from '../../components/error-state';
import { formatDateTime } from '../../components/format';
import { TableScroll } from '../../components/table-scroll';
import { useProjectContext } from '../../pages/project.page';
import { useDataSources } from '../data-sources/data-sources.queries';
import { CreateJobModal } from './create-job.modal';
import { JobActions } from './job-actions';
import { JobProgress, JobStatusBadge, LiveIndicator } from './job-progress';
import { useJobs } from './jobs.queries';
import { useProjectLive } from './project-live';

/** A project's reconciliation jobs with live progress, and the way to create one. */
export function JobsPage() {
  const { project } = useProjectContext();
  const isLive = useProjectLive(project.id);
  const jobs = useJobs(project.id, isLive);
  const sources = useDataSources(project.id);
  const [isCreating, setCreating] = useState(false);
  const canManage = hasProjectRole(project.my_role, 'manager');
  const nameOf = (id: string) => sources.data?.find((source) => source.id === id)?.name ?? '…';

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <LiveIndicator isLive={isLive} />
        {canManage && (
          <Button
            leftSection={<Plus size={16} aria-hidden />}
            onClick={() => {
              setCreating(true);
            }}
          >
            New job
          </Button>
        )}
      </Group>
      <Paper className="recon-table-card">
        {jobs.isPending ? (
          <Stack p="md" gap="sm" aria-label="Loading jobs">
            <Skeleton h={28} />
            <Skeleton h={28} />
          </Stack>
        ) : jobs.isError ? (
          <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} />
        ) : jobs.data.length === 0 ? (
          <EmptyState
            py="xl"
            icon={<ListChecks size={22} aria-hidden />}
            title="No jobs yet"
            description="A job matches one file against another with a set of rules. Upload both sides under Data sources, then create a job."
          />
        ) : (
          <TableScroll minWidth={900}>
            <Table className="recon-table" aria-label="Jobs" verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Job</Table.Th>
                  <Table.Th>Left ↔ right</Table.Th>
                  <Table.Th w={280}>Status</Table.Th>
                  <Table.Th className="num">Run</Table.Th>
                  <Table.Th className="num">Finished</Table.Th>
                  {canManage && <Table.Th aria-label="Actions" />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {jobs.data.map((job) => (
                  <Table.Tr key={job.id}>
                    <Table.Td>
                      <Anchor component={Link} to={job.id} fw={500} size="sm">
                        {job.name}
                      </Anchor>
                      {job.description && (
                        <Text size="xs" c="dimmed" lineClamp={1}>
                          {job.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{nameOf(job.source_data_source_id)}</Text>
                      <Text size="sm" c="dimmed">
                        ↔ {nameOf(job.target_data_source_id)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={6}>
                        <JobStatusBadge status={job.status} />
                        <JobProgress job={job} />
                        {job.failure && (
                          <Text size="xs" c="red.7">
                            {job.failure.message}
                          </Text>
                        )}
                      </Stack>
                    </Table.Td>
                    <Table.Td className="num">{job.run_no}</Table.Td>
                    <Table.Td className="num">{formatDateTime(job.finished_at)}</Table.Td>
                    {canManage && (
                      <Table.Td>
                        <JobActions job={job} />
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </TableScroll>
        )}
      </Paper>
      <CreateJobModal
        projectId={project.id}
        opened={isCreating}
        onClose={() => {
          setCreating(false);
        }}
      />
    </Stack>
  );
}
