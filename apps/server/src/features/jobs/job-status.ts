import { AppError, type JobStatus } from '@recon/shared';

/**
 * The one status machine of reconciliation jobs: draft → queued → running → completed | failed | cancelled.
 * Every status change names an event; the repository applies it with `WHERE status IN (from)`, so two
 * racing changes cannot both win.
 */
export const JOB_TRANSITIONS = {
  /** A user starts a draft. */
  start: { from: ['draft'], to: 'queued' },
  /** A user runs a finished job again. */
  rerun: { from: ['completed', 'failed', 'cancelled'], to: 'queued' },
  /** A worker picks the job up (again, after a dead attempt). */
  run: { from: ['queued', 'running'], to: 'running' },
  /** The attempt failed and the queue will retry it. */
  retry: { from: ['running'], to: 'queued' },
  complete: { from: ['running'], to: 'completed' },
  fail: { from: ['queued', 'running'], to: 'failed' },
  cancel: { from: ['draft', 'queued', 'running'], to: 'cancelled' },
} as const satisfies Record<string, { from: readonly JobStatus[]; to: JobStatus }>;

export type JobEvent = keyof typeof JOB_TRANSITIONS;

/** Statuses in which a job's definition may be edited. */
export const EDITABLE_STATUSES: readonly JobStatus[] = ['draft', 'completed', 'failed', 'cancelled'];

/** The statuses an event may leave from. */
export function sourcesOf(event: JobEvent): readonly JobStatus[] {
  return JOB_TRANSITIONS[event].from;
}

/** The status after `event`, or a 409 naming the current status. */
export function nextStatus(current: JobStatus, event: JobEvent): JobStatus {
  const transition = JOB_TRANSITIONS[event];
  if (!(transition.from as readonly JobStatus[]).includes(current)) {
    throw new AppError('JOB_STATE_CONFLICT', `Cannot ${event} a job that is ${current}`);
  }
  return transition.to;
}
