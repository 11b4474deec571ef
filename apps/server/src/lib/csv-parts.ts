import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';

/** One part of an export: the file its writer fills. */
export interface CsvPart {
  readonly file: string;
}

export interface CsvParts {
  /** The bytes of every part in order, each read once its writer has finished it. */
  readonly stream: Readable;
  /**
   * Settles when the writers are done (rejects with the first failure): nothing writes any more. A stream
   * destroyed before its end stops the parts not yet begun, and this rejects.
   */
  readonly exported: Promise<void>;
  /** Milliseconds the stream has waited for a writer once its reader began: the writing it did not hide. */
  waitedMs(): number;
}

/**
 * Writes `parts` one after the other with `write` (one session, one query at a time) and streams their
 * bytes in order as each is finished, so a reader such as PostgreSQL's `COPY ... FROM STDIN` starts on the
 * first part while the next are written. `onFraction` gets the share read so far (counted per part, by
 * bytes within a part), ending at 1.
 *
 * @example
 * const parts = streamCsvParts(ranges.map((r, k) => ({ ...r, file: `${folder}/part-${k}.csv` })),
 *   (part) => exportRange(session, part));
 * await Promise.all([copyFromCsv(tx, table, columns, parts.stream), parts.exported]);
 */
export function streamCsvParts<P extends CsvPart>(
  parts: readonly P[],
  write: (part: P) => Promise<void>,
  onFraction: (fraction: number) => void = () => undefined,
): CsvParts {
  let closed = false;
  let waited = 0;
  const written: Promise<void>[] = [];
  let chain = Promise.resolve();
  for (const part of parts) {
    chain = chain.then(() => {
      if (closed) throw new Error('the parts stream closed before every part was written');
      return write(part);
    });
    // Each is awaited by the stream, or not at all when its reader fails first.
    chain.catch(() => undefined);
    written.push(chain);
  }
  async function* bytes(): AsyncGenerator<Buffer> {
    for (const [index, part] of parts.entries()) {
      const waiting = Date.now();
      await written[index];
      waited += Date.now() - waiting;
      const { size } = await stat(part.file);
      if (size === 0) onFraction((index + 1) / parts.length);
      let seen = 0;
      for await (const chunk of createReadStream(part.file)) {
        const buffer = chunk as Buffer;
        seen += buffer.length;
        onFraction((index + seen / size) / parts.length);
        yield buffer;
      }
    }
  }
  const stream = Readable.from(bytes(), { objectMode: false });
  stream.once('close', () => {
    closed = true;
  });
  return { stream, exported: chain, waitedMs: () => waited };
}
