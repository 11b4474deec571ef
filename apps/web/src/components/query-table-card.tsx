import { Paper, Skeleton, Stack } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorState } from './error-state';
import { TableScroll } from './table-scroll';

interface QueryTableCardProps<T> {
  query: UseQueryResult<T[]>;
  /** What is loading, for screen readers ("Loading API keys"). */
  loadingLabel: string;
  /** Below this width the table scrolls sideways instead of squeezing its columns. */
  minWidth: number;
  /** Shown instead of an empty table. */
  empty?: ReactNode;
  /** The table for the loaded rows. */
  children: (rows: T[]) => ReactNode;
}

/** A card holding one query's table, with its loading, failed and empty states. */
export function QueryTableCard<T>({
  query,
  loadingLabel,
  minWidth,
  empty,
  children,
}: QueryTableCardProps<T>) {
  return (
    <Paper className="recon-table-card">
      {query.isPending ? (
        <Stack p="md" gap="sm" aria-label={loadingLabel}>
          <Skeleton h={28} />
          <Skeleton h={28} />
        </Stack>
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.length === 0 && empty !== undefined ? (
        empty
      ) : (
        <TableScroll minWidth={minWidth}>{children(query.data)}</TableScroll>
      )}
    </Paper>
  );
}
