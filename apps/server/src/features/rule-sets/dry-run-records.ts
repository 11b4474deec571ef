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

// The same conversion as the reconcile job's `loadSide` (jobs/load-records.ts), which has no row cap and no
// abort signal; a dry run needs both, so it reads its own bounded batches.
const BATCH = 10_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const isIsoDate = (value: string | null): value is IsoDate => value !== null && ISO_DATE.test(value);

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

/**
 * Copies at most `limit` records of a data source, in file order, into the session's `records_<side>`,
 * checking `signal` between batches. Returns how many were copied.
 */
export async function loadSample(
  db: DbOrTx,
  session: EngineSession,
  side: Side,
  dataSourceId: string,
  limit: number,
  signal: AbortSignal,
): Promise<number> {
  await createCanonicalTable(session.connection, side);
  let after = '0';
  let count = 0;
  while (count < limit) {
    signal.throwIfAborted();
    const rows = await readRecords(db, dataSourceId, after, Math.min(BATCH, limit - count));
    if (rows.length === 0) break;
    await appendRecords(session.connection, side, rows.map(toCanonical));
    count += rows.length;
    after = rows[rows.length - 1]?.row_no ?? after;
  }
  return count;
}
