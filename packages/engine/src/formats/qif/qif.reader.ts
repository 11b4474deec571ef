import type { RowError } from '../../core/canonical';
import type { BankReader, BankReadResult } from '../../core/statement';
import { BankFormatError } from '../shared/bank-format.error';
import {
  emptyStatement,
  finishStatements,
  type DraftRecord,
  type DraftStatement,
} from '../shared/statement-builder';
import { decodeText, splitLines } from '../shared/text';
import { parseQifAmount, parseQifDate, type QifDateOrder } from './qif-values';

/** How to read the parts of a QIF file that the format leaves open. */
export interface QifOptions {
  /** Day/month order of dates; default `MDY` (US, what Quicken and most US banks write). */
  dateOrder?: QifDateOrder;
  /** Decimal separator of amounts; default `.` (then `,` groups thousands). */
  decimalSeparator?: '.' | ',';
  /** QIF carries no currency: the caller may say which one it is; default null. */
  currency?: string | null;
}

// Register types that hold money movements. Investment registers use other fields (action, security).
const CASH_TYPES = new Set(['bank', 'ccard', 'cash', 'oth a', 'oth l']);
// Lists that are not transactions: their items are skipped.
const LIST_TYPES = new Set(['cat', 'class', 'memorized']);

interface Section {
  kind: 'cash' | 'list' | 'account';
  type: string;
  draft: DraftStatement | null;
}

type Fields = { letter: string; value: string }[];

function readTransaction(
  fields: Fields,
  row: number,
  options: Required<QifOptions>,
  account: string | null,
): DraftRecord | RowError {
  const first = (letter: string): string | null =>
    fields.find((f) => f.letter === letter)?.value.trim() ?? null;
  const rawDate = first('D');
  if (rawDate === null)
    return {
      row,
      column: 'D',
      raw: null,
      code: 'DATE_MISSING',
      message: `transaction ${row}: no D (date) line`,
    };
  const date = parseQifDate(rawDate, options.dateOrder);
  if (date === null)
    return {
      row,
      column: 'D',
      raw: rawDate,
      code: 'DATE_INVALID',
      message: `transaction ${row}: date ${JSON.stringify(rawDate)} is not a ${options.dateOrder} date`,
    };
  const rawT = first('T');
  const rawU = first('U');
  const rawAmount = rawT ?? rawU;
  if (rawAmount === null)
    return {
      row,
      column: 'T',
      raw: null,
      code: 'AMOUNT_MISSING',
      message: `transaction ${row}: no T (amount) line`,
    };
  const amount = parseQifAmount(rawAmount, options.decimalSeparator);
  if (amount === null)
    return {
      row,
      column: rawT === null ? 'U' : 'T',
      raw: rawAmount,
      code: 'AMOUNT_INVALID',
      message: `transaction ${row}: amount ${JSON.stringify(rawAmount)} is not a number`,
    };
  if (rawT !== null && rawU !== null) {
    const u = parseQifAmount(rawU, options.decimalSeparator);
    if (u === null || u.units !== amount.units || u.scale !== amount.scale) {
      return {
        row,
        column: 'U',
        raw: rawU,
        code: 'AMOUNT_INVALID',
        message: `transaction ${row}: U ${rawU} disagrees with T ${rawT}`,
      };
    }
  }
  const all = (letter: string): string[] =>
    fields.filter((f) => f.letter === letter).map((f) => f.value.trim());
  const splits = fields
    .filter((f) => f.letter === 'S' || f.letter === 'E' || f.letter === '$')
    .map((f) => `${f.letter}${f.value}`);
  const payee = first('P');
  const memo = first('M');
  const number = first('N');
  const extra: Record<string, string | null> = {
    date_raw: rawDate,
    number,
    payee,
    memo,
    category: first('L'),
    cleared: first('C'),
    address: all('A').length === 0 ? null : all('A').join('\n'),
    splits: splits.length === 0 ? null : splits.join('\n'),
  };
  for (const f of fields) if (!'DTUPMNLCASE$'.includes(f.letter)) extra[`field_${f.letter}`] = f.value;
  return {
    row,
    externalId: null,
    amount,
    currency: options.currency,
    bookingDate: date,
    valueDate: null,
    reference: number,
    counterparty: payee,
    description: memo ?? payee,
    account,
    extra,
  };
}

/**
 * Reads a QIF (Quicken Interchange Format) file: `!Type:Bank`, `CCard`, `Cash`, `Oth A`, `Oth L`
 * registers, `!Account` headers naming the account of what follows; category, class and memorized
 * lists are skipped; investment registers (`!Type:Invst`) are rejected. One statement per register,
 * with no balances (QIF states none).
 */
export function readQif(content: Uint8Array, options: QifOptions = {}): BankReadResult {
  const settings: Required<QifOptions> = {
    dateOrder: options.dateOrder ?? 'MDY',
    decimalSeparator: options.decimalSeparator ?? '.',
    currency: options.currency ?? null,
  };
  const lines = splitLines(decodeText(content));
  const drafts: DraftStatement[] = [];
  const errors: RowError[] = [];
  let section: Section | null = null;
  let fields: Fields = [];
  // Held in an object: it is set by `endItem` (a closure), which flow analysis does not follow.
  const current: { accountName: string | null } = { accountName: null };
  let row = 0;
  const endItem = (): void => {
    if (fields.length === 0 || section === null) return;
    if (section.kind === 'account')
      current.accountName = fields.find((f) => f.letter === 'N')?.value.trim() ?? current.accountName;
    else if (section.kind === 'cash' && section.draft !== null) {
      row += 1;
      const read = readTransaction(fields, row, settings, section.draft.account);
      if ('code' in read) errors.push(read);
      else section.draft.records.push(read);
    }
    fields = [];
  };
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/\s+$/, '');
    if (line.trim() === '') continue;
    if (line.startsWith('!')) {
      endItem();
      const header = line.slice(1).trim();
      const lower = header.toLowerCase();
      if (lower.startsWith('option:') || lower.startsWith('clear:')) continue;
      if (lower === 'account') {
        section = { kind: 'account', type: 'account', draft: null };
        continue;
      }
      const type = lower.startsWith('type:') ? lower.slice(5).trim() : null;
      if (type !== null && CASH_TYPES.has(type)) {
        const draft = emptyStatement();
        draft.account = current.accountName;
        draft.currency = settings.currency;
        draft.statementId = `${header.slice(5).trim()}${current.accountName === null ? '' : `:${current.accountName}`}`;
        drafts.push(draft);
        section = { kind: 'cash', type, draft };
        continue;
      }
      if (type !== null && LIST_TYPES.has(type)) {
        section = { kind: 'list', type, draft: null };
        continue;
      }
      throw new BankFormatError(
        'qif',
        'UNSUPPORTED_CONTENT',
        `header ${JSON.stringify(line)} is not a cash register QIF reads (Bank, CCard, Cash, Oth A, Oth L)`,
        index + 1,
      );
    }
    if (section === null)
      throw new BankFormatError(
        'qif',
        'NOT_THIS_FORMAT',
        `a QIF file starts with a !Type: or !Account header, found ${JSON.stringify(line.slice(0, 30))}`,
        index + 1,
      );
    if (line.startsWith('^')) {
      endItem();
      continue;
    }
    fields.push({ letter: line.charAt(0), value: line.slice(1) });
  }
  endItem();
  if (section === null)
    throw new BankFormatError('qif', 'EMPTY_FILE', 'no QIF header found: the file is empty');
  return finishStatements('qif', drafts, errors);
}

/** A `BankReader` with fixed QIF options (for the registry, or a caller that knows its bank). */
export const createQifReader =
  (options: QifOptions): BankReader =>
  (content) =>
    readQif(content, options);
