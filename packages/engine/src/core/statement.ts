import type { CanonicalRecord, RowError } from './canonical';
import type { MinorUnits } from './money';

/** Bank statement formats read in JavaScript and streamed into DuckDB. */
export type BankFormat = 'camt' | 'mt940' | 'ofx' | 'qif' | 'bai2';

/** A balance as the bank states it. */
export interface StatedBalance {
  amount: MinorUnits;
  date: string | null;
}

/** Why a statement finding was raised. */
export type StatementFindingCode = 'BATCH_DETAILS_UNBALANCED' | 'BATCH_DETAILS_WITHOUT_AMOUNTS';

/**
 * Something about a statement's content a reviewer should know that rejects no record: e.g. a CAMT batch
 * entry whose transaction details could not be split, so it was kept as one record for the whole entry.
 */
export interface StatementFinding {
  code: StatementFindingCode;
  /** `row` of the record the finding is about. */
  row: number;
  /** The entry as the file names it (CAMT `AcctSvcrRef`, else `NtryRef`, else `entry <n>`). */
  entry: string;
  message: string;
}

/**
 * One statement (account and period) inside a bank file, with the check a careful reader does:
 * opening + sum of movements = closing. `balanceCheck` is null when the file gives no balances.
 */
export interface StatementMeta {
  index: number;
  statementId: string | null;
  account: string | null;
  currency: string | null;
  scale: number;
  opening: StatedBalance | null;
  closing: StatedBalance | null;
  movementCount: number;
  movementSum: MinorUnits;
  balanceCheck: { ok: boolean; expectedClosing: MinorUnits; difference: MinorUnits } | null;
  /** Findings about this statement's entries (empty for most files). */
  findings: StatementFinding[];
}

/** What a bank reader returns: records for the canonical table, statement metadata, row-level errors. */
export interface BankReadResult {
  format: BankFormat;
  records: CanonicalRecord[];
  statements: StatementMeta[];
  errors: RowError[];
}

/**
 * Reads one bank file. Throws `BankFormatError` only when the file as a whole cannot be read
 * (not this format, truncated structure); a bad single transaction is a `RowError`.
 */
export type BankReader = (content: Uint8Array) => BankReadResult;
