import type { RowError } from '../../core/canonical';
import type { BankReadResult } from '../../core/statement';
import { BankFormatError } from '../shared/bank-format.error';
import { decimalText } from '../shared/decimal';
import { emptyStatement, finishStatements, type DraftStatement } from '../shared/statement-builder';
import { decodeText } from '../shared/text';
import { parseBalance } from './balance-field';
import { parseDetails } from './field-86';
import { isStatementLineError, parseStatementLine } from './field-61';
import { tokenizeMt940, type Mt940Field } from './mt940-fields';

/** A balance kept as text in the MT940 statement details (available, forward available). */
export interface Mt940Balance {
  amount: string;
  currency: string | null;
  date: string | null;
}

/** MT940 specifics of one statement, aligned by index with `statements`. */
export interface Mt940StatementInfo {
  statementNumber: string | null;
  /** `F` final (:60F:/:62F:) or `M` intermediate (:60M:/:62M:, a statement continued on another page). */
  openingKind: 'F' | 'M' | null;
  closingKind: 'F' | 'M' | null;
  available: Mt940Balance[];
  forwardAvailable: Mt940Balance[];
  /**
   * Fields that carry no movement, kept as written: `:21:`, `:13D:`, `:34F:`, `:90D:`, `:90C:`, and
   * `:86:` / `:NS:` that belong to the statement rather than to a `:61:` line.
   */
  otherFields: { tag: string; text: string }[];
}

/** The MT940 reader's result: the common bank result plus per-statement MT940 details. */
export interface Mt940ReadResult extends BankReadResult {
  mt940: Mt940StatementInfo[];
}

const emptyInfo = (): Mt940StatementInfo => ({
  statementNumber: null,
  openingKind: null,
  closingKind: null,
  available: [],
  forwardAvailable: [],
  otherFields: [],
});

interface Cursor {
  drafts: DraftStatement[];
  infos: Mt940StatementInfo[];
  info: Mt940StatementInfo;
  current: DraftStatement;
  errors: RowError[];
  transactionIndex: number;
  /** The last record's index in `current.records`, for the `:86:` that follows it. */
  lastRecord: number | null;
  /** The record the previous `:86:` described and its lines so far (for repeated `:86:`). */
  details: { record: number; lines: string[] } | null;
}

const hasContent = (d: DraftStatement): boolean =>
  d.statementId !== null ||
  d.account !== null ||
  d.opening !== null ||
  d.closing !== null ||
  d.records.length > 0;

function startStatement(cursor: Cursor): void {
  if (hasContent(cursor.current)) {
    cursor.drafts.push(cursor.current);
    cursor.infos.push(cursor.info);
  }
  cursor.current = emptyStatement();
  cursor.info = emptyInfo();
  cursor.lastRecord = null;
  cursor.details = null;
}

function balanceOrThrow(field: Mt940Field): NonNullable<ReturnType<typeof parseBalance>> {
  const balance = parseBalance(field.lines.join(''));
  if (balance === null) {
    throw new BankFormatError(
      'mt940',
      'MALFORMED_STRUCTURE',
      `:${field.tag}: is not a balance (mark, YYMMDD, currency, amount): ${field.lines.join('')}`,
      field.line,
    );
  }
  return balance;
}

function readStatementLine(cursor: Cursor, field: Mt940Field): void {
  cursor.transactionIndex += 1;
  const row = cursor.transactionIndex;
  const parsed = parseStatementLine(field.lines);
  cursor.lastRecord = null;
  if (isStatementLineError(parsed)) {
    cursor.errors.push({
      row,
      column: parsed.column,
      raw: field.lines.join('\n'),
      code: parsed.code,
      message: `${parsed.message} (line ${field.line})`,
    });
    return;
  }
  const reference =
    parsed.customerReference !== null && parsed.customerReference !== 'NONREF'
      ? parsed.customerReference
      : parsed.bankReference;
  cursor.current.records.push({
    row,
    externalId: parsed.bankReference,
    amount: parsed.amount,
    currency: null,
    bookingDate: parsed.entryDate ?? parsed.valueDate,
    valueDate: parsed.valueDate,
    reference,
    counterparty: null,
    description: parsed.supplementary,
    account: cursor.current.account,
    extra: {
      statement_id: cursor.current.statementId,
      statement_number: cursor.info.statementNumber,
      mark: parsed.mark,
      funds_code: parsed.fundsCode,
      transaction_type: parsed.transactionType,
      customer_reference: parsed.customerReference,
      bank_reference: parsed.bankReference,
      supplementary_details: parsed.supplementary,
      entry_date: parsed.entryDate,
      value_date_raw: parsed.valueDateRaw,
    },
  });
  cursor.lastRecord = cursor.current.records.length - 1;
}

function readDetails(cursor: Cursor, field: Mt940Field): void {
  // Rabobank writes one :86: per line: consecutive :86: fields describe the same movement.
  if (cursor.lastRecord !== null) cursor.details = { record: cursor.lastRecord, lines: [...field.lines] };
  else if (cursor.details !== null) cursor.details.lines.push(...field.lines);
  cursor.lastRecord = null;
  const record = cursor.details === null ? undefined : cursor.current.records[cursor.details.record];
  if (cursor.details === null || record === undefined) {
    cursor.info.otherFields.push({ tag: field.tag, text: field.lines.join('\n') }); // statement-level information
    return;
  }
  const details = parseDetails(cursor.details.lines);
  const extra: Record<string, string | null> = { details: details.raw, gv_code: details.transactionCode };
  for (const [key, value] of details.subfields) extra[`details_${key}`] = value;
  for (const [key, value] of details.sepa) if (key !== '') extra[`sepa_${key.toLowerCase()}`] = value;
  // The draft is the reader's own object: completed in place.
  Object.assign(record.extra, extra);
  record.description =
    details.description === '' ? (record.extra.supplementary_details ?? null) : details.description;
  record.counterparty = details.counterparty;
  const endToEnd = details.sepa.get('EREF');
  if (endToEnd !== undefined && endToEnd !== '' && endToEnd.toUpperCase() !== 'NOTPROVIDED')
    record.reference = endToEnd;
}

function readField(cursor: Cursor, field: Mt940Field): void {
  if (field.tag !== '86') cursor.details = null;
  const text = field.lines.join('').trim();
  switch (field.tag) {
    case '20':
      startStatement(cursor);
      cursor.current.statementId = text;
      return;
    case '25':
    case '25P':
      if (cursor.current.records.length > 0) {
        throw new BankFormatError(
          'mt940',
          'MALFORMED_STRUCTURE',
          `:${field.tag}: account identification after statement lines (a damaged :86:?)`,
          field.line,
        );
      }
      cursor.current.account = field.lines[0]?.trim() ?? '';
      return;
    case '28':
    case '28C':
      cursor.info.statementNumber = text;
      return;
    case '60F':
    case '60M':
      // A second opening balance without a new :20: starts the next page of the statement.
      if (
        cursor.current.opening !== null ||
        cursor.current.closing !== null ||
        cursor.current.records.length > 0
      ) {
        const { statementId, account } = cursor.current;
        startStatement(cursor);
        cursor.current.statementId = statementId;
        cursor.current.account = account;
      }
      cursor.current.opening = balanceOrThrow(field);
      cursor.info.openingKind = field.tag === '60F' ? 'F' : 'M';
      cursor.current.currency = cursor.current.opening.currency ?? cursor.current.currency;
      return;
    case '62F':
    case '62M':
      cursor.current.closing = balanceOrThrow(field);
      cursor.info.closingKind = field.tag === '62F' ? 'F' : 'M';
      cursor.current.currency ??= cursor.current.closing.currency;
      cursor.lastRecord = null;
      return;
    case '61':
      readStatementLine(cursor, field);
      return;
    case '86':
      readDetails(cursor, field);
      return;
    case '64':
    case '65': {
      const balance = balanceOrThrow(field);
      const kept = { amount: decimalText(balance.amount), currency: balance.currency, date: balance.date };
      (field.tag === '64' ? cursor.info.available : cursor.info.forwardAvailable).push(kept);
      cursor.lastRecord = null;
      return;
    }
    case 'NS': {
      // German non-SWIFT details: after a :61: they describe it, elsewhere the statement.
      const record = cursor.lastRecord === null ? undefined : cursor.current.records[cursor.lastRecord];
      if (record !== undefined) Object.assign(record.extra, { non_swift: field.lines.join('\n') });
      else cursor.info.otherFields.push({ tag: field.tag, text: field.lines.join('\n') });
      return;
    }
    case '34F':
      // MT942 states no balances: its floor limit carries the account currency.
      cursor.current.currency ??= /^[A-Z]{3}/.exec(text)?.[0] ?? null;
      cursor.info.otherFields.push({ tag: field.tag, text });
      cursor.lastRecord = null;
      return;
    default:
      // :21: :13: :13D: :90D: :90C: carry no movement.
      cursor.info.otherFields.push({ tag: field.tag, text: field.lines.join('\n') });
      cursor.lastRecord = null;
  }
}

/**
 * Reads SWIFT MT940 (customer statement) and MT942 (interim report) files, one or many statements,
 * with or without `{1:}{2:}{4:` envelopes. Movements take the currency of their statement's balances.
 */
export function readMt940(content: Uint8Array): Mt940ReadResult {
  const text = decodeText(content);
  if (text.trim() === '') throw new BankFormatError('mt940', 'EMPTY_FILE', 'the file is empty', null);
  const cursor: Cursor = {
    drafts: [],
    infos: [],
    info: emptyInfo(),
    current: emptyStatement(),
    errors: [],
    transactionIndex: 0,
    lastRecord: null,
    details: null,
  };
  for (const block of tokenizeMt940(text)) {
    startStatement(cursor);
    for (const field of block) readField(cursor, field);
    cursor.lastRecord = null;
  }
  startStatement(cursor);
  // A movement takes its statement's currency and account, known only once the statement is read.
  for (const draft of cursor.drafts) {
    for (const record of draft.records) {
      record.currency = draft.currency;
      record.account = draft.account;
    }
  }
  return { ...finishStatements('mt940', cursor.drafts, cursor.errors), mt940: cursor.infos };
}
