/**
 * Header names (lower case, accents removed, punctuation as spaces) by canonical field, in English,
 * German, French, Spanish, Dutch, Italian and Portuguese. Words that mean different things in
 * different languages ("valuta": value date in German, currency in Dutch and Italian) are listed under
 * both fields; the values decide.
 */
export const HEADER_SYNONYMS = {
  external_id: [
    'id', 'transaction id', 'txn id', 'tx id', 'external id', 'ext id', 'uuid', 'transaction number', 'transaktions id',
    'transaktionsnummer', 'buchungs id', 'identifiant', 'id transaction', 'numero operation', 'id operacion',
    'numero de operacion', 'transactie id', 'transactienummer', 'id transazione', 'id transacao', 'record id', 'entry id',
  ],
  amount: [
    'amount', 'amt', 'transaction amount', 'net amount', 'gross amount', 'sum', 'betrag', 'umsatz', 'betrag eur',
    'buchungsbetrag', 'montant', 'montant eur', 'importe', 'monto', 'bedrag', 'bedrag eur', 'importo', 'valor', 'quantia', 'amount eur',
    'amount usd',
  ],
  debit: [
    'debit', 'debits', 'debit amount', 'withdrawal', 'withdrawals', 'paid out', 'money out', 'outflow', 'soll', 'lastschrift',
    'ausgang', 'ausgaben', 'belastung', 'debit eur', 'cargo', 'cargos', 'debe', 'af', 'debet', 'addebito', 'addebiti', 'dare',
    'debito', 'saida', 'saidas',
  ],
  credit: [
    'credit', 'credits', 'credit amount', 'deposit', 'deposits', 'paid in', 'money in', 'inflow', 'haben', 'gutschrift', 'eingang',
    'einnahmen', 'credit eur', 'abono', 'abonos', 'haber', 'bij', 'accredito', 'accrediti', 'avere', 'credito', 'entrada', 'entradas',
  ],
  direction: [
    'debit credit', 'dr cr', 'd c', 'cd', 'dc', 'credit debit indicator', 'cdtdbtind', 'soll haben', 's h', 'sens', 'af bij',
    'direction', 'debit credit indicator', 'dare avere', 'tipo movimiento', 'type',
  ],
  currency: [
    'currency', 'ccy', 'cur', 'curr', 'currency code', 'wahrung', 'waehrung', 'devise', 'monnaie', 'moneda', 'divisa', 'valuta',
    'munt', 'moeda',
  ],
  booking_date: [
    'date', 'booking date', 'transaction date', 'posting date', 'post date', 'trans date', 'txn date', 'created at', 'timestamp',
    'buchungsdatum', 'buchungstag', 'datum', 'buchung', 'date operation', 'date d operation', 'date comptable', 'date de l operation',
    'fecha', 'fecha operacion', 'fecha contable', 'fecha de operacion', 'boekdatum', 'transactiedatum', 'boekingsdatum', 'data',
    'data operazione', 'data contabile', 'data movimento', 'data lancamento', 'data transacao', 'data registrazione',
  ],
  value_date: [
    'value date', 'valuta', 'valutadatum', 'wertstellung', 'valuta datum', 'date de valeur', 'date valeur', 'fecha valor',
    'fecha de valor', 'rentedatum', 'data valuta', 'data valor', 'settlement date', 'effective date',
  ],
  reference: [
    'reference', 'ref', 'payment reference', 'end to end id', 'endtoendid', 'referenz', 'kundenreferenz', 'mandatsreferenz',
    'referencia', 'referentie', 'kenmerk', 'betalingskenmerk', 'riferimento', 'invoice', 'invoice number', 'invoice no',
    'rechnungsnummer', 'numero de facture', 'reference number',
  ],
  counterparty: [
    'counterparty', 'payee', 'payer', 'beneficiary', 'name', 'merchant', 'customer', 'vendor', 'auftraggeber', 'empfanger',
    'auftraggeber empfanger', 'begunstigter', 'zahlungsempfanger', 'name zahlungsbeteiligter', 'contrepartie', 'beneficiaire',
    'tiers', 'contraparte', 'beneficiario', 'ordenante', 'naam', 'tegenpartij', 'naam tegenpartij', 'controparte', 'favorecido',
  ],
  description: [
    'description', 'memo', 'details', 'narrative', 'purpose', 'remittance information', 'verwendungszweck',
    'beschreibung', 'libelle', 'libelle operation', 'descriptif', 'concepto', 'descripcion', 'omschrijving', 'mededelingen',
    'descrizione', 'causale', 'descricao', 'historico', 'text',
  ],
  account: [
    'account', 'account number', 'account no', 'iban', 'konto', 'kontonummer', 'compte', 'numero de compte', 'cuenta',
    'rekening', 'rekeningnummer', 'conto', 'conta',
  ],
} as const satisfies Record<string, readonly string[]>;

/** A canonical field detection can propose a column for. */
export type DetectableField = keyof typeof HEADER_SYNONYMS;

/** Lower case, accents removed, everything but letters and digits as single spaces. */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** How well a header names a field: 1 for a listed name, 0.6 when a listed name is a whole word in it. */
export function headerScore(header: string, field: DetectableField): number {
  const name = normaliseHeader(header);
  const synonyms: readonly string[] = HEADER_SYNONYMS[field];
  if (synonyms.includes(name)) return 1;
  const padded = ` ${name} `;
  const partial = synonyms.some((synonym) => synonym.length > 2 && padded.includes(` ${synonym} `));
  return partial ? 0.6 : 0;
}
