import type { RowError } from '../../core/canonical';
import type { BankReadResult } from '../../core/statement';
import { BankFormatError } from '../shared/bank-format.error';
import { decimalText } from '../shared/decimal';
import { emptyStatement, finishStatements, type DraftStatement } from '../shared/statement-builder';
import { decodeText } from '../shared/text';
import { ofxDate } from './ofx-date';
import { readOfxBalance, readOfxTransaction } from './ofx-statement';
import { ofxChild, ofxFindAll, ofxText, parseOfxBody, type OfxElement } from './ofx-tree';

/** OFX specifics of one statement, aligned by index with `statements`. */
export interface OfxStatementInfo {
  kind: 'bank' | 'creditcard' | 'investment';
  accountType: string | null;
  bankId: string | null;
  branchId: string | null;
  start: string | null;
  end: string | null;
  /** LEDGERBAL is the statement's closing balance; AVAILBAL is kept here as text. */
  available: string | null;
  /** Investment statements: security trades and other non-cash transactions that were not read. */
  skippedInvestmentTransactions: number;
}

/** The OFX reader's result: the common bank result plus per-statement OFX details. */
export interface OfxReadResult extends BankReadResult {
  ofx: OfxStatementInfo[];
}

const STATEMENTS = { STMTRS: 'bank', CCSTMTRS: 'creditcard', INVSTMTRS: 'investment' } as const;

const isStatementName = (name: string): name is keyof typeof STATEMENTS => Object.hasOwn(STATEMENTS, name);

function bodyOf(text: string): string {
  const at = text.search(/<OFX>/i);
  if (at === -1) throw new BankFormatError('ofx', 'NOT_THIS_FORMAT', 'no <OFX> element found');
  return text.slice(at);
}

// A server error with no statement means the download failed: say so instead of an empty result.
function serverError(root: OfxElement): string | null {
  for (const status of ofxFindAll(root, ['STATUS'])) {
    if (ofxText(status, 'SEVERITY') === 'ERROR')
      return `${ofxText(status, 'CODE') ?? '?'} ${ofxText(status, 'MESSAGE') ?? ''}`.trim();
  }
  return null;
}

function readStatement(
  aggregate: OfxElement,
  startRow: number,
  errors: RowError[],
): { draft: DraftStatement; info: OfxStatementInfo; rows: number } {
  const kind = isStatementName(aggregate.name) ? STATEMENTS[aggregate.name] : 'bank';
  const from =
    ofxChild(aggregate, 'BANKACCTFROM') ??
    ofxChild(aggregate, 'CCACCTFROM') ??
    ofxChild(aggregate, 'INVACCTFROM');
  const draft = emptyStatement();
  draft.currency = ofxText(aggregate, 'CURDEF');
  draft.account = ofxText(from, 'ACCTID');
  const list = ofxChild(aggregate, 'BANKTRANLIST') ?? ofxChild(aggregate, 'INVTRANLIST');
  const where = `statement for account ${draft.account ?? '?'}`;
  draft.closing = readOfxBalance(ofxChild(aggregate, 'LEDGERBAL'), draft.currency, where);
  const available = readOfxBalance(ofxChild(aggregate, 'AVAILBAL'), draft.currency, where);
  let rows = 0;
  let skipped = 0;
  for (const item of list?.children ?? []) {
    let trn: OfxElement | undefined;
    if (item.name === 'STMTTRN') trn = item;
    else if (item.name === 'INVBANKTRAN') trn = ofxChild(item, 'STMTTRN');
    else if (item.name !== 'DTSTART' && item.name !== 'DTEND') skipped += 1;
    if (trn === undefined) continue;
    rows += 1;
    const read = readOfxTransaction(trn, startRow + rows, draft.account, draft.currency);
    if ('code' in read) errors.push(read);
    else draft.records.push(read);
  }
  const start = ofxText(list, 'DTSTART');
  const end = ofxText(list, 'DTEND');
  draft.statementId = [draft.account, start, end].filter((p) => p !== null).join(':') || null;
  return {
    draft,
    rows,
    info: {
      kind,
      accountType: ofxText(from, 'ACCTTYPE'),
      bankId: ofxText(from, 'BANKID') ?? ofxText(from, 'BROKERID'),
      branchId: ofxText(from, 'BRANCHID'),
      start: start === null ? null : ofxDate(start),
      end: end === null ? null : ofxDate(end),
      available: available === null ? null : decimalText(available.amount),
      skippedInvestmentTransactions: skipped,
    },
  };
}

/**
 * Reads OFX 1.x (SGML, unclosed leaf tags, `OFXHEADER:100` block) and 2.x (XML) files: bank statements
 * (STMTRS), credit card statements (CCSTMTRS) and the cash transactions (INVBANKTRAN) of investment
 * statements. LEDGERBAL is the closing balance; OFX states no opening balance, so no balance check.
 */
export function readOfx(content: Uint8Array): OfxReadResult {
  const text = decodeText(content);
  if (text.trim() === '') throw new BankFormatError('ofx', 'EMPTY_FILE', 'the file is empty');
  const root = parseOfxBody(bodyOf(text));
  const aggregates = ofxFindAll(root, Object.keys(STATEMENTS));
  if (aggregates.length === 0) {
    const failure = serverError(root);
    if (failure !== null)
      throw new BankFormatError(
        'ofx',
        'UNSUPPORTED_CONTENT',
        `the OFX server answered with an error and no statement: ${failure}`,
      );
  }
  const drafts: DraftStatement[] = [];
  const infos: OfxStatementInfo[] = [];
  const errors: RowError[] = [];
  let row = 0;
  for (const aggregate of aggregates) {
    const read = readStatement(aggregate, row, errors);
    row += read.rows;
    drafts.push(read.draft);
    infos.push(read.info);
  }
  return { ...finishStatements('ofx', drafts, errors), ofx: infos };
}
