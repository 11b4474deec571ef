import type { z } from 'zod';
import type { presenceEntrySchema } from '@recon/shared';

/** One person in a `presence` message: who, and the job they have open (`null`: none). */
export type PresenceViewer = z.infer<typeof presenceEntrySchema>;

/** A viewer with the time (ms since the epoch, on the instance holding the socket) of their last view. */
export interface TimedViewer extends PresenceViewer {
  readonly viewed_at: number;
}

/**
 * Whether `a` should stand for the user rather than `b`: the later view wins; on a tie (two instances, the
 * same millisecond) a job beats none, then the smaller job id. A total order, so every instance merging the
 * same entries picks the same job, whatever order they arrived in.
 */
export function isPreferred(a: TimedViewer, b: TimedViewer): boolean {
  if (a.viewed_at !== b.viewed_at) return a.viewed_at > b.viewed_at;
  if (a.job_id === b.job_id) return false;
  if (a.job_id === null || b.job_id === null) return b.job_id === null;
  return a.job_id < b.job_id;
}

/** One entry per user, the preferred view of each; in order of first appearance. */
export function onePerUser(viewers: Iterable<TimedViewer>): TimedViewer[] {
  const byUser = new Map<string, TimedViewer>();
  for (const viewer of viewers) {
    const held = byUser.get(viewer.user_id);
    if (held === undefined || isPreferred(viewer, held)) byUser.set(viewer.user_id, viewer);
  }
  return [...byUser.values()];
}

/**
 * The viewers a room is told about: this process's and the other instances', one entry per user (a user
 * with tabs on two instances counts once). Local viewers come first, in the order they joined.
 *
 * @example
 * mergeViewers([{ user_id: a, name: 'Ana', job_id: j1, viewed_at: 5 }],
 *   [{ user_id: a, name: 'Ana', job_id: j2, viewed_at: 9 }]) // → [{ user_id: a, name: 'Ana', job_id: j2 }]
 */
export function mergeViewers(
  local: readonly TimedViewer[],
  remote: readonly TimedViewer[],
): PresenceViewer[] {
  return onePerUser([...local, ...remote]).map(({ user_id, name, job_id }) => ({ user_id, name, job_id }));
}
