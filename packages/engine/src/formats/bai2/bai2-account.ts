import type { IsoDate, RowError } from '../../core/canonical';
import { BankFormatError } from '../shared/bank-format.error';
import { currencyMinorUnits } from '../shared/currency';
import { isoDate } from '../shared/dates';
import { fromMinor } from '../shared/decimal';
import type { DraftBalance, DraftRecord, DraftStatement } from '../shared/statement-builder';
import { directionOf, readAmount, readFundsType } from './bai2-fields';
import type { Bai2RawRecord } from './bai2-lexer';

/** A record with the `88` continuations that follow it. */
export interface Bai2Logical {
  record: Bai2RawRecord;
  continuations: Bai2RawRecord[];
}

/** A BAI2 summary or status amount of an `03` account record. */
export interface Bai2Summary {
  typeCode: string;
  amount: string;
  itemCount: string | null;
  fundsType: string;
}

/** The group context a detail needs: as-of date and default currency. */
export interface Bai2GroupContext {
  asOfDate: IsoDate | null;
  currency: string | null;
}

const amountOrThrow = (raw: string | undefined, what: string, line: number): bigint | null => {
  const value = readAmount(raw);
  if (value === 'invalid')
    throw new BankFormatError(
      'bai2',
      'MALFORMED_STRUCTURE',
      `${what}: amount ${JSON.stringify(raw ?? '')} is not a whole number of minor units`,
      line,
    );
  return value;
};

/**
 * Reads an `03` account identifier with its continuations: account, currency, and the repeated
 * (type code, amount, item count, funds type) items. Opening = 010 (opening ledger), closing = 015.
 * Returns the sum of every stated amount, which the `49` control total covers.
 */
export function readAccount(
  logical: Bai2Logical,
  group: Bai2GroupContext,
  draft: DraftStatement,
): { summaries: Bai2Summary[]; controlSum: bigint } {
  const { record } = logical;
  const fields = [...record.fields, ...logical.continuations.flatMap((c) => c.fields)];
  draft.account = (fields[0] ?? '').trim() || null;
  draft.currency = (fields[1] ?? '').trim() || group.currency || 'USD';
  const scale = currencyMinorUnits(draft.currency);
  const summaries: Bai2Summary[] = [];
  let controlSum = 0n;
  let at = 2;
  while (at < fields.length) {
    const typeCode = (fields[at] ?? '').trim();
    const rawAmount = fields[at + 1];
    const itemCount = (fields[at + 2] ?? '').trim();
    const { funds, next } = readFundsType(fields, at + 3, record.line);
    at = next;
    if (typeCode === '' && (rawAmount ?? '').trim() === '') continue;
    const amount = amountOrThrow(rawAmount, `account ${draft.account ?? '?'} type ${typeCode}`, record.line);
    if (amount === null) continue;
    controlSum += amount;
    summaries.push({
      typeCode,
      amount: amount.toString(),
      itemCount: itemCount === '' ? null : itemCount,
      fundsType: funds.type,
    });
    const balance: DraftBalance = {
      amount: fromMinor(amount, scale),
      currency: draft.currency,
      date: group.asOfDate,
    };
    if (typeCode === '010') draft.opening = balance;
    if (typeCode === '015') draft.closing = balance;
  }
  return { summaries, controlSum };
}

/** Parses a BAI2 `YYMMDD` date strictly (no rollover; 70–99 → 19xx), or null. */
export function bai2Date(raw: string): IsoDate | null {
  if (!/^\d{6}$/.test(raw)) return null;
  const yy = Number(raw.slice(0, 2));
  return isoDate(yy < 70 ? 2000 + yy : 1900 + yy, Number(raw.slice(2, 4)), Number(raw.slice(4, 6)));
}

/**
 * Reads a `16` transaction detail with its `88` text continuations. The amount is unsigned in the file;
 * the type code decides the sign. Returns the stated amount for the control total (even when the
 * direction is unknown) and the record or row error.
 */
export function readDetail(
  logical: Bai2Logical,
  row: number,
  group: Bai2GroupContext,
  draft: DraftStatement,
): { controlAmount: bigint; result: DraftRecord | RowError } {
  const { record } = logical;
  const fields = record.fields;
  const typeCode = (fields[0] ?? '').trim();
  const rawAmount = (fields[1] ?? '').trim();
  const { funds, next } = readFundsType(fields, 2, record.line);
  const amount = readAmount(rawAmount);
  const text = [fields.slice(next + 2).join(','), ...logical.continuations.map((c) => c.body)]
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .join('\n');
  if (amount === null || amount === 'invalid') {
    const result: RowError = {
      row,
      column: 'amount',
      raw: rawAmount,
      code: amount === null ? 'AMOUNT_MISSING' : 'AMOUNT_INVALID',
      message: `detail ${row}: amount ${JSON.stringify(rawAmount)} is not a whole number of minor units (line ${record.line})`,
    };
    return { controlAmount: 0n, result };
  }
  const direction = /^\d{3}$/.test(typeCode) ? directionOf(Number(typeCode)) : null;
  if (direction === null) {
    const result: RowError = {
      row,
      column: 'type_code',
      raw: typeCode,
      code: 'DEBIT_CREDIT_CONFLICT',
      message: `detail ${row}: type code ${JSON.stringify(typeCode)} is not a BAI2 credit (100–399) or debit (400–699) code (line ${record.line})`,
    };
    return { controlAmount: amount, result };
  }
  const valueDate = funds.valueDate === null ? null : bai2Date(funds.valueDate);
  if (funds.valueDate !== null && funds.valueDate !== '' && valueDate === null) {
    const result: RowError = {
      row,
      column: 'value_date',
      raw: funds.valueDate,
      code: 'DATE_INVALID',
      message: `detail ${row}: value date ${funds.valueDate} is not YYMMDD (line ${record.line})`,
    };
    return { controlAmount: amount, result };
  }
  const bankReference = (fields[next] ?? '').trim() || null;
  const customerReference = (fields[next + 1] ?? '').trim() || null;
  const signed = direction === 'credit' ? amount : -amount;
  return {
    controlAmount: amount,
    result: {
      row,
      externalId: bankReference,
      amount: fromMinor(signed, currencyMinorUnits(draft.currency)),
      currency: draft.currency,
      bookingDate: group.asOfDate,
      valueDate,
      reference: customerReference ?? bankReference,
      counterparty: null,
      description: text === '' ? null : text,
      account: draft.account,
      extra: {
        type_code: typeCode,
        funds_type: funds.type === '' ? null : funds.type,
        funds_fields: funds.fields.length === 0 ? null : funds.fields.join(','),
        bank_reference: bankReference,
        customer_reference: customerReference,
        text: text === '' ? null : text,
        line: String(record.line),
      },
    },
  };
}
