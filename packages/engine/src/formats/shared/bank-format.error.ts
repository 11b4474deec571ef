import type { BankFormat } from '../../core/statement';

/** Stable codes for files that cannot be read as a whole. */
export type BankFormatErrorCode =
  | 'EMPTY_FILE'
  | 'NOT_THIS_FORMAT'
  | 'MALFORMED_STRUCTURE'
  | 'UNSUPPORTED_CONTENT'
  | 'UNKNOWN_RECORD'
  | 'XML_INVALID';

/**
 * Thrown by a bank reader when the file as a whole is not readable (wrong format, broken structure).
 * A single bad transaction is never thrown: it becomes a `RowError` and the rest still load.
 *
 * @example
 * try { readMt940(bytes) } catch (e) { if (e instanceof BankFormatError) console.log(e.code, e.line) }
 */
export class BankFormatError extends Error {
  override readonly name = 'BankFormatError';

  constructor(
    readonly format: BankFormat,
    readonly code: BankFormatErrorCode,
    message: string,
    /** 1-based line of the problem when the format is line-oriented, else null. */
    readonly line: number | null = null,
  ) {
    super(`${format.toUpperCase()}: ${message}${line === null ? '' : ` (line ${line})`}`);
  }
}
