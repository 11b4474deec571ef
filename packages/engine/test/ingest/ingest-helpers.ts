import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach } from 'vitest';
import { openSession, type EngineSession } from '../../src/duck/session';

/** Absolute path of a file in test/fixtures/tabular. */
export const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/tabular/${name}`, import.meta.url));

/** A temporary directory removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'recon-ingest-test-'));
  return {
    dir,
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Canonical records of a side as plain objects (amounts as strings, dates as YYYY-MM-DD). */
export async function readRecords(session: EngineSession, side: 'left' | 'right' = 'left') {
  const reader = await session.connection.runAndReadAll(
    `SELECT row_no::INTEGER AS row, external_id AS id, amount_minor::VARCHAR AS amount, currency, scale,
       booking_date::VARCHAR AS booking, value_date::VARCHAR AS value, reference, counterparty, description, account,
       extra::VARCHAR AS extra FROM records_${side} ORDER BY row_no`,
  );
  return reader.getRowObjectsJson();
}

/**
 * A one-thread session and a temporary directory for each test of the calling file (or `describe`),
 * opened before and closed after every test. `write` puts a file into the directory and returns its path.
 */
export function ingestSandbox(): {
  session: () => EngineSession;
  write: (name: string, text: string) => string;
} {
  let session: EngineSession | undefined;
  let temp: ReturnType<typeof tempDir> | undefined;
  beforeEach(async () => {
    session = await openSession({ threads: 1 });
    temp = tempDir();
  });
  afterEach(() => {
    session?.close();
    temp?.cleanup();
  });
  return {
    session: () => {
      if (session === undefined) throw new Error('ingestSandbox: no test is running');
      return session;
    },
    write: (name, text) => {
      if (temp === undefined) throw new Error('ingestSandbox: no test is running');
      const path = join(temp.dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}
