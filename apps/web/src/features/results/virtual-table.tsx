import { Box, Loader, Text, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { CSSProperties, ReactNode } from 'react';
import { useEffect, useRef } from 'react';

/** One column of a {@link VirtualTable}. */
export interface Column<T> {
  key: string;
  header: string;
  /** A CSS grid track: `120px`, `2fr`, `minmax(160px, 1fr)`. */
  width: string;
  isNumeric?: boolean;
  render: (row: T) => ReactNode;
}

interface VirtualTableProps<T> {
  label: string;
  rows: T[];
  columns: Column<T>[];
  getKey: (row: T) => string;
  onRowClick?: (row: T) => void;
  hasMore: boolean;
  isFetchingMore: boolean;
  onLoadMore: () => void;
  height?: number;
}

const ROW_HEIGHT = 44;
// Ask for the next server page this many rows before the end, so scrolling rarely waits.
const PREFETCH_ROWS = 40;

/**
 * A grid that renders only the rows in view and pulls the next keyset page as the reader nears the
 * end: memory and DOM stay flat however many matches a job has.
 */
export function VirtualTable<T>(props: VirtualTableProps<T>) {
  const {
    label,
    rows,
    columns,
    getKey,
    onRowClick,
    hasMore,
    isFetchingMore,
    onLoadMore,
    height = 520,
  } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (hasMore && !isFetchingMore && lastIndex >= rows.length - PREFETCH_ROWS) onLoadMore();
  }, [hasMore, isFetchingMore, lastIndex, rows.length, onLoadMore]);

  const template = columns.map((column) => column.width).join(' ');
  const rowStyle: CSSProperties = { display: 'grid', gridTemplateColumns: template, alignItems: 'center' };

  return (
    <Box role="table" aria-label={label} aria-rowcount={rows.length + 1} className="recon-vtable">
      <div role="rowgroup">
        <div role="row" style={rowStyle} className="recon-vtable-head">
          {columns.map((column) => (
            <div key={column.key} role="columnheader" className={column.isNumeric ? 'num' : undefined}>
              {column.header}
            </div>
          ))}
        </div>
      </div>
      <div
        ref={scrollRef}
        style={{ height: Math.min(height, (rows.length + 1) * ROW_HEIGHT + 4), overflow: 'auto' }}
      >
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows[item.index];
            const style: CSSProperties = {
              ...rowStyle,
              position: 'absolute',
              top: 0,
              left: 0,
              right: 0,
              height: item.size,
              transform: `translateY(${item.start}px)`,
            };
            if (row === undefined) {
              return (
                <div key="more" role="row" style={{ ...style, display: 'flex', justifyContent: 'center' }}>
                  <Loader size="xs" aria-label="Loading more rows" />
                </div>
              );
            }
            const cells = columns.map((column) => (
              <div key={column.key} role="cell" className={column.isNumeric ? 'num' : undefined}>
                {column.render(row)}
              </div>
            ));
            return onRowClick ? (
              <UnstyledButton
                key={getKey(row)}
                role="row"
                aria-rowindex={item.index + 2}
                style={style}
                className="recon-vtable-row"
                onClick={() => {
                  onRowClick(row);
                }}
              >
                {cells}
              </UnstyledButton>
            ) : (
              <div
                key={getKey(row)}
                role="row"
                aria-rowindex={item.index + 2}
                style={style}
                className="recon-vtable-row"
              >
                {cells}
              </div>
            );
          })}
        </div>
      </div>
      {rows.length === 0 && !hasMore && (
        <Text c="dimmed" ta="center" py="xl">
          Nothing here.
        </Text>
      )}
    </Box>
  );
}
