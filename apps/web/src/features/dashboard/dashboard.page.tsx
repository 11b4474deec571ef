import { Paper, SimpleGrid, Skeleton, Stack, Table, Text } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { ErrorState } from '../../components/error-state';
import { formatDateTime } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { TableScroll } from '../../components/table-scroll';
import { DASHBOARD_REFRESH_MS, useDashboard, useReconciliationAnalytics } from './dashboard.queries';
import { OutcomeStats, Stat } from './dashboard-stats';

const formatTime = (at: number) =>
  new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

const DashboardCharts = lazy(() => import('./dashboard-charts'));

/** The landing overview: totals, outcomes, charts and what people did last. */
export function DashboardPage() {
  const dashboard = useDashboard();
  const reconciliation = useReconciliationAnalytics();
  return (
    <>
      <PageHeader
        title="Dashboard"
        description={
          dashboard.isSuccess
            ? `Reconciliation across every project you belong to. Updated ${formatTime(dashboard.dataUpdatedAt)}; refreshes every ${String(DASHBOARD_REFRESH_MS / 1000)} s.`
            : 'Reconciliation across every project you belong to.'
        }
      />
      {dashboard.isPending ? (
        <Stack aria-label="Loading dashboard">
          <Skeleton h={96} />
          <Skeleton h={240} />
        </Stack>
      ) : dashboard.isError ? (
        <ErrorState error={dashboard.error} onRetry={() => void dashboard.refetch()} />
      ) : (
        <Stack gap="md">
          <OutcomeStats outcomes={dashboard.data.outcomes} />
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Stat label="Projects" value={dashboard.data.totals.projects.toLocaleString()} />
            <Stat label="Jobs" value={dashboard.data.totals.jobs.toLocaleString()} />
            <Stat label="Data sources" value={dashboard.data.totals.data_sources.toLocaleString()} />
            <Stat label="Users" value={dashboard.data.totals.users.toLocaleString()} />
          </SimpleGrid>
          <Suspense fallback={<Skeleton h={270} />}>
            <DashboardCharts
              dashboard={dashboard.data}
              ageing={reconciliation.isError ? null : reconciliation.data?.exception_ageing}
              onRetryAgeing={() => void reconciliation.refetch()}
            />
          </Suspense>
          <Paper className="recon-table-card">
            <Text fw={600} size="sm" p="md" pb={0}>
              Recent activity
            </Text>
            {dashboard.data.recent_activity.length === 0 ? (
              <Text size="sm" c="dimmed" p="md">
                Nothing has happened yet.
              </Text>
            ) : (
              <TableScroll minWidth={600}>
                <Table className="recon-table" aria-label="Recent activity" verticalSpacing="xs">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>When</Table.Th>
                      <Table.Th>Who</Table.Th>
                      <Table.Th>What</Table.Th>
                      <Table.Th>On</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {dashboard.data.recent_activity.slice(0, 12).map((entry, index) => (
                      <Table.Tr key={`${entry.at}-${String(index)}`}>
                        <Table.Td>{formatDateTime(entry.at)}</Table.Td>
                        <Table.Td>{entry.actor}</Table.Td>
                        <Table.Td>{entry.action.replaceAll('_', ' ').replaceAll('.', ' · ')}</Table.Td>
                        <Table.Td>{entry.target_type.replaceAll('_', ' ')}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </TableScroll>
            )}
          </Paper>
        </Stack>
      )}
    </>
  );
}
