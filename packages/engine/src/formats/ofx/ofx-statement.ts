import type { RowError } from '../../core/canonical';
import { BankFormatError } from '../shared/bank-format.error';
import { parseGroupedDecimal } from '../shared/decimal';
import type { DraftBalance, DraftRecord } from '../shared/statement-builder';
import { ofxDate } from './ofx-date';
import { ofxChild, ofxText, type OfxElement } from './ofx-tree';

function leavesOf(element: OfxElement): Record<string, string> {
  const leaves: Record<string, string> = {};
  for (const c of element.children) if (c.value !== null) leaves[c.name.toLowerCase()] = c.value;
  return leaves;
}

/** Reads a LEDGERBAL/AVAILBAL aggregate; an empty BALAMT means the bank gave no balance. */
export function readOfxBalance(
  aggregate: OfxElement | undefined,
  currency: string | null,
  where: string,
): DraftBalance | null {
  if (aggregate === undefined) return null;
  const raw = ofxText(aggregate, 'BALAMT');
  if (raw === null || raw.trim() === '') return null;
  const amount = parseGroupedDecimal(raw);
  if (amount === null)
    throw new BankFormatError(
      'ofx',
      'MALFORMED_STRUCTURE',
      `${where} ${aggregate.name}: BALAMT ${JSON.stringify(raw)} is not a number`,
    );
  const asOf = ofxText(aggregate, 'DTASOF');
  return { amount, currency, date: asOf === null ? null : ofxDate(asOf) };
}

/**
 * Reads one STMTTRN. OFX amounts are already signed from the account holder's side (positive = money
 * in, for cards positive = payment or refund). A missing or unreadable TRNAMT or DTPOSTED is a row error.
 */
export function readOfxTransaction(
  trn: OfxElement,
  row: number,
  account: string | null,
  defaultCurrency: string | null,
): DraftRecord | RowError {
  const rawAmount = ofxText(trn, 'TRNAMT');
  if (rawAmount === null)
    return {
      row,
      column: 'TRNAMT',
      raw: null,
      code: 'AMOUNT_MISSING',
      message: `transaction ${row}: TRNAMT is missing`,
    };
  const amount = parseGroupedDecimal(rawAmount);
  if (amount === null)
    return {
      row,
      column: 'TRNAMT',
      raw: rawAmount,
      code: 'AMOUNT_INVALID',
      message: `transaction ${row}: TRNAMT ${JSON.stringify(rawAmount)} is not a number`,
    };
  const rawPosted = ofxText(trn, 'DTPOSTED');
  if (rawPosted === null)
    return {
      row,
      column: 'DTPOSTED',
      raw: null,
      code: 'DATE_MISSING',
      message: `transaction ${row}: DTPOSTED is missing`,
    };
  const posted = ofxDate(rawPosted);
  if (posted === null)
    return {
      row,
      column: 'DTPOSTED',
      raw: rawPosted,
      code: 'DATE_INVALID',
      message: `transaction ${row}: DTPOSTED ${rawPosted} is not an OFX date`,
    };
  const rawUser = ofxText(trn, 'DTUSER');
  const rawAvail = ofxText(trn, 'DTAVAIL');
  for (const [column, raw] of [
    ['DTUSER', rawUser],
    ['DTAVAIL', rawAvail],
  ] as const) {
    if (raw !== null && ofxDate(raw) === null)
      return {
        row,
        column,
        raw,
        code: 'DATE_INVALID',
        message: `transaction ${row}: ${column} ${raw} is not an OFX date`,
      };
  }
  const foreign = ofxChild(trn, 'CURRENCY') ?? ofxChild(trn, 'ORIGCURRENCY');
  const name = ofxText(trn, 'NAME') ?? ofxText(trn, 'PAYEE', 'NAME');
  const memo = ofxText(trn, 'MEMO');
  const check = ofxText(trn, 'CHECKNUM');
  const fitid = ofxText(trn, 'FITID');
  return {
    row,
    externalId: fitid,
    amount,
    currency: ofxText(foreign, 'CURSYM') ?? defaultCurrency,
    bookingDate: posted,
    valueDate: rawAvail === null ? null : ofxDate(rawAvail),
    reference: (check !== null && !/^0+$/.test(check) ? check : null) ?? ofxText(trn, 'REFNUM') ?? fitid,
    counterparty: name,
    description: memo ?? name,
    account,
    extra: {
      // Every leaf the bank sent is kept (banks add VALUEDATE, CATEGORY...); the known ones below win.
      ...leavesOf(trn),
      trntype: ofxText(trn, 'TRNTYPE'),
      fitid,
      checknum: check,
      refnum: ofxText(trn, 'REFNUM'),
      name,
      memo,
      payee_id: ofxText(trn, 'PAYEEID'),
      sic: ofxText(trn, 'SIC'),
      dtposted_raw: rawPosted,
      user_date: rawUser === null ? null : ofxDate(rawUser),
      currency_rate: ofxText(foreign, 'CURRATE'),
      correct_fitid: ofxText(trn, 'CORRECTFITID'),
    },
  };
}
