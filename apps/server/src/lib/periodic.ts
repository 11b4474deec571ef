/** A task repeated every `intervalMs` until stopped; see {@link startPeriodic}. */
export interface Periodic {
  /** Stops repeating and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `task` every `intervalMs`, never two runs at once (a slow run delays the next); a failure goes to
 * `onError` and the next run still happens. The timer does not keep the process alive.
 */
export function startPeriodic(
  intervalMs: number,
  task: () => Promise<unknown>,
  onError: (error: unknown) => void,
): Periodic {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => task().catch(onError));
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
