/** Where a command writes. Tests and the real process differ only here. */
export interface CliIo {
  /** Results: summary tables, JSON. */
  out(text: string): void;
  /** Progress and error messages. */
  err(text: string): void;
  /** Raw stderr write without a newline (redrawing a progress bar in place). */
  errRaw(text: string): void;
  /** True when stderr is a terminal: progress is drawn as a bar instead of plain lines. */
  isTty: boolean;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    errRaw: (text) => process.stderr.write(text),
    isTty: process.stderr.isTTY,
  };
}
