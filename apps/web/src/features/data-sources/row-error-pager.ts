/**
 * Keyset paging of the row-error report: the server pages forward by `after` (last sequence number
 * seen), so going back means remembering where each earlier page started.
 */
export interface ErrorPager {
  /** `after` of each page from the first to the current one. */
  readonly starts: readonly number[];
  /** Items on each page before the current one, to show "errors 51–100". */
  readonly sizes: readonly number[];
}

export const errorPager = {
  first: (): ErrorPager => ({ starts: [0], sizes: [] }),
  /** The `after` of the current page. */
  after: (pager: ErrorPager): number => pager.starts.at(-1) ?? 0,
  /** How many errors come before the current page. */
  offset: (pager: ErrorPager): number => pager.sizes.reduce((sum, size) => sum + size, 0),
  hasPrevious: (pager: ErrorPager): boolean => pager.starts.length > 1,
  next: (pager: ErrorPager, nextAfter: number, pageSize: number): ErrorPager => ({
    starts: [...pager.starts, nextAfter],
    sizes: [...pager.sizes, pageSize],
  }),
  previous: (pager: ErrorPager): ErrorPager =>
    pager.starts.length > 1 ? { starts: pager.starts.slice(0, -1), sizes: pager.sizes.slice(0, -1) } : pager,
};
