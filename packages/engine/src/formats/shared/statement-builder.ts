import type { CanonicalRecord, RowError } from '../../core/canonical';
import { minor } from '../../core/money';
import type { BankFormat, BankReadResult, StatementFinding, StatementMeta } from '../../core/statement';
import { currencyMinorUnits } from './currency';
import { atScale, type Decimal } from './decimal';

/** A record before its statement's scale is known: the amount is still an exact decimal. */
export type DraftRecord = Omit<CanonicalRecord, 'amount' | 'scale'> & { amount: Decimal };

/** A balance as read, before scaling. `currency` is kept to flag balances in another currency. */
export interface DraftBalance {
  amount: Decimal;
  currency: string | null;
  date: string | null;
}

/** One statement as a reader collects it. */
export interface DraftStatement {
  statementId: string | null;
  account: string | null;
  currency: string | null;
  opening: DraftBalance | null;
  closing: DraftBalance | null;
  records: DraftRecord[];
  /** Records that count toward the balance check (booked); defaults to all records. */
  isBooked?: (record: DraftRecord) => boolean;
  /** Findings about the statement's entries; none by default. */
  findings?: StatementFinding[];
}

/** An empty statement draft. */
export const emptyStatement = (): DraftStatement => ({
  statementId: null,
  account: null,
  currency: null,
  opening: null,
  closing: null,
  records: [],
});

/**
 * The scale of a statement: the largest of the ISO 4217 minor units of every currency it uses and the
 * significant decimals of every amount it states, so no digit is lost and all its sums are exact.
 */
export function statementScale(draft: DraftStatement): number {
  // Loops rather than Math.max(...spread): a statement can hold more entries than the argument limit.
  let scale = 0;
  const currencies = new Set<string>();
  const consider = (currency: string | null, decimals: number): void => {
    if (decimals > scale) scale = decimals;
    if (currency !== null) currencies.add(currency);
  };
  if (draft.currency !== null) currencies.add(draft.currency);
  for (const record of draft.records) consider(record.currency, record.amount.scale);
  for (const balance of [draft.opening, draft.closing])
    if (balance !== null) consider(balance.currency, balance.amount.scale);
  // No currency anywhere: assume the common two decimals so cents-style files keep their cents.
  if (currencies.size === 0) return Math.max(scale, currencyMinorUnits(null));
  for (const currency of currencies) scale = Math.max(scale, currencyMinorUnits(currency));
  return scale;
}

/**
 * A record's `row` identifies it (and a rejected transaction's row must not be a record's): a repeat is a
 * reader bug, so it throws rather than let two records share an identity downstream.
 */
function assertDistinctRows(drafts: readonly DraftStatement[], errors: readonly RowError[]): void {
  const rejected = new Set(errors.filter((e) => e.row > 0).map((e) => e.row));
  const seen = new Set<number>();
  for (const draft of drafts)
    for (const record of draft.records) {
      if (seen.has(record.row) || rejected.has(record.row))
        throw new Error(`bank reader numbered row ${record.row} twice; rows must identify one transaction`);
      seen.add(record.row);
    }
}

/**
 * Turns drafts into the reader result: scaled records, statement metadata and the balance check.
 * Each record gets `extra.statement_index`, the 1-based `StatementMeta.index` it belongs to.
 */
export function finishStatements(
  format: BankFormat,
  drafts: DraftStatement[],
  errors: RowError[],
): BankReadResult {
  assertDistinctRows(drafts, errors);
  const records: CanonicalRecord[] = [];
  const statements: StatementMeta[] = [];
  drafts.forEach((draft, index) => {
    const scale = statementScale(draft);
    let movementSum = 0n;
    let movementCount = 0;
    for (const draftRecord of draft.records) {
      const amount = atScale(draftRecord.amount, scale);
      records.push({
        row: draftRecord.row,
        externalId: draftRecord.externalId,
        amount: minor(amount),
        currency: draftRecord.currency,
        scale,
        bookingDate: draftRecord.bookingDate,
        valueDate: draftRecord.valueDate,
        reference: draftRecord.reference,
        counterparty: draftRecord.counterparty,
        description: draftRecord.description,
        account: draftRecord.account,
        // Drafts are the reader's own objects: their extra is completed in place rather than copied.
        extra: Object.assign(draftRecord.extra, { statement_index: String(index + 1) }),
      });
      if (draft.isBooked === undefined || draft.isBooked(draftRecord)) {
        movementSum += amount;
        movementCount += 1;
      }
    }
    const opening = draft.opening === null ? null : atScale(draft.opening.amount, scale);
    const closing = draft.closing === null ? null : atScale(draft.closing.amount, scale);
    let balanceCheck: StatementMeta['balanceCheck'] = null;
    if (opening !== null && closing !== null && draft.opening !== null && draft.closing !== null) {
      const expectedClosing = opening + movementSum;
      const difference = closing - expectedClosing;
      // Balances stated in another currency than the statement cannot prove anything: flagged, not trusted.
      const sameCurrency = [draft.opening.currency, draft.closing.currency].every(
        (c) => c === null || draft.currency === null || c === draft.currency,
      );
      balanceCheck = {
        ok: difference === 0n && sameCurrency,
        expectedClosing: minor(expectedClosing),
        difference: minor(difference),
      };
    }
    statements.push({
      index: index + 1,
      statementId: draft.statementId,
      account: draft.account,
      currency: draft.currency,
      scale,
      opening: opening === null ? null : { amount: minor(opening), date: draft.opening?.date ?? null },
      closing: closing === null ? null : { amount: minor(closing), date: draft.closing?.date ?? null },
      movementCount,
      movementSum: minor(movementSum),
      balanceCheck,
      findings: draft.findings ?? [],
    });
  });
  return { format, records, statements, errors };
}
