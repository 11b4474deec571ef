import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Column } from './virtual-table';
import { VirtualTable } from './virtual-table';

interface Row {
  id: number;
  amount: string;
}

const columns: Column<Row>[] = [
  { key: 'id', header: 'Row', width: '80px', isNumeric: true, render: (row) => row.id },
  { key: 'amount', header: 'Amount', width: '1fr', isNumeric: true, render: (row) => row.amount },
];

function rows(count: number): Row[] {
  return Array.from({ length: count }, (_, index) => ({ id: index + 1, amount: `${index}.00` }));
}

function renderTable(props: { count: number; hasMore: boolean; isFetchingMore?: boolean }) {
  const onLoadMore = vi.fn();
  render(
    <MantineProvider>
      <VirtualTable
        label="Matches"
        rows={rows(props.count)}
        columns={columns}
        getKey={(row) => String(row.id)}
        hasMore={props.hasMore}
        isFetchingMore={props.isFetchingMore ?? false}
        onLoadMore={onLoadMore}
      />
    </MantineProvider>,
  );
  return onLoadMore;
}

describe('VirtualTable', () => {
  it('asks for the next page when the loaded rows end near the viewport', () => {
    expect(renderTable({ count: 10, hasMore: true })).toHaveBeenCalled();
  });

  it('does not ask again while a page is on its way', () => {
    expect(renderTable({ count: 10, hasMore: true, isFetchingMore: true })).not.toHaveBeenCalled();
  });

  it('does not ask when the server said there is nothing more', () => {
    expect(renderTable({ count: 10, hasMore: false })).not.toHaveBeenCalled();
  });

  it('waits with the next page while the reader is far from the end', () => {
    expect(renderTable({ count: 1000, hasMore: true })).not.toHaveBeenCalled();
  });

  it('renders a window of rows, not all of them', () => {
    renderTable({ count: 1000, hasMore: false });
    expect(screen.getAllByRole('row').length).toBeLessThan(100);
    expect(screen.getByRole('table', { name: 'Matches' }).getAttribute('aria-rowcount')).toBe('1001');
  });

  it('says so when there is nothing to show', () => {
    renderTable({ count: 0, hasMore: false });
    expect(screen.queryByText('Nothing here.')).not.toBeNull();
  });
});
