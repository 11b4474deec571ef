import { open } from 'node:fs/promises';
import {
  ROW_NO,
  decodeText,
  detectEncoding,
  rawTable,
  type BankFormat,
  type EngineSession,
  type IngestResult,
} from '@recon/engine';
import { bankSourceTexts, SOURCE_LABELS } from './bank-source-text';
import { textOrNull } from './cell-values';

/** Rows kept for the raw view next to the parsed records. */
export const RAW_PREVIEW_ROWS = 50;

// The first transactions of any real statement fit well within this; the file itself can be 100 MB.
const BANK_HEAD_BYTES = 8 * 1024 * 1024;

const BANK_FORMATS: ReadonlySet<string> = new Set<BankFormat>(['camt', 'mt940', 'ofx', 'qif', 'bai2']);
const isBankFormat = (format: string): format is BankFormat => BANK_FORMATS.has(format);

async function readHead(filePath: string, bytes: number): Promise<Uint8Array> {
  const handle = await open(filePath, 'r');
  try {
    const buffer = new Uint8Array(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The raw view stored with a data source (JSON text, or null), shown beside the parsed records:
 * for tabular files the first rows of the raw table (all text); for bank formats the source text each of
 * the first transactions was built from (one column, e.g. the `:61:` and `:86:` fields). In both the last
 * column is the data row number, which is the record's `row`.
 */
export async function rawPreview(
  session: EngineSession,
  result: IngestResult,
  filePath: string,
): Promise<string | null> {
  if (isBankFormat(result.format)) {
    const head = await readHead(filePath, BANK_HEAD_BYTES);
    const texts = bankSourceTexts(result.format, decodeText(head, detectEncoding(head)), RAW_PREVIEW_ROWS);
    return JSON.stringify({
      columns: [SOURCE_LABELS[result.format], ROW_NO],
      rows: texts.map((text, index) => [text, String(index + 1)]),
    });
  }
  if (result.mapping === null) return null;
  const reader = await session.connection.runAndReadAll(
    `SELECT * EXCLUDE (${ROW_NO}), ${ROW_NO} FROM ${rawTable('left')} ORDER BY ${ROW_NO} LIMIT ${RAW_PREVIEW_ROWS}`,
  );
  const columns = reader.columnNames();
  const rows = reader.getRowsJS().map((row) => row.map((cell) => textOrNull(cell)));
  return JSON.stringify({ columns, rows });
}
