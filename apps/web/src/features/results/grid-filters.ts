import { matchSortSchema, unmatchedSortSchema } from '@recon/shared';
import type { MatchSort } from '@recon/shared';

/** The tabs of the results screen; the `tab` search parameter names the open one. */
export const RESULT_TABS = ['suggested', 'matched', 'left', 'right', 'manual', 'discrepancies'] as const;
export type ResultTab = (typeof RESULT_TABS)[number];

export type UnmatchedSort = 'row' | 'amount_desc' | 'amount_asc' | 'date_asc' | 'date_desc';

/** Filters of a matches tab, as the API takes them (absent = not filtered). */
export interface MatchGridFilter {
  q?: string;
  tier?: 'auto' | 'suggested' | 'manual';
  pass?: string;
  min_score?: number;
  max_score?: number;
  min_amount_difference?: number;
  date_from?: string;
  date_to?: string;
  sort: MatchSort;
}

export interface UnmatchedGridFilter {
  q?: string;
  status?: 'open' | 'investigating' | 'resolved' | 'written_off';
  date_from?: string;
  date_to?: string;
  sort: UnmatchedSort;
}

export interface DiscrepancyGridFilter {
  field?: 'amount' | 'booking_date' | 'value_date';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function text(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name)?.trim();
  return value ? value : undefined;
}
function date(params: URLSearchParams, name: string): string | undefined {
  const value = text(params, name);
  return value !== undefined && DATE.test(value) ? value : undefined;
}
function number(params: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const value = text(params, name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= min && parsed <= max ? parsed : undefined;
}
function oneOf<T extends string>(
  params: URLSearchParams,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const value = params.get(name);
  return allowed.find((option) => option === value);
}

/** The open tab; anything unknown falls back to the review queue. */
export function tabFrom(params: URLSearchParams): ResultTab {
  return oneOf(params, 'tab', RESULT_TABS) ?? 'suggested';
}

/** Filters of a matches tab from the address bar; values the API would refuse are dropped. */
export function matchFilterFrom(params: URLSearchParams): MatchGridFilter {
  const minAmount = number(params, 'min_amount_difference', 0, Number.MAX_SAFE_INTEGER);
  return {
    q: text(params, 'q'),
    tier: oneOf(params, 'tier', ['auto', 'suggested', 'manual'] as const),
    pass: text(params, 'pass'),
    min_score: number(params, 'min_score', 0, 1),
    max_score: number(params, 'max_score', 0, 1),
    min_amount_difference: minAmount === undefined ? undefined : Math.trunc(minAmount),
    date_from: date(params, 'date_from'),
    date_to: date(params, 'date_to'),
    sort: oneOf(params, 'sort', matchSortSchema.options) ?? 'match_id',
  };
}

export function unmatchedFilterFrom(params: URLSearchParams): UnmatchedGridFilter {
  return {
    q: text(params, 'q'),
    status: oneOf(params, 'status', ['open', 'investigating', 'resolved', 'written_off'] as const),
    date_from: date(params, 'date_from'),
    date_to: date(params, 'date_to'),
    sort: oneOf(params, 'sort', unmatchedSortSchema.options) ?? 'row',
  };
}

export function discrepancyFilterFrom(params: URLSearchParams): DiscrepancyGridFilter {
  return { field: oneOf(params, 'field', ['amount', 'booking_date', 'value_date'] as const) };
}

/** The names every tab's filters use; cleared when the tab changes, since each tab filters differently. */
const FILTER_PARAMS = [
  'q',
  'tier',
  'pass',
  'min_score',
  'max_score',
  'min_amount_difference',
  'date_from',
  'date_to',
  'sort',
  'status',
  'field',
];

/** The search parameters with one filter set (or removed when empty), the tab kept. */
export function withFilter(params: URLSearchParams, name: string, value: string | number | undefined) {
  const next = new URLSearchParams(params);
  if (value === undefined || value === '') next.delete(name);
  else next.set(name, String(value));
  return next;
}

/** The search parameters for another tab: its filters start empty. */
export function withTab(params: URLSearchParams, tab: ResultTab) {
  const next = new URLSearchParams(params);
  for (const name of FILTER_PARAMS) next.delete(name);
  next.set('tab', tab);
  return next;
}

/** Whether any filter (not the sort) narrows the rows: the empty state then says so. */
export function hasFilters(params: URLSearchParams): boolean {
  return FILTER_PARAMS.some((name) => name !== 'sort' && params.has(name));
}
