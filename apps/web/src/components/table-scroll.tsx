import type { ReactNode } from 'react';

/**
 * Lets a wide table scroll sideways on narrow screens. A plain overflow box: Mantine's
 * Table.ScrollContainer would pull its custom scrollbars (about 5 KB gzipped) into every list page.
 */
export function TableScroll({ minWidth, children }: { minWidth: number; children: ReactNode }) {
  return (
    <div style={{ overflowX: 'auto' }}>
      <div style={{ minWidth }}>{children}</div>
    </div>
  );
}
