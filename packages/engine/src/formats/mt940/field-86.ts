/** What the reader takes from a `:86:` information field. */
export interface Details {
  raw: string;
  /** `?NN` subfields when the bank uses the structured (German/Polish) layout, else empty. */
  subfields: ReadonlyMap<string, string>;
  transactionCode: string | null;
  description: string;
  counterparty: string | null;
}

// Structured layout: a three-digit transaction code, then `?NN` subfields. Lines wrap at 65 characters,
// even inside a subfield key, so the lines are joined without a separator before splitting.
const STRUCTURED = /^(\d{3})\s*\?\d{2}/;

/**
 * Reads `:86:` details: always keeps the raw text (lines joined by `\n`); when structured, the purpose
 * (?20–?29, ?60–?63) becomes the description and the name (?32, ?33) the counterparty.
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
  return {
    raw,
    subfields,
    transactionCode: head[1] ?? null,
    description: purpose === '' ? (subfields.get('00') ?? '') : purpose,
    counterparty: name === '' ? null : name,
  };
}
