import { Box, Checkbox, Loader, Text } from '@mantine/core';
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

/** Row selection with a checkbox column; indices are positions in `rows`. */
export interface TableSelection {
  selected: ReadonlySet<string>;
  /** `isRange`: shift was held, select from the last toggled row to this one. */
  onToggle: (index: number, isRange: boolean) => void;
  onToggleAll: () => void;
  /** How a row is named to screen readers on its checkbox ("match 12"). */
  describe: (index: number) => string;
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
  selection?: TableSelection;
  /** The row with the keyboard focus (-1: none); it is scrolled into view and shown with a ring. */
  focusIndex?: number;
  /** A click put the focus on this row. */
  onFocusRow?: (index: number) => void;
  /** Shown instead of "Nothing here." when no row is listed. */
  emptyText?: string;
}

const CHECKBOX_WIDTH = '44px';

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
    selection,
    focusIndex = -1,
    onFocusRow,
    emptyText = 'Nothing here.',
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

  // Keyboard focus follows the focused row, unless the person is elsewhere (typing in a filter, say).
  useEffect(() => {
    if (focusIndex < 0) return;
    virtualizer.scrollToIndex(focusIndex, { align: 'auto' });
    const frame = requestAnimationFrame(() => {
      const scroller = scrollRef.current;
      const active = document.activeElement;
      if (scroller === null || (active !== document.body && !scroller.contains(active))) return;
      scroller
        .querySelector<HTMLElement>(`[data-row-index="${String(focusIndex)}"]`)
        ?.focus({ preventScroll: true });
    });
    return () => {
      cancelAnimationFrame(frame);
    };
  }, [focusIndex, virtualizer]);

  const allSelected = selection !== undefined && rows.length > 0 && selection.selected.size >= rows.length;
  const template = [...(selection ? [CHECKBOX_WIDTH] : []), ...columns.map((column) => column.width)].join(
    ' ',
  );
  const rowStyle: CSSProperties = { display: 'grid', gridTemplateColumns: template, alignItems: 'center' };

  return (
    <Box role="table" aria-label={label} aria-rowcount={rows.length + 1} className="recon-vtable">
      <div role="rowgroup">
        <div role="row" style={rowStyle} className="recon-vtable-head">
          {selection && (
            <div role="columnheader">
              <Checkbox
                size="xs"
                aria-label="Select all loaded rows"
                checked={allSelected}
                indeterminate={!allSelected && selection.selected.size > 0}
                onChange={selection.onToggleAll}
              />
            </div>
          )}
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
            const key = getKey(row);
            const isSelected = selection?.selected.has(key) ?? false;
            const cells = columns.map((column) => (
              <div key={column.key} role="cell" className={column.isNumeric ? 'num' : undefined}>
                {column.render(row)}
              </div>
            ));
            const classes = ['recon-vtable-row'];
            if (onRowClick) classes.push('is-clickable');
            if (isSelected) classes.push('is-selected');
            if (item.index === focusIndex) classes.push('is-focused');
            return (
              <div
                key={key}
                role="row"
                aria-rowindex={item.index + 2}
                data-row-index={item.index}
                tabIndex={item.index === focusIndex || (focusIndex < 0 && item.index === 0) ? 0 : -1}
                style={style}
                className={classes.join(' ')}
                onClick={() => {
                  onFocusRow?.(item.index);
                  onRowClick?.(row);
                }}
              >
                {selection && (
                  <div
                    role="cell"
                    // The checkbox takes the click; the row behind it opens the drawer.
                    onClick={(event) => {
                      event.stopPropagation();
                    }}
                  >
                    <Checkbox
                      size="xs"
                      aria-label={`Select ${selection.describe(item.index)}`}
                      checked={isSelected}
                      tabIndex={-1}
                      onChange={(event) => {
                        const native = event.nativeEvent;
                        selection.onToggle(item.index, native instanceof MouseEvent && native.shiftKey);
                      }}
                    />
                  </div>
                )}
                {cells}
              </div>
            );
          })}
        </div>
      </div>
      {rows.length === 0 && !hasMore && (
        <Text c="dimmed" ta="center" py="xl">
          {emptyText}
        </Text>
      )}
    </Box>
  );
}
