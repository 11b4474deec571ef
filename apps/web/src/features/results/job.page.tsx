import { Anchor, Button, Group, Menu, Paper, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import type { MatchView } from '@recon/shared';
import { hasProjectRole } from '@recon/shared';
import { ArrowLeft, Download } from 'lucide-react';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ErrorState } from '../../components/error-state';
import { formatDateTime } from '../../components/format';
import { useProjectContext } from '../../pages/project.page';
import { JobActions } from '../jobs/job-actions';
import { JobProgress, JobStatusBadge, LiveIndicator } from '../jobs/job-progress';
import { useJob } from '../jobs/jobs.queries';
import { useProjectLive, useViewingJob } from '../jobs/project-live';
import { ExceptionDrawer } from './exception-drawer';
import { ManualMatchPanel } from './manual-match.panel';
import { MatchDrawer } from './match-drawer';
import type { ResultTab } from './grid-filters';
import { tabFrom, withTab } from './grid-filters';
import { JobViewers } from './job-viewers';
import { MatchesGrid } from './matches-grid';
import { DiscrepanciesGrid } from './result-grids';
import { UnmatchedGrid } from './unmatched-grid';
import { ResultSummaryCards } from './result-summary';
import { StaleInputsNotice } from './stale-inputs';
import type { ExceptionView } from './results.queries';
import { exportUrl, useResultSummary } from './results.queries';
import './results.css';

function ExportMenu({ jobId }: { jobId: string }) {
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button variant="default" leftSection={<Download size={16} aria-hidden />}>
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item component="a" href={exportUrl(jobId, 'csv', 'all')} download>
          Everything (CSV)
        </Menu.Item>
        <Menu.Item component="a" href={exportUrl(jobId, 'csv', 'matches')} download>
          Matches (CSV)
        </Menu.Item>
        <Menu.Item component="a" href={exportUrl(jobId, 'csv', 'unmatched')} download>
          Unmatched (CSV)
        </Menu.Item>
        <Menu.Item component="a" href={exportUrl(jobId, 'json', 'all')} download>
          Everything (JSON)
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** One job: live progress while it runs, then its results to review. */
export function JobPage() {
  const { project } = useProjectContext();
  const { jobId = '' } = useParams();
  const navigate = useNavigate();
  const isLive = useProjectLive(project.id);
  useViewingJob(project.id, jobId);
  const job = useJob(jobId, isLive);
  const summary = useResultSummary(jobId, job.data?.status === 'completed');
  // The tab and its filters live in the address: shareable, and the back button undoes a change.
  const [params, setParams] = useSearchParams();
  const tab = tabFrom(params);
  const [open, setOpen] = useState<MatchView | null>(null);
  const [openException, setOpenException] = useState<ExceptionView | null>(null);

  if (job.isPending) return <Skeleton h={240} />;
  if (job.isError) return <ErrorState error={job.error} onRetry={() => void job.refetch()} />;
  const view = job.data;
  const count = (key: string) => (summary.data ? (summary.data.by_status[key]?.count ?? 0) : undefined);
  const canReview = hasProjectRole(project.my_role, 'analyst');
  const passes = summary.data?.passes.map((pass) => pass.name) ?? [];
  const label = (text: string, value: number | undefined) =>
    value === undefined ? text : `${text} (${value.toLocaleString()})`;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Anchor component={Link} to=".." relative="path" size="sm" c="dimmed">
            <Group gap={4} component="span">
              <ArrowLeft size={14} aria-hidden /> All jobs
            </Group>
          </Anchor>
          <Group gap="sm">
            <Title order={2} fz={20}>
              {view.name}
            </Title>
            <JobStatusBadge status={view.status} />
            <LiveIndicator isLive={isLive} />
            <JobViewers projectId={project.id} jobId={view.id} />
          </Group>
          <Text size="xs" c="dimmed">
            Run {view.run_no} · started {formatDateTime(view.started_at)} · finished{' '}
            {formatDateTime(view.finished_at)}
          </Text>
        </Stack>
        <Group gap="sm">
          {view.status === 'completed' && <ExportMenu jobId={view.id} />}
          {hasProjectRole(project.my_role, 'manager') && (
            <JobActions job={view} onDeleted={() => void navigate('..', { relative: 'path' })} />
          )}
        </Group>
      </Group>
      {(view.status === 'running' || view.status === 'queued') && (
        <Paper p="lg">
          <Text fw={600} mb="sm">
            Reconciling…
          </Text>
          <JobProgress job={view} />
        </Paper>
      )}
      {view.failure && (
        <Paper p="lg">
          <Text c="red.7" fw={600}>
            The job failed
          </Text>
          <Text size="sm">{view.failure.message}</Text>
        </Paper>
      )}
      <StaleInputsNotice job={view} />
      {view.status === 'completed' &&
        (summary.isPending ? (
          <Skeleton h={180} />
        ) : summary.isError ? (
          <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />
        ) : (
          <>
            <ResultSummaryCards summary={summary.data} />
            <Paper p="md">
              <Tabs
                value={tab}
                onChange={(value) => {
                  setParams((current) => withTab(current, (value ?? 'suggested') as ResultTab));
                }}
                keepMounted={false}
              >
                <Tabs.List mb="sm">
                  <Tabs.Tab value="suggested">{label('To review', count('suggested'))}</Tabs.Tab>
                  <Tabs.Tab value="matched">{label('Matched', count('confirmed'))}</Tabs.Tab>
                  <Tabs.Tab value="left">
                    {label('Unmatched left', summary.data.left.unmatched.count)}
                  </Tabs.Tab>
                  <Tabs.Tab value="right">
                    {label('Unmatched right', summary.data.right.unmatched.count)}
                  </Tabs.Tab>
                  <Tabs.Tab value="manual">Match by hand</Tabs.Tab>
                  <Tabs.Tab value="discrepancies">
                    {label('Discrepancies', summary.data.discrepancies)}
                  </Tabs.Tab>
                </Tabs.List>
                <Tabs.Panel value="suggested">
                  <MatchesGrid
                    jobId={view.id}
                    status="suggested"
                    passes={passes}
                    canReview={canReview}
                    onOpen={setOpen}
                  />
                </Tabs.Panel>
                <Tabs.Panel value="matched">
                  <MatchesGrid
                    jobId={view.id}
                    status="confirmed"
                    passes={passes}
                    canReview={canReview}
                    onOpen={setOpen}
                  />
                </Tabs.Panel>
                <Tabs.Panel value="left">
                  <UnmatchedGrid
                    jobId={view.id}
                    projectId={project.id}
                    side="left"
                    canReview={canReview}
                    onOpen={setOpenException}
                  />
                </Tabs.Panel>
                <Tabs.Panel value="right">
                  <UnmatchedGrid
                    jobId={view.id}
                    projectId={project.id}
                    side="right"
                    canReview={canReview}
                    onOpen={setOpenException}
                  />
                </Tabs.Panel>
                <Tabs.Panel value="manual">
                  <ManualMatchPanel jobId={view.id} canReview={hasProjectRole(project.my_role, 'analyst')} />
                </Tabs.Panel>
                <Tabs.Panel value="discrepancies">
                  <DiscrepanciesGrid jobId={view.id} />
                </Tabs.Panel>
              </Tabs>
            </Paper>
          </>
        ))}
      <MatchDrawer
        jobId={view.id}
        match={open}
        onClose={() => {
          setOpen(null);
        }}
        canReview={hasProjectRole(project.my_role, 'analyst')}
      />
      <ExceptionDrawer
        projectId={project.id}
        jobId={view.id}
        exception={openException}
        onClose={() => {
          setOpenException(null);
        }}
        canReview={hasProjectRole(project.my_role, 'analyst')}
      />
    </Stack>
  );
}
