import type { IsoDate, RowError } from '../../core/canonical';
import type { StatementFinding } from '../../core/statement';
import { fromIsoDateTime } from '../shared/dates';
import { atScale, decimalText, negate, parsePlainDecimal, type Decimal } from '../shared/decimal';
import type { DraftRecord } from '../shared/statement-builder';
import { draftRecord, type EntryContext } from './camt-details';
import { child, children, textAt, type XmlElement } from './xml-tree';

/** A date group (`<BookgDt><Dt>` or `<DtTm>`) as a calendar date; the bank's local date is kept as written. */
export function dateOf(group: XmlElement | undefined): { date: IsoDate | null; raw: string | null } {
  const raw = textAt(group, 'Dt') ?? textAt(group, 'DtTm');
  return { raw, date: raw === null ? null : fromIsoDateTime(raw) };
}

// ISO 20022 amounts are xs:decimal with a dot; a sign is not allowed (CdtDbtInd carries it).
const isoAmount = (raw: string): Decimal | null =>
  /^\d+(\.\d+)?$/.test(raw) ? parsePlainDecimal(raw, '.') : null;

/** An `<Amt Ccy="EUR">` with `<CdtDbtInd>` beside it: signed (CRDT positive, DBIT negative). */
export function signedAmount(
  owner: XmlElement,
): { amount: Decimal; currency: string | null } | { error: string; column: string; raw: string | null } {
  const amountElement = child(owner, 'Amt');
  const raw = amountElement?.text.trim() ?? null;
  if (raw === null || raw === '') return { error: 'AMOUNT_MISSING', column: 'Amt', raw };
  const value = isoAmount(raw);
  if (value === null) return { error: 'AMOUNT_INVALID', column: 'Amt', raw };
  const indicator = textAt(owner, 'CdtDbtInd');
  if (indicator !== 'CRDT' && indicator !== 'DBIT')
    return { error: 'DEBIT_CREDIT_CONFLICT', column: 'CdtDbtInd', raw: indicator };
  const currency = amountElement?.attributes.Ccy ?? null;
  return { amount: indicator === 'DBIT' ? negate(value) : value, currency };
}

/** What one `<Ntry>` becomes: records (one, or one per `TxDtls`), or a row error; maybe a finding. */
export interface EntryReading {
  records: DraftRecord[];
  error: RowError | null;
  finding: StatementFinding | null;
}

type DetailAmount = { amount: Decimal; currency: string | null } | { problem: string };

/**
 * The booked amount of one `TxDtls`: `TxDtls/Amt` (v3+, in the account's currency), else
 * `AmtDtls/TxAmt/Amt` (v2); signed by the detail's own `CdtDbtInd`, else the entry's.
 */
function detailAmount(tx: XmlElement, entryIndicator: string): DetailAmount {
  const element = child(tx, 'Amt') ?? child(tx, 'AmtDtls', 'TxAmt', 'Amt');
  const raw = element?.text.trim() ?? '';
  if (element === undefined || raw === '') return { problem: 'no amount' };
  const value = isoAmount(raw);
  if (value === null) return { problem: `amount "${raw}" is not an ISO 20022 decimal` };
  const indicator = textAt(tx, 'CdtDbtInd') ?? entryIndicator;
  if (indicator !== 'CRDT' && indicator !== 'DBIT') return { problem: `CdtDbtInd "${indicator}"` };
  return { amount: indicator === 'DBIT' ? negate(value) : value, currency: element.attributes.Ccy ?? null };
}

const withCurrency = (amount: Decimal, currency: string | null): string =>
  `${decimalText(amount)}${currency === null ? '' : ` ${currency}`}`;

/**
 * The signed amounts of a batch entry's `TxDtls` when they can replace it: every detail has an amount in
 * the entry's currency and their sum is exactly the entry's amount. Otherwise why not.
 */
function splitAmounts(
  amounts: DetailAmount[],
  entryAmount: Decimal,
  currency: string | null,
): { split: Decimal[] } | { code: StatementFinding['code']; reason: string } {
  const missing = amounts.flatMap((a, i) => ('problem' in a ? [`TxDtls ${i + 1}: ${a.problem}`] : []));
  if (missing.length > 0) return { code: 'BATCH_DETAILS_WITHOUT_AMOUNTS', reason: missing.join('; ') };
  const read = amounts.flatMap((a) => ('problem' in a ? [] : [a]));
  const foreign = read.filter((a) => a.currency !== null && currency !== null && a.currency !== currency);
  const scale = Math.max(entryAmount.scale, ...read.map((a) => a.amount.scale));
  const sum = read.reduce((total, a) => total + atScale(a.amount, scale), 0n);
  if (foreign.length === 0 && sum === atScale(entryAmount, scale))
    return { split: read.map((a) => a.amount) };
  const total = foreign.length === 0 ? withCurrency({ units: sum, scale }, currency) : 'a mixed-currency sum';
  const detail = read.map((a) => withCurrency(a.amount, a.currency)).join(' + ');
  return {
    code: 'BATCH_DETAILS_UNBALANCED',
    reason: `the TxDtls amounts (${detail}) make ${total}, not the entry's ${withCurrency(entryAmount, currency)}`,
  };
}

/**
 * Reads one `<Ntry>`. An entry with several `TxDtls` whose amounts add up exactly to the entry becomes one
 * record per `TxDtls` (rows `firstRow`, `firstRow + 1`...); otherwise, and for a single `TxDtls`, one
 * record for the entry's amount. A batch that cannot be split is reported as a finding, never dropped.
 */
export function readEntry(entry: XmlElement, firstRow: number, entryIndex: number): EntryReading {
  const signed = signedAmount(entry);
  const rowError = (column: string, raw: string | null, code: RowError['code'], message: string) => ({
    records: [],
    finding: null,
    error: { row: firstRow, column, raw, code, message: `entry ${entryIndex}: ${message}` },
  });
  if ('error' in signed) {
    const code =
      signed.error === 'AMOUNT_MISSING'
        ? 'AMOUNT_MISSING'
        : signed.error === 'AMOUNT_INVALID'
          ? 'AMOUNT_INVALID'
          : 'DEBIT_CREDIT_CONFLICT';
    return rowError(
      signed.column,
      signed.raw,
      code,
      `${signed.column} is missing or not an ISO 20022 amount/indicator`,
    );
  }
  const bookingDate = dateOf(child(entry, 'BookgDt'));
  const valueDate = dateOf(child(entry, 'ValDt'));
  for (const [column, d] of [
    ['BookgDt', bookingDate],
    ['ValDt', valueDate],
  ] as const) {
    if (d.raw !== null && d.date === null)
      return rowError(column, d.raw, 'DATE_INVALID', `${column} ${d.raw} is not a date`);
  }
  const details = children(child(entry, 'NtryDtls'), 'TxDtls');
  const context: EntryContext = {
    entry,
    entryIndex,
    amountText: decimalText(signed.amount),
    currency: signed.currency,
    bookingDate,
    valueDate,
    detailsCount: details.length,
  };
  const whole = (): DraftRecord[] => [draftRecord(context, details[0], firstRow, signed.amount, null)];
  if (details.length <= 1) return { records: whole(), error: null, finding: null };

  // signedAmount accepted the entry's indicator, so it is CRDT or DBIT (also for a zero amount).
  const amounts = details.map((tx) => detailAmount(tx, textAt(entry, 'CdtDbtInd') ?? 'CRDT'));
  const outcome = splitAmounts(amounts, signed.amount, signed.currency);
  if ('code' in outcome) {
    const reference = textAt(entry, 'AcctSvcrRef') ?? textAt(entry, 'NtryRef');
    const name = reference ?? `entry ${entryIndex}`;
    const label = reference === null ? name : `entry ${entryIndex} (${reference})`;
    return {
      records: whole(),
      error: null,
      finding: {
        code: outcome.code,
        row: firstRow,
        entry: name,
        message: `${label} has ${details.length} TxDtls but ${outcome.reason}: kept as one record for the whole entry`,
      },
    };
  }
  const records = outcome.split.map((amount, i) =>
    draftRecord(context, details[i], firstRow + i, amount, i + 1),
  );
  return { records, error: null, finding: null };
}
