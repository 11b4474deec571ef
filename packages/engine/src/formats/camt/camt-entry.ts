import type { IsoDate, RowError } from '../../core/canonical';
import { fromIsoDateTime } from '../shared/dates';
import { negate, parsePlainDecimal, type Decimal } from '../shared/decimal';
import type { DraftRecord } from '../shared/statement-builder';
import { child, children, descendant, textAt, type XmlElement } from './xml-tree';

/** A date group (`<BookgDt><Dt>` or `<DtTm>`) as a calendar date; the bank's local date is kept as written. */
export function dateOf(group: XmlElement | undefined): { date: IsoDate | null; raw: string | null } {
  const raw = textAt(group, 'Dt') ?? textAt(group, 'DtTm');
  return { raw, date: raw === null ? null : fromIsoDateTime(raw) };
}

/** An `<Amt Ccy="EUR">` with `<CdtDbtInd>` beside it: signed (CRDT positive, DBIT negative). */
export function signedAmount(
  owner: XmlElement,
): { amount: Decimal; currency: string | null } | { error: string; column: string; raw: string | null } {
  const amountElement = child(owner, 'Amt');
  const raw = amountElement?.text.trim() ?? null;
  if (raw === null || raw === '') return { error: 'AMOUNT_MISSING', column: 'Amt', raw };
  // ISO 20022 amounts are xs:decimal with a dot; a sign is not allowed (CdtDbtInd carries it).
  const value = /^\d+(\.\d+)?$/.test(raw) ? parsePlainDecimal(raw, '.') : null;
  if (value === null) return { error: 'AMOUNT_INVALID', column: 'Amt', raw };
  const indicator = textAt(owner, 'CdtDbtInd');
  if (indicator !== 'CRDT' && indicator !== 'DBIT')
    return { error: 'DEBIT_CREDIT_CONFLICT', column: 'CdtDbtInd', raw: indicator };
  const currency = amountElement?.attributes.Ccy ?? null;
  return { amount: indicator === 'DBIT' ? negate(value) : value, currency };
}

// v1–v7 put the name right under Dbtr/Cdtr; v8 wraps it in Pty, or names a bank in Agt/FinInstnId.
const partyName = (parties: XmlElement | undefined, role: string): string | null =>
  textAt(parties, role, 'Nm') ??
  textAt(parties, role, 'Pty', 'Nm') ??
  textAt(parties, role, 'Agt', 'FinInstnId', 'Nm');

const partyAccount = (parties: XmlElement | undefined, role: string): string | null =>
  textAt(parties, role, 'Id', 'IBAN') ?? textAt(parties, role, 'Id', 'Othr', 'Id');

const notProvided = (value: string | null): string | null =>
  value === null || value.toUpperCase() === 'NOTPROVIDED' ? null : value;

/** Reads one `<Ntry>` into a draft record, or a row error when its amount or direction cannot be read. */
export function readEntry(entry: XmlElement, row: number, account: string | null): DraftRecord | RowError {
  const signed = signedAmount(entry);
  if ('error' in signed) {
    const code =
      signed.error === 'AMOUNT_MISSING'
        ? 'AMOUNT_MISSING'
        : signed.error === 'AMOUNT_INVALID'
          ? 'AMOUNT_INVALID'
          : 'DEBIT_CREDIT_CONFLICT';
    return {
      row,
      column: signed.column,
      raw: signed.raw,
      code,
      message: `entry ${row}: ${signed.column} is missing or not an ISO 20022 amount/indicator`,
    };
  }
  const booking = dateOf(child(entry, 'BookgDt'));
  const value = dateOf(child(entry, 'ValDt'));
  for (const [column, d] of [
    ['BookgDt', booking],
    ['ValDt', value],
  ] as const) {
    if (d.raw !== null && d.date === null) {
      return {
        row,
        column,
        raw: d.raw,
        code: 'DATE_INVALID',
        message: `entry ${row}: ${column} ${d.raw} is not a date`,
      };
    }
  }
  const details = children(child(entry, 'NtryDtls'), 'TxDtls');
  const tx = details[0];
  const refs = child(tx, 'Refs');
  const parties = child(tx, 'RltdPties');
  const remittance = child(tx, 'RmtInf');
  const unstructured = children(remittance, 'Ustrd')
    .map((u) => u.text.trim())
    .filter((u) => u !== '');
  const creditorRef = textAt(descendant(remittance, 'CdtrRefInf'), 'Ref');
  const isCredit = signed.amount.units >= 0n;
  const endToEnd = notProvided(textAt(refs, 'EndToEndId'));
  const servicerRef = textAt(entry, 'AcctSvcrRef');
  const entryRef = textAt(entry, 'NtryRef');
  const status = textAt(entry, 'Sts') ?? textAt(entry, 'Sts', 'Cd');
  const domain = child(entry, 'BkTxCd', 'Domn');
  const description =
    unstructured.length > 0
      ? unstructured.join(' ')
      : (creditorRef ?? textAt(tx, 'AddtlTxInf') ?? textAt(entry, 'AddtlNtryInf'));
  return {
    row,
    externalId: servicerRef ?? entryRef,
    amount: signed.amount,
    currency: signed.currency,
    bookingDate: booking.date,
    valueDate: value.date,
    reference: endToEnd ?? creditorRef ?? servicerRef ?? entryRef,
    // The other party: who paid us on a credit, whom we paid on a debit.
    counterparty: isCredit
      ? (partyName(parties, 'Dbtr') ?? partyName(parties, 'UltmtDbtr'))
      : (partyName(parties, 'Cdtr') ?? partyName(parties, 'UltmtCdtr')),
    description,
    account,
    extra: {
      status,
      reversal: textAt(entry, 'RvslInd'),
      entry_reference: entryRef,
      account_servicer_reference: servicerRef,
      end_to_end_id: endToEnd,
      message_id: textAt(refs, 'MsgId'),
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
      bank_transaction_proprietary: textAt(entry, 'BkTxCd', 'Prtry', 'Cd'),
      additional_entry_info: textAt(entry, 'AddtlNtryInf'),
      booking_date_raw: booking.raw,
      value_date_raw: value.raw,
      transaction_details_count: String(details.length),
    },
  };
}
