import { Stack } from '@mantine/core';
import type { MatchView } from '@recon/shared';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ErrorState } from '../../components/error-state';
import type { BulkAction } from './bulk-review';
import { MatchBulkBar, ReasonModal } from './bulk-bar';
import { MatchFilterBar } from './grid-filter-bar';
import { hasFilters, matchFilterFrom } from './grid-filters';
import { MATCH_COLUMNS } from './result-columns';
import { ReviewTable, useReviewGrid } from './review-grid';
import type { MatchStatusFilter } from './results.queries';
import { useMatches } from './results.queries';

type Decision = 'confirm' | 'reject' | 'unmatch';
const DONE: Record<Decision, string> = { confirm: 'Confirmed', reject: 'Rejected', unmatch: 'Unmatched' };
const plural = (count: number) => `${count.toLocaleString()} ${count === 1 ? 'match' : 'matches'}`;
const keyOf = (match: MatchView) => String(match.match_id);

interface MatchesGridProps {
  jobId: string;
  status: MatchStatusFilter;
  passes: string[];
  canReview: boolean;
  onOpen: (match: MatchView) => void;
}

/**
 * Matches of one status: server-side filters and sort from the address bar, a virtual grid over keyset
 * pages, row selection and keyboard review in bulk.
 */
export function MatchesGrid({ jobId, status, passes, canReview, onOpen }: MatchesGridProps) {
  const [params] = useSearchParams();
  const filter = useMemo(() => matchFilterFrom(params), [params]);
  const query = useMatches(jobId, status, filter);
  const [toUnmatch, setToUnmatch] = useState<string[] | null>(null);
  const canDecide = status === 'suggested';
  const review = useReviewGrid({
    jobId,
    query,
    keyOf,
    versionOf: (match) => match.version,
    describe: (key) => `match ${key}`,
    plural,
    name: (match) => `Match ${keyOf(match)}`,
    onOpen,
    onReviewKey: (command) => {
      if (command === 'unmatch') {
        if (review.targets().length > 0) setToUnmatch(review.targets());
      } else if (!canDecide) {
        review.grid.announce('Only suggested matches can be confirmed or rejected.');
      } else {
        void decide(command, review.targets());
      }
    },
  });
  const { grid, rows } = review;

  const decide = async (decision: Decision, targets: readonly string[], reason?: string) => {
    if (!canReview) {
      grid.announce('You can look at this job but not review it.');
      return;
    }
    const byKey = new Map(rows.map((match) => [keyOf(match), match]));
    const actions = targets.flatMap((key): BulkAction[] => {
      const match = byKey.get(key);
      if (match === undefined) return [];
      const base = { match_id: match.match_id, version: match.version };
      if (decision === 'unmatch') return [{ type: 'unmatch', ...base, reason: reason ?? '' }];
      return [{ type: decision, ...base, ...(reason ? { reason } : {}) }];
    });
    if (actions.length === 0) {
      grid.announce('Select matches first (x), or move to one (j, k).');
      return;
    }
    review.report(await review.bulk.run(actions), DONE[decision]);
  };

  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <Stack gap="sm">
      <MatchFilterBar filter={filter} passes={passes} />
      {canReview && (
        <MatchBulkBar
          count={grid.state.selected.size}
          progress={review.bulk.progress}
          problems={review.bulk.problems}
          onDismiss={review.bulk.dismiss}
          onClear={grid.clear}
          canDecide={canDecide}
          onConfirm={() => void decide('confirm', review.targets())}
          onReject={() => void decide('reject', review.targets())}
          onUnmatch={() => {
            setToUnmatch(review.targets());
          }}
        />
      )}
      <ReviewTable
        review={review}
        query={query}
        label={`${status} matches`}
        columns={MATCH_COLUMNS}
        getKey={keyOf}
        onOpen={onOpen}
        emptyText={hasFilters(params) ? 'No match fits these filters.' : 'Nothing here.'}
        canReview={canReview}
        describeKey={(key) => `match ${key}`}
      />
      <ReasonModal
        opened={toUnmatch !== null}
        title={`Unmatch ${plural(toUnmatch?.length ?? 0)}`}
        action="Unmatch"
        onClose={() => {
          setToUnmatch(null);
        }}
        onSubmit={(reason) => {
          const targets = toUnmatch ?? [];
          setToUnmatch(null);
          void decide('unmatch', targets, reason);
        }}
      />
    </Stack>
  );
}
