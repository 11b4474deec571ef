import type { CliIo } from '../cli-io';

/** Receives overall progress in [0, 1] with the current phase. */
export type ProgressReporter = ((phase: string, fraction: number) => void) & { done(): void };

const BAR_WIDTH = 30;

/**
 * On a terminal: one bar redrawn in place. Otherwise (pipes, CI logs): one plain line per phase, so logs
 * stay readable and diffable.
 */
export function createProgress(io: CliIo): ProgressReporter {
  let lastPhase = '';
  let drawn = false;
  const report = (phase: string, fraction: number): void => {
    const clamped = Math.max(0, Math.min(1, fraction));
    const percent = Math.round(clamped * 100);
    if (io.isTty) {
      const filled = Math.round(clamped * BAR_WIDTH);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
      io.errRaw(`\r\x1b[2K${bar} ${String(percent).padStart(3)}% ${phase}`);
      drawn = true;
    } else if (phase !== lastPhase) {
      io.err(`progress ${String(percent).padStart(3)}% ${phase}`);
    }
    lastPhase = phase;
  };
  return Object.assign(report, {
    done(): void {
      if (drawn) io.errRaw('\r\x1b[2K');
    },
  });
}

/** Maps a sub-task's own 0–1 progress into its slice [from, to] of the whole run. */
export function slice(report: ProgressReporter, from: number, to: number, label: string) {
  return (phase: string, fraction: number): void => {
    report(`${label}${phase}`, from + (to - from) * fraction);
  };
}
