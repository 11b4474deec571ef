import { useCallback, useMemo, useState } from 'react';
import { GridStatus } from './grid-announcer';
import type { GridCommand } from './grid-keys';
import type { BulkRun } from './use-bulk-review';
import { actionTargets } from './grid-selection';
import { ShortcutHelp } from './shortcut-help';
import { useBulkReview } from './use-bulk-review';
import { useGridSelection, useGridShortcuts } from './use-grid-controls';
import type { Column } from './virtual-table';
import { VirtualTable } from './virtual-table';

interface Pages<Row> {
  pages: { items: Row[] }[];
}

/** What a review grid needs of its keyset query (the matches and the unmatched queries both fit). */
export interface PagedQuery<Row> {
  data: Pages<Row> | undefined;
  fetchNextPage: () => Promise<unknown>;
  refetch: () => Promise<{ data?: Pages<Row> | undefined }>;
  isPending: boolean;
  hasNextPage: boolean;
  isFetching: boolean;
}

interface ReviewGridOptions<Row> {
  jobId: string;
  query: PagedQuery<Row>;
  keyOf: (row: Row) => string;
  versionOf: (row: Row) => number;
  /** How people know a row in bulk problems: "match 12", "left row 7". */
  describe: (key: string) => string;
  /** "1 match", "3 records". */
  plural: (count: number) => string;
  /** How the toggle announcement names a row: "Match 12", "Row 7". */
  name: (row: Row) => string;
  onOpen: (row: Row) => void;
  /** The review shortcuts (c, r, u): each grid decides what they mean for its rows. */
  onReviewKey: (command: 'confirm' | 'reject' | 'unmatch') => void;
}

const allPages = <Row,>(data: Pages<Row> | undefined) => data?.pages.flatMap((page) => page.items) ?? [];

/**
 * The rows, selection, keyboard navigation and bulk runner that the matches and unmatched grids share;
 * only what their review actions do differs.
 */
export function useReviewGrid<Row>(options: ReviewGridOptions<Row>) {
  const { query, keyOf, plural } = options;
  const { fetchNextPage, refetch } = query;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const rows = useMemo(() => allPages(query.data), [query.data]);
  const keys = useMemo(() => rows.map(keyOf), [rows, keyOf]);
  const grid = useGridSelection(keys);
  const [isHelpOpen, setHelpOpen] = useState(false);
  const bulk = useBulkReview(options.jobId, {
    refetch: async () => allPages((await refetch()).data),
    keyOf,
    versionOf: options.versionOf,
    describe: options.describe,
  });

  /** The selected rows, or the focused one when none is selected. */
  const targets = () => actionTargets(grid.state, keys);

  /** Keeps what failed selected and says what happened. */
  const report = (result: BulkRun, done: string) => {
    grid.keep(result.failed);
    const failed = result.failed.length > 0 ? `; ${plural(result.failed.length)} not changed` : '';
    grid.announce(`${done} ${plural(result.applied.length)}${failed}.`);
  };

  const onCommand = (command: GridCommand) => {
    const focused = rows[grid.state.focus];
    switch (command) {
      case 'down':
        grid.move(1);
        return;
      case 'up':
        grid.move(-1);
        return;
      case 'open':
        if (focused) options.onOpen(focused);
        return;
      case 'toggle':
        if (!focused) return;
        grid.toggle(grid.state.focus, false);
        grid.announce(
          `${options.name(focused)} ${grid.state.selected.has(keyOf(focused)) ? 'unselected' : 'selected'}.`,
        );
        return;
      case 'select_all':
        grid.toggleEvery();
        grid.announce(
          keys.every((key) => grid.state.selected.has(key))
            ? 'Selection cleared.'
            : `${plural(keys.length)} selected.`,
        );
        return;
      case 'confirm':
      case 'reject':
      case 'unmatch':
        options.onReviewKey(command);
        return;
      case 'escape':
        grid.clear();
        grid.announce('Selection cleared.');
        return;
      case 'help':
        setHelpOpen(true);
        return;
    }
  };
  useGridShortcuts(!bulk.isRunning, onCommand);

  return { rows, keys, grid, bulk, loadMore, isHelpOpen, setHelpOpen, targets, report };
}

export type ReviewGrid<Row> = ReturnType<typeof useReviewGrid<Row>>;

interface ReviewTableProps<Row> {
  review: ReviewGrid<Row>;
  query: PagedQuery<Row>;
  label: string;
  columns: Column<Row>[];
  getKey: (row: Row) => string;
  onOpen: (row: Row) => void;
  emptyText: string;
  /** Viewers get no checkboxes. */
  canReview: boolean;
  /** How a row's checkbox is named to screen readers ("match 12"). */
  describeKey: (key: string) => string;
}

/** The announcement line, the virtual grid with its checkboxes, and the shortcut help of a review grid. */
export function ReviewTable<Row>({ review, query, canReview, describeKey, ...table }: ReviewTableProps<Row>) {
  const { grid, keys } = review;
  return (
    <>
      <GridStatus
        announcement={grid.announcement}
        onHelp={() => {
          review.setHelpOpen(true);
        }}
      />
      <VirtualTable
        label={table.label}
        rows={review.rows}
        columns={table.columns}
        getKey={table.getKey}
        onRowClick={table.onOpen}
        hasMore={query.isPending || query.hasNextPage}
        isFetchingMore={query.isFetching}
        onLoadMore={review.loadMore}
        focusIndex={grid.state.focus}
        onFocusRow={grid.focusRow}
        emptyText={table.emptyText}
        {...(canReview
          ? {
              selection: {
                selected: grid.state.selected,
                onToggle: grid.toggle,
                onToggleAll: grid.toggleEvery,
                describe: (index: number) => describeKey(keys[index] ?? ''),
              },
            }
          : {})}
      />
      <ShortcutHelp
        opened={review.isHelpOpen}
        onClose={() => {
          review.setHelpOpen(false);
        }}
      />
    </>
  );
}
