import {
  appendRecords,
  createCanonicalTable,
  minor,
  openSession,
  type CanonicalRecord,
  type EngineSession,
  type IsoDate,
} from '../../src/index';

/** A test record: only what a case needs; the rest defaults to null. */
export interface TestRecord {
  row: number;
  id?: string | null;
  amount?: bigint | number;
  currency?: string | null;
  date?: string | null;
  valueDate?: string | null;
  reference?: string | null;
  counterparty?: string | null;
  description?: string | null;
  extra?: Record<string, string | null>;
}

export function toCanonical(r: TestRecord): CanonicalRecord {
  return {
    row: r.row,
    externalId: r.id ?? null,
    amount: minor(BigInt(r.amount ?? 0)),
    currency: r.currency === undefined ? 'EUR' : r.currency,
    scale: 2,
    bookingDate: (r.date ?? null) as IsoDate | null,
    valueDate: (r.valueDate ?? null) as IsoDate | null,
    reference: r.reference ?? null,
    counterparty: r.counterparty ?? null,
    description: r.description ?? null,
    account: null,
    extra: r.extra ?? {},
  };
}

/** Opens a one-thread session with both canonical tables filled. Close it in `finally`. */
export async function sessionWith(
  left: readonly TestRecord[],
  right: readonly TestRecord[],
): Promise<EngineSession> {
  const session = await openSession({ threads: 1 });
  await createCanonicalTable(session.connection, 'left');
  await createCanonicalTable(session.connection, 'right');
  await appendRecords(session.connection, 'left', left.map(toCanonical));
  await appendRecords(session.connection, 'right', right.map(toCanonical));
  return session;
}

/** Parses a tiny CSV without quoting (the Blnk fixtures): header names → values. */
export function parseSimpleCsv(text: string, separator = ','): Record<string, string>[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = (lines[0] ?? '').split(separator).map((h) => h.trim());
  return lines.slice(1).map((line) => {
    const cells = line.split(separator);
    return Object.fromEntries(header.map((h, i) => [h, (cells[i] ?? '').trim()]));
  });
}

/** Decimal string → minor units at scale 2, exactly ("100.5" → 10050n). */
export function toMinor(decimal: string): bigint {
  const negative = decimal.startsWith('-');
  const [whole = '0', fraction = ''] = decimal.replace('-', '').split('.');
  const value = BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
  return negative ? -value : value;
}

/** A value read from DuckDB as text (bigints exact, lists as JSON). */
export function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
