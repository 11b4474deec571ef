import { Stack } from '@mantine/core';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { ErrorState } from '../../components/error-state';
import { DiscrepancyFilterBar } from './grid-filter-bar';
import { discrepancyFilterFrom } from './grid-filters';
import { DISCREPANCY_COLUMNS } from './result-columns';
import { useDiscrepancies } from './results.queries';
import { VirtualTable } from './virtual-table';

/** Differences inside accepted matches. */
export function DiscrepanciesGrid({ jobId }: { jobId: string }) {
  const [params] = useSearchParams();
  const filter = useMemo(() => discrepancyFilterFrom(params), [params]);
  const query = useDiscrepancies(jobId, filter);
  const { fetchNextPage } = query;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const rows = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack gap="sm">
      <DiscrepancyFilterBar filter={filter} />
      <VirtualTable
        label="Discrepancies"
        rows={rows}
        columns={DISCREPANCY_COLUMNS}
        getKey={(d) => `${d.match_id}:${d.field}`}
        hasMore={query.isPending || query.hasNextPage}
        isFetchingMore={query.isFetching}
        onLoadMore={loadMore}
      />
    </Stack>
  );
}
