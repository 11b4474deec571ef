import type { RowError } from '../../core/canonical';
import type { BankReadResult, StatementFinding } from '../../core/statement';
import { BankFormatError } from '../shared/bank-format.error';
import { decimalText } from '../shared/decimal';
import {
  emptyStatement,
  finishStatements,
  type DraftBalance,
  type DraftRecord,
  type DraftStatement,
} from '../shared/statement-builder';
import { decodeText } from '../shared/text';
import { dateOf, readEntry, signedAmount } from './camt-entry';
import {
  child,
  children,
  descendant,
  parseXml,
  textAt,
  XmlSyntaxError,
  type XmlElement,
  type XmlElementHandler,
} from './xml-tree';

/** A balance exactly as the CAMT file states it (every type, not only opening and closing). */
export interface CamtBalance {
  /** ISO balance type code: OPBD, PRCD, CLBD, CLAV, ITBD, FWAV... (or the proprietary code). */
  type: string;
  amount: string;
  currency: string | null;
  date: string | null;
}

/** CAMT specifics of one statement, aligned by index with `statements`. */
export interface CamtStatementInfo {
  message: 'camt.052' | 'camt.053' | 'camt.054';
  version: number;
  balances: CamtBalance[];
}

/** The CAMT reader's result: the common bank result plus every stated balance. */
export interface CamtReadResult extends BankReadResult {
  camt: CamtStatementInfo[];
}

const MESSAGES = {
  BkToCstmrAcctRpt: { message: 'camt.052', record: 'Rpt' },
  BkToCstmrStmt: { message: 'camt.053', record: 'Stmt' },
  BkToCstmrDbtCdtNtfctn: { message: 'camt.054', record: 'Ntfctn' },
} as const;

const RECORD_NAMES = new Set<string>(Object.values(MESSAGES).map((m) => m.record));

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:camt\.05[234]\.001\.(\d{2})$/;

function isMessageName(name: string): name is keyof typeof MESSAGES {
  return Object.hasOwn(MESSAGES, name);
}

function readBalance(element: XmlElement): { type: string; balance: DraftBalance } | null {
  const tp = child(element, 'Tp');
  const type =
    textAt(descendant(tp, 'CdOrPrtry') ?? tp, 'Cd') ??
    textAt(descendant(tp, 'CdOrPrtry') ?? tp, 'Prtry') ??
    '';
  const signed = signedAmount(element);
  if ('error' in signed) return null;
  return {
    type,
    balance: { amount: signed.amount, currency: signed.currency, date: dateOf(child(element, 'Dt')).date },
  };
}

function parseDocument(content: Uint8Array, onClose: XmlElementHandler): XmlElement {
  try {
    return parseXml(decodeText(content), onClose);
  } catch (error) {
    if (error instanceof XmlSyntaxError)
      throw new BankFormatError('camt', 'XML_INVALID', `not well-formed XML: ${error.message}`, error.line);
    throw error;
  }
}

/**
 * Reads ISO 20022 bank-to-customer cash management messages: camt.052 (account report), camt.053
 * (statement) and camt.054 (debit/credit notification), versions 001.01 to 001.08 and later ones of the
 * same shape. One record per `<Ntry>`, or one per `TxDtls` of a batch entry whose details add up to it
 * (otherwise one record and a statement finding); opening = OPBD (else PRCD), closing = CLBD; only booked entries
 * count toward the balance check.
 */
export function readCamt(content: Uint8Array): CamtReadResult {
  // Entries are read as soon as they close and dropped from the tree: memory stays near the records'.
  const entries = new Map<XmlElement, { records: DraftRecord[]; findings: StatementFinding[] }>();
  const errors: RowError[] = [];
  let row = 0;
  let entryIndex = 0;
  const root = parseDocument(content, (element, parent) => {
    if (element.name !== 'Ntry' || parent === undefined || !RECORD_NAMES.has(parent.name)) return false;
    entryIndex += 1;
    const read = readEntry(element, row + 1, entryIndex);
    // Rows number records (a split batch takes one per TxDtls) and rejected entries alike, so they stay unique.
    row += Math.max(1, read.records.length);
    if (read.error !== null) errors.push(read.error);
    const list = entries.get(parent) ?? { records: [], findings: [] };
    list.records.push(...read.records);
    if (read.finding !== null) list.findings.push(read.finding);
    entries.set(parent, list);
    return true;
  });
  const version = NAMESPACE.exec(root.namespace);
  if (root.name !== 'Document' || version === null) {
    throw new BankFormatError(
      'camt',
      'NOT_THIS_FORMAT',
      `root is <${root.name}> in namespace "${root.namespace}", not an ISO 20022 camt.052/053/054 Document`,
    );
  }
  const messageElement = root.children[0];
  // Version 1 suffixes the message element (`BkToCstmrAcctRptV01`).
  const messageName = messageElement?.name.replace(/V\d{2}$/, '') ?? 'none';
  if (messageElement === undefined || !isMessageName(messageName)) {
    throw new BankFormatError('camt', 'NOT_THIS_FORMAT', `unknown message <${messageName}> in Document`);
  }
  const kind = MESSAGES[messageName];
  const records = children(messageElement, kind.record);
  if (records.length === 0)
    throw new BankFormatError(
      'camt',
      'MALFORMED_STRUCTURE',
      `<${messageElement.name}> holds no <${kind.record}>`,
    );

  const drafts: DraftStatement[] = [];
  const infos: CamtStatementInfo[] = [];
  for (const record of records) {
    const draft = emptyStatement();
    const info: CamtStatementInfo = { message: kind.message, version: Number(version[1]), balances: [] };
    draft.statementId = textAt(record, 'Id');
    const acct = child(record, 'Acct');
    draft.account =
      textAt(acct, 'Id', 'IBAN') ?? textAt(acct, 'Id', 'Othr', 'Id') ?? textAt(acct, 'Id', 'PrtryAcct', 'Id');
    draft.currency = textAt(acct, 'Ccy');
    for (const element of children(record, 'Bal')) {
      const read = readBalance(element);
      if (read === null)
        throw new BankFormatError(
          'camt',
          'MALFORMED_STRUCTURE',
          `statement ${draft.statementId ?? '?'}: a <Bal> has no readable amount and indicator`,
        );
      info.balances.push({
        type: read.type,
        amount: decimalText(read.balance.amount),
        currency: read.balance.currency,
        date: read.balance.date,
      });
      if (read.type === 'OPBD' || (read.type === 'PRCD' && draft.opening === null))
        draft.opening = read.balance;
      if (read.type === 'CLBD') draft.closing = read.balance;
    }
    draft.records = entries.get(record)?.records ?? [];
    draft.findings = entries.get(record)?.findings ?? [];
    for (const entry of draft.records) entry.account = draft.account;
    draft.currency ??= draft.opening?.currency ?? draft.records[0]?.currency ?? null;
    // Pending or informational entries are reported but are not on the booked balance.
    draft.isBooked = (r) => r.extra.status === null || r.extra.status === 'BOOK';
    drafts.push(draft);
    infos.push(info);
  }
  return { ...finishStatements('camt', drafts, errors), camt: infos };
}
