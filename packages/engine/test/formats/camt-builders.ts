/** Small CAMT.053 documents for reader tests, built from strings. */

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A `<Bal>` of type `code` (OPBD, PRCD, CLBD...) in EUR dated 2024-01-31. */
export const balance = (code: string, amount: string, indicator = 'CRDT'): string =>
  `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>${indicator}</CdtDbtInd><Dt><Dt>2024-01-31</Dt></Dt></Bal>`;

/** A camt.053 document (message version `version`) holding one EUR statement `S1` with `body`. */
export const statement = (body: string, version = '02'): Uint8Array =>
  bytes(
    `<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr><Stmt><Id>S1</Id><Acct><Id><IBAN>DE02100100109307118603</IBAN></Id><Ccy>EUR</Ccy></Acct>${body}</Stmt></BkToCstmrStmt></Document>`,
  );
