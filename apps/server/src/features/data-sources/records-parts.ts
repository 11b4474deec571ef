import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { EngineSession } from '@recon/engine';
import { exportRecords, recordRowBounds, type RowRange } from './records-csv';

/**
 * Row numbers per exported part. At 1M rows DuckDB wrote the whole CSV in 1.1–1.7 s before PostgreSQL's
 * COPY could start; in parts, COPY starts after the first (~0.15 s) and reads each part while DuckDB
 * writes the next.
 */
export const PART_ROWS = 100_000n;

export interface RecordParts {
  /** The CSV bytes of every part in row order, each read once DuckDB has written it. */
  readonly stream: Readable;
  /** Settles when DuckDB has written every part (rejects with the first failure): the session is idle. */
  readonly exported: Promise<void>;
}

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
): Promise<RecordParts> {
  const parts = ranges(await recordRowBounds(session), partRows).map((rows, index) => ({
    rows,
    file: path.join(folder, `records-${String(index)}.csv`),
  }));
  const written: Promise<void>[] = [];
  let chain = Promise.resolve();
  for (const part of parts) {
    chain = chain.then(() => exportRecords(session, dataSourceId, part.file, part.rows));
    // Each is awaited by the stream, or not at all when the COPY fails first.
    chain.catch(() => undefined);
    written.push(chain);
  }
  async function* bytes(): AsyncGenerator<Buffer> {
    for (const [index, part] of parts.entries()) {
      await written[index];
      const size = statSync(part.file).size;
      let seen = 0;
      for await (const chunk of createReadStream(part.file)) {
        const buffer = chunk as Buffer;
        seen += buffer.length;
        onFraction((index + (size === 0 ? 1 : seen / size)) / parts.length);
        yield buffer;
      }
    }
  }
  return { stream: Readable.from(bytes(), { objectMode: false }), exported: chain };
}
