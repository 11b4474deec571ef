import type { IsoDate } from '../../core/canonical';
import type { Decimal } from '../shared/decimal';
import type { DraftRecord } from '../shared/statement-builder';
import { child, children, descendant, textAt, type XmlElement } from './xml-tree';

// v1–v7 put the name right under Dbtr/Cdtr; v8 wraps it in Pty, or names a bank in Agt/FinInstnId.
const partyName = (parties: XmlElement | undefined, role: string): string | null =>
  textAt(parties, role, 'Nm') ??
  textAt(parties, role, 'Pty', 'Nm') ??
  textAt(parties, role, 'Agt', 'FinInstnId', 'Nm');

const partyAccount = (parties: XmlElement | undefined, role: string): string | null =>
  textAt(parties, role, 'Id', 'IBAN') ?? textAt(parties, role, 'Id', 'Othr', 'Id');

const notProvided = (value: string | null): string | null =>
  value === null || value.toUpperCase() === 'NOTPROVIDED' ? null : value;

/** What a record takes from its `<Ntry>`, whatever `TxDtls` it describes. */
export interface EntryContext {
  entry: XmlElement;
  /** 1-based position of the `<Ntry>` in the file. */
  entryIndex: number;
  amountText: string;
  currency: string | null;
  bookingDate: { date: IsoDate | null; raw: string | null };
  valueDate: { date: IsoDate | null; raw: string | null };
  /** All `TxDtls` of the entry. */
  detailsCount: number;
}

/**
 * One draft record from an entry and (at most) one of its `TxDtls`: references, parties and remittance
 * come from the `TxDtls`; dates, status and bank transaction code from the entry. `transactionIndex` is
 * the 1-based position of `tx` in the entry when the entry was split, else null.
 */
export function draftRecord(
  context: EntryContext,
  tx: XmlElement | undefined,
  row: number,
  amount: Decimal,
  transactionIndex: number | null,
): DraftRecord {
  const { entry } = context;
  const refs = child(tx, 'Refs');
  const parties = child(tx, 'RltdPties');
  const remittance = child(tx, 'RmtInf');
  const unstructured = children(remittance, 'Ustrd')
    .map((u) => u.text.trim())
    .filter((u) => u !== '');
  const creditorRef = textAt(descendant(remittance, 'CdtrRefInf'), 'Ref');
  const isCredit = amount.units >= 0n;
  const endToEnd = notProvided(textAt(refs, 'EndToEndId'));
  const entryServicerRef = textAt(entry, 'AcctSvcrRef');
  // A split transaction may carry its own servicer reference; it identifies it better than the entry's.
  const servicerRef = textAt(refs, 'AcctSvcrRef') ?? entryServicerRef;
  const entryRef = textAt(entry, 'NtryRef');
  const status = textAt(entry, 'Sts') ?? textAt(entry, 'Sts', 'Cd');
  const domain = child(tx, 'BkTxCd', 'Domn') ?? child(entry, 'BkTxCd', 'Domn');
  const description =
    unstructured.length > 0
      ? unstructured.join(' ')
      : (creditorRef ?? textAt(tx, 'AddtlTxInf') ?? textAt(entry, 'AddtlNtryInf'));
  return {
    row,
    externalId: servicerRef ?? entryRef,
    amount,
    currency: context.currency,
    bookingDate: context.bookingDate.date,
    valueDate: context.valueDate.date,
    reference: endToEnd ?? creditorRef ?? servicerRef ?? entryRef,
    // The other party: who paid us on a credit, whom we paid on a debit.
    counterparty: isCredit
      ? (partyName(parties, 'Dbtr') ?? partyName(parties, 'UltmtDbtr'))
      : (partyName(parties, 'Cdtr') ?? partyName(parties, 'UltmtCdtr')),
    description,
    account: null,
    extra: {
      status,
      reversal: textAt(entry, 'RvslInd'),
      entry_reference: entryRef,
      account_servicer_reference: servicerRef,
      entry_account_servicer_reference: entryServicerRef,
      end_to_end_id: endToEnd,
      message_id: textAt(refs, 'MsgId'),
      payment_information_id: textAt(refs, 'PmtInfId'),
      instruction_id: textAt(refs, 'InstrId'),
      transaction_id: textAt(refs, 'TxId'),
      uetr: textAt(refs, 'UETR'),
      mandate_id: textAt(refs, 'MndtId'),
      creditor_reference: creditorRef,
      remittance_unstructured: unstructured.length > 0 ? unstructured.join('\n') : null,
      debtor_name: partyName(parties, 'Dbtr'),
      debtor_account: partyAccount(parties, 'DbtrAcct'),
      creditor_name: partyName(parties, 'Cdtr'),
      creditor_account: partyAccount(parties, 'CdtrAcct'),
      bank_transaction_domain: textAt(domain, 'Cd'),
      bank_transaction_family: textAt(domain, 'Fmly', 'Cd'),
      bank_transaction_subfamily: textAt(domain, 'Fmly', 'SubFmlyCd'),
      bank_transaction_proprietary:
        textAt(tx, 'BkTxCd', 'Prtry', 'Cd') ?? textAt(entry, 'BkTxCd', 'Prtry', 'Cd'),
      additional_entry_info: textAt(entry, 'AddtlNtryInf'),
      booking_date_raw: context.bookingDate.raw,
      value_date_raw: context.valueDate.raw,
      entry_index: String(context.entryIndex),
      entry_amount: context.amountText,
      transaction_details_count: String(context.detailsCount),
      transaction_index: transactionIndex === null ? null : String(transactionIndex),
    },
  };
}
