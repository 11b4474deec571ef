import path from 'node:path';
import type { EngineSession } from '@recon/engine';
import { streamCsvParts, type CsvParts } from '../../lib/csv-parts';
import { exportRecords, recordRowBounds, type RowRange } from './records-csv';

/**
 * Row numbers per exported part. At 1M rows DuckDB wrote the whole CSV in 1.1–1.7 s before PostgreSQL's
 * COPY could start; in parts, COPY starts after the first (~0.15 s) and reads each part while DuckDB
 * writes the next.
 */
export const PART_ROWS = 100_000n;

function ranges(bounds: RowRange | undefined, partRows: bigint): RowRange[] {
  if (bounds === undefined) return [{ from: 1n, to: 0n }];
  const parts: RowRange[] = [];
  for (let from = bounds.from; from <= bounds.to; from += partRows) {
    const to = from + partRows - 1n;
    parts.push({ from, to: to < bounds.to ? to : bounds.to });
  }
  return parts;
}

/**
 * Exports the session's records to CSV files in `folder`, one per range of `partRows` row numbers, one
 * after the other on the session's connection, and streams them in order as they are done. `onFraction`
 * gets the share of the bytes read so far (for progress), counted per part.
 */
export async function exportRecordParts(
  session: EngineSession,
  dataSourceId: string,
  folder: string,
  onFraction: (fraction: number) => void,
  partRows = PART_ROWS,
): Promise<CsvParts> {
  const parts = ranges(await recordRowBounds(session), partRows).map((rows, index) => ({
    rows,
    file: path.join(folder, `records-${String(index)}.csv`),
  }));
  return streamCsvParts(
    parts,
    (part) => exportRecords(session, dataSourceId, part.file, part.rows),
    onFraction,
  );
}
