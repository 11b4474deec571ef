import { Stack } from '@mantine/core';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { ErrorState } from '../../components/error-state';
import { ExceptionBulkBar } from './bulk-bar';
import type { BulkAction } from './bulk-review';
import { UnmatchedFilterBar } from './grid-filter-bar';
import { hasFilters, unmatchedFilterFrom } from './grid-filters';
import { EXCEPTION_COLUMNS } from './result-columns';
import { ReviewTable, useReviewGrid } from './review-grid';
import type { ExceptionView } from './results.queries';
import { useUnmatched } from './results.queries';

type Change =
  | { type: 'status'; status: 'open' | 'investigating' | 'resolved' }
  | { type: 'assign'; assignee_id: string | null }
  | { type: 'write_off'; code: string; reason: string };

const keyOf = (exception: ExceptionView) => `${exception.side}:${String(exception.row)}`;
const plural = (count: number) => `${count.toLocaleString()} ${count === 1 ? 'record' : 'records'}`;
const DONE: Record<Change['type'], string> = {
  status: 'Updated',
  assign: 'Assigned',
  write_off: 'Wrote off',
};

interface UnmatchedGridProps {
  jobId: string;
  projectId: string;
  side: 'left' | 'right';
  canReview: boolean;
  onOpen: (exception: ExceptionView) => void;
}

/** One side's records without a match: filters, sort, selection and bulk status, assignment and write-off. */
export function UnmatchedGrid({ jobId, projectId, side, canReview, onOpen }: UnmatchedGridProps) {
  const [params] = useSearchParams();
  const filter = useMemo(() => unmatchedFilterFrom(params), [params]);
  const query = useUnmatched(jobId, side, filter);
  const review = useReviewGrid({
    jobId,
    query,
    keyOf,
    versionOf: (exception) => exception.version,
    describe: (key) => key.replace(':', ' row '),
    plural,
    name: (exception) => `Row ${String(exception.row)}`,
    onOpen,
    onReviewKey: () => {
      review.grid.announce('Confirm, reject and unmatch act on matches; use the bar above the grid here.');
    },
  });
  const { grid, rows } = review;

  const apply = async (change: Change) => {
    const byKey = new Map(rows.map((exception) => [keyOf(exception), exception]));
    const actions = review.targets().flatMap((key): BulkAction[] => {
      const exception = byKey.get(key);
      if (exception === undefined) return [];
      return [{ ...change, side: exception.side, row: exception.row, version: exception.version }];
    });
    if (actions.length === 0) return;
    review.report(await review.bulk.run(actions), DONE[change.type]);
  };

  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <Stack gap="sm">
      <UnmatchedFilterBar filter={filter} />
      {canReview && (
        <ExceptionBulkBar
          projectId={projectId}
          count={grid.state.selected.size}
          progress={review.bulk.progress}
          problems={review.bulk.problems}
          onDismiss={review.bulk.dismiss}
          onClear={grid.clear}
          onStatus={(status) => void apply({ type: 'status', status })}
          onAssign={(assigneeId) => void apply({ type: 'assign', assignee_id: assigneeId })}
          onWriteOff={(code, reason) => void apply({ type: 'write_off', code, reason })}
        />
      )}
      <ReviewTable
        review={review}
        query={query}
        label={`Unmatched ${side}`}
        columns={EXCEPTION_COLUMNS}
        getKey={keyOf}
        onOpen={onOpen}
        emptyText={hasFilters(params) ? 'No record fits these filters.' : 'Nothing here.'}
        canReview={canReview}
        describeKey={(key) => `row ${key.split(':')[1] ?? ''}`}
      />
    </Stack>
  );
}
