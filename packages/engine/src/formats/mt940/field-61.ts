import type { IsoDate } from '../../core/canonical';
import { isoDate } from '../shared/dates';
import { negate, parsePlainDecimal, type Decimal } from '../shared/decimal';

/** The subfields of a `:61:` statement line. */
export interface StatementLine {
  valueDate: IsoDate;
  /** Raw `YYMMDD` when the bank wrote a day past the month's end (German `Feb 30` postings). */
  valueDateRaw: string | null;
  entryDate: IsoDate | null;
  mark: 'C' | 'D' | 'RC' | 'RD';
  fundsCode: string | null;
  amount: Decimal;
  transactionType: string;
  customerReference: string | null;
  bankReference: string | null;
  supplementary: string | null;
}

/** Why a `:61:` line could not be read, with the column the canonical error names. */
export interface StatementLineError {
  column: 'value_date' | 'amount' | 'statement_line';
  code: 'DATE_INVALID' | 'AMOUNT_INVALID' | 'RECORD_MALFORMED';
  message: string;
}

// value date, optional entry date, mark, funds code, amount (comma optional: some banks omit it),
// type (SWIFT: N/S/F + 3; banks also send `MCI0` or `S   `, so any letter + 3), then the references. Deliberately a single grammar so the error can say what failed.
const LINE = /^(\d{6})(\d{4})?(RC|RD|C|D)([A-Z])?(\d[\d,]*)([A-Z][A-Z0-9 ]{3})(.*)$/;

const fullYear = (yy: number): number => (yy < 80 ? 2000 + yy : 1900 + yy);

function valueDateOf(yymmdd: string): { date: IsoDate; raw: string | null } | null {
  const year = fullYear(Number(yymmdd.slice(0, 2)));
  const month = Number(yymmdd.slice(2, 4));
  const day = Number(yymmdd.slice(4, 6));
  const exact = isoDate(year, month, day);
  if (exact !== null) return { date: exact, raw: null };
  // German banks book year-end interest on "30 February": read as the month's last day, raw kept.
  if (month === 2 && day >= 29 && day <= 31) {
    const last = isoDate(year, 2, 29) ?? isoDate(year, 2, 28);
    return last === null ? null : { date: last, raw: yymmdd };
  }
  return null;
}

// The entry date has no year: take the value date's year, moved by one when that is nearer (Dec/Jan).
function entryDateOf(mmdd: string, valueDate: IsoDate): IsoDate | null {
  const year = Number(valueDate.slice(0, 4));
  const valueMonth = Number(valueDate.slice(5, 7));
  const month = Number(mmdd.slice(0, 2));
  const day = Number(mmdd.slice(2, 4));
  const shift = month - valueMonth > 6 ? -1 : valueMonth - month > 6 ? 1 : 0;
  return isoDate(year + shift, month, day);
}

/**
 * Parses the text of a `:61:` field (its first line, or its first two when a bank wrapped the line
 * early). The amount is signed: C and RD are money in, D and RC money out.
 */
export function parseStatementLine(lines: readonly string[]): StatementLine | StatementLineError {
  let first = lines[0] ?? '';
  let rest = lines.slice(1);
  let match = LINE.exec(first);
  if (match === null && lines.length > 1) {
    first = `${first}${lines[1] ?? ''}`;
    rest = lines.slice(2);
    match = LINE.exec(first);
  }
  if (match === null) {
    return {
      column: 'statement_line',
      code: 'RECORD_MALFORMED',
      message: `:61: does not follow the statement line grammar: ${first}`,
    };
  }
  const [, value = '', entry, mark = 'C', funds, amountText = '', type = '', refs = ''] = match;
  const valueDate = valueDateOf(value);
  if (valueDate === null)
    return {
      column: 'value_date',
      code: 'DATE_INVALID',
      message: `value date ${value} is not a calendar date`,
    };
  const entryDate = entry === undefined ? null : entryDateOf(entry, valueDate.date);
  if (entry !== undefined && entryDate === null) {
    return {
      column: 'value_date',
      code: 'DATE_INVALID',
      message: `entry date ${entry} is not a calendar date`,
    };
  }
  if ((amountText.match(/,/g) ?? []).length > 1) {
    return {
      column: 'amount',
      code: 'AMOUNT_INVALID',
      message: `amount ${amountText} has more than one decimal comma`,
    };
  }
  const magnitude = parsePlainDecimal(amountText, ',');
  if (magnitude === null)
    return { column: 'amount', code: 'AMOUNT_INVALID', message: `amount ${amountText} is not a number` };
  const amount = mark === 'D' || mark === 'RC' ? negate(magnitude) : magnitude;
  const cut = refs.indexOf('//');
  const customer = (cut === -1 ? refs : refs.slice(0, cut)).trim();
  const bank = cut === -1 ? '' : refs.slice(cut + 2).trim();
  const supplementary = rest.join('\n').trim();
  return {
    valueDate: valueDate.date,
    valueDateRaw: valueDate.raw,
    entryDate,
    mark: mark === 'RC' || mark === 'RD' || mark === 'D' ? mark : 'C',
    fundsCode: funds ?? null,
    amount,
    transactionType: type,
    customerReference: customer === '' ? null : customer,
    bankReference: bank === '' ? null : bank,
    supplementary: supplementary === '' ? null : supplementary,
  };
}

/** Type guard separating a parsed line from its error. */
export const isStatementLineError = (v: StatementLine | StatementLineError): v is StatementLineError =>
  'code' in v;
