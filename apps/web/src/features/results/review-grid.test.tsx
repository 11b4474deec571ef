import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { giveElementsHeight } from './jsdom-layout';
import type { PagedQuery } from './review-grid';
import { ReviewTable, useReviewGrid } from './review-grid';
import type { Column } from './virtual-table';

interface Row {
  side: 'left' | 'right';
  row: number;
  version: number;
}
const ROWS: Row[] = [1, 2, 3].map((row) => ({ side: 'left', row, version: 1 }));
const COLUMNS: Column<Row>[] = [
  { key: 'row', header: 'Row', width: '1fr', render: (row) => `ROW-${String(row.row)}` },
];
const keyOf = (row: Row) => `${row.side}:${String(row.row)}`;
const plural = (count: number) => `${String(count)} ${count === 1 ? 'record' : 'records'}`;

// One loaded page, nothing more to fetch: the shape the keyset queries hand the grid.
const QUERY: PagedQuery<Row> = {
  data: { pages: [{ items: ROWS }] },
  fetchNextPage: () => Promise.resolve(),
  refetch: () => Promise.resolve({ data: { pages: [{ items: ROWS }] } }),
  isPending: false,
  hasNextPage: false,
  isFetching: false,
};

function Harness(props: { onOpen: (row: Row) => void; onReviewKey: (command: string) => void }) {
  const review = useReviewGrid({
    jobId: 'job-1',
    query: QUERY,
    keyOf,
    versionOf: (row) => row.version,
    describe: (key) => key,
    plural,
    name: (row) => `Row ${String(row.row)}`,
    onOpen: props.onOpen,
    onReviewKey: props.onReviewKey,
  });
  return (
    <>
      <button
        type="button"
        onClick={() => {
          review.report({ applied: ['left:1', 'left:2'], failed: ['left:3'] }, 'Updated');
        }}
      >
        Report
      </button>
      <ReviewTable
        review={review}
        query={QUERY}
        label="Unmatched left"
        columns={COLUMNS}
        getKey={keyOf}
        onOpen={props.onOpen}
        emptyText="Nothing here."
        canReview
        describeKey={(key) => `row ${key.split(':')[1] ?? ''}`}
      />
    </>
  );
}

function setup() {
  const onOpen = vi.fn<(row: Row) => void>();
  const onReviewKey = vi.fn<(command: string) => void>();
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MantineProvider>
        <Harness onOpen={onOpen} onReviewKey={onReviewKey} />
      </MantineProvider>
    </QueryClientProvider>,
  );
  const checkbox = (row: number) =>
    screen.getByRole<HTMLInputElement>('checkbox', { name: `Select row ${String(row)}` });
  return { onOpen, onReviewKey, checkbox, user: userEvent.setup() };
}

giveElementsHeight();

const announcement = () => screen.getByRole('status').textContent;

describe('the shared review grid', { timeout: 30_000 }, () => {
  it('moves, selects and opens with the keyboard and says what it did', async () => {
    const { onOpen, checkbox, user } = setup();
    await user.keyboard('jjx');
    expect(checkbox(2).checked).toBe(true);
    expect(announcement()).toBe('Row 2 selected.');
    await user.keyboard('a');
    expect(announcement()).toBe('3 records selected.');
    await user.keyboard('{Escape}');
    expect(announcement()).toBe('Selection cleared.');
    expect(checkbox(2).checked).toBe(false);
    await user.keyboard('{Enter}');
    expect(onOpen).toHaveBeenCalledWith(ROWS[1]);
  });

  it('hands the review keys to the grid that owns them', async () => {
    const { onReviewKey, user } = setup();
    await user.keyboard('cru');
    expect(onReviewKey.mock.calls.map(([command]) => command)).toEqual(['confirm', 'reject', 'unmatch']);
  });

  it('keeps what failed selected and reports both counts', async () => {
    const { checkbox, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Report' }));
    expect(announcement()).toBe('Updated 2 records; 1 record not changed.');
    expect([1, 2, 3].map((row) => checkbox(row).checked)).toEqual([false, false, true]);
  });
});
