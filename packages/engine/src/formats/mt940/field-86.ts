/** What the reader takes from a `:86:` information field. */
export interface Details {
  raw: string;
  /** `?NN` subfields when the bank uses the structured (German/Polish) layout, else empty. */
  subfields: ReadonlyMap<string, string>;
  transactionCode: string | null;
  description: string;
  counterparty: string | null;
  /** SEPA keys found in the purpose (`EREF`, `MREF`, `CRED`, `SVWZ`...), values trimmed. */
  sepa: ReadonlyMap<string, string>;
}

// German SEPA purpose keys (DK "Verwendungszweck" convention), each followed by `+`.
const SEPA_KEY = /(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|IBAN|BIC|COAM|OAMT|PURP)\+/g;

/** Splits a purpose into its SEPA keys; text before the first key is returned under the empty key. */
export function splitSepa(purpose: string): Map<string, string> {
  const found = [...purpose.matchAll(SEPA_KEY)];
  const out = new Map<string, string>();
  if (found.length === 0) return out;
  const head = purpose.slice(0, found[0]?.index ?? 0).trim();
  if (head !== '') out.set('', head);
  found.forEach((match, i) => {
    const start = match.index + match[0].length;
    const end = found[i + 1]?.index ?? purpose.length;
    const key = match[1] ?? '';
    if (!out.has(key)) out.set(key, purpose.slice(start, end).trim());
  });
  return out;
}

// Structured layout: a three-digit transaction code, then `?NN` subfields. Lines wrap at 65 characters,
// even inside a subfield key, so the lines are joined without a separator before splitting.
const STRUCTURED = /^(\d{3})\s*\?\d{2}/;

/**
 * Reads `:86:` details: always keeps the raw text (lines joined by `\n`); when structured, the purpose
 * (?20–?29, ?60–?63) becomes the description (its SVWZ part when SEPA keys are present) and the name
 * (?32, ?33) the counterparty.
 */
export function parseDetails(lines: readonly string[]): Details {
  const raw = lines.map((l) => l.trim()).join('\n');
  const joined = lines.map((l) => l.trim()).join('');
  const head = STRUCTURED.exec(joined);
  if (head === null) {
    return {
      raw,
      subfields: new Map(),
      transactionCode: null,
      description: lines
        .map((l) => l.trim())
        .join(' ')
        .trim(),
      counterparty: null,
      sepa: new Map(),
    };
  }
  const subfields = new Map<string, string>();
  for (const part of joined.slice(3).split('?').slice(1)) {
    const key = part.slice(0, 2);
    if (!/^\d{2}$/.test(key)) continue;
    subfields.set(key, `${subfields.get(key) ?? ''}${part.slice(2)}`);
  }
  const pick = (from: number, to: number): string =>
    [...subfields.entries()]
      .filter(([k]) => Number(k) >= from && Number(k) <= to)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, v]) => v)
      .join('');
  const purpose = `${pick(20, 29)}${pick(60, 63)}`.trim();
  const name = pick(32, 33).trim();
  const sepa = splitSepa(purpose);
  // With SEPA keys the remittance text is SVWZ; the keys (EREF, MREF...) are references, not text.
  const text = sepa.size === 0 ? purpose : (sepa.get('SVWZ') ?? sepa.get('') ?? purpose);
  return {
    raw,
    subfields,
    transactionCode: head[1] ?? null,
    description: text === '' ? (subfields.get('00') ?? '') : text,
    counterparty: name === '' ? null : name,
    sepa,
  };
}
