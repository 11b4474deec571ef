/** Exit codes: the contract scripts rely on. */
export const EXIT = {
  /** Everything reconciled: no unmatched records, no discrepancies, no rejected rows. */
  ok: 0,
  /** The run worked and found differences. */
  differences: 1,
  /** The run could not be done: bad arguments, missing or unreadable files, invalid rules. */
  error: 2,
} as const;

/**
 * An error the user can fix, with a message that says what and where. Printed as `recon: <message>`
 * (plus the details lines) and exit code 2; never a stack trace.
 */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly details: readonly string[] = [],
    /** Show the command's usage after the message (for argument mistakes). */
    readonly showUsage = false,
  ) {
    super(message);
  }
}
