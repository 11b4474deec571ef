const DAY_MS = 86_400_000;

/**
 * Whole days an exception has been open: since it was first seen unmatched, which for a record carried
 * forward from an earlier job is its first sighting there. "today" under one day.
 */
export function exceptionAge(firstSeenAt: string, now: number): string {
  const days = Math.floor((now - Date.parse(firstSeenAt)) / DAY_MS);
  if (!Number.isFinite(days)) return '—';
  if (days < 1) return 'today';
  return days === 1 ? '1 day' : `${String(days)} days`;
}
