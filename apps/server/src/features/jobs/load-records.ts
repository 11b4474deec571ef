import {
  appendRecords,
  createCanonicalTable,
  minor,
  type CanonicalRecord,
  type EngineSession,
  type IsoDate,
  type Side,
} from '@recon/engine';
import type { DbOrTx } from '../../db/database';
import { readRecords, type RecordRow } from '../data-sources/records.repository';

const BATCH = 10_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isIsoDate(value: string | null): value is IsoDate {
  return value !== null && ISO_DATE.test(value);
}

function extraOf(text: string): Record<string, string | null> {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  return Object.fromEntries(
    Object.entries(parsed).map(([key, value]) => [
      key,
      value === null || value === undefined ? null : String(value),
    ]),
  );
}

function toCanonical(row: RecordRow): CanonicalRecord {
  return {
    row: Number(row.row_no),
    externalId: row.external_id,
    amount: minor(BigInt(row.amount_minor)),
    currency: row.currency,
    scale: row.scale,
    bookingDate: isIsoDate(row.booking_date) ? row.booking_date : null,
    valueDate: isIsoDate(row.value_date) ? row.value_date : null,
    reference: row.reference,
    counterparty: row.counterparty,
    description: row.description,
    account: row.account,
    extra: extraOf(row.extra),
  };
}

/** Copies a data source's canonical records from PostgreSQL into the session's `records_<side>`. Returns the count. */
export async function loadSide(
  db: DbOrTx,
  session: EngineSession,
  side: Side,
  dataSourceId: string,
): Promise<number> {
  await createCanonicalTable(session.connection, side);
  let after = '0';
  let count = 0;
  for (;;) {
    const rows = await readRecords(db, dataSourceId, after, BATCH);
    if (rows.length === 0) return count;
    await appendRecords(session.connection, side, rows.map(toCanonical));
    count += rows.length;
    after = rows[rows.length - 1]?.row_no ?? after;
  }
}
