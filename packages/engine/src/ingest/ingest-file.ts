import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RowError, Side } from '../core/canonical';
import { recordsTable } from '../core/canonical';
import type { BankFormat, StatementMeta } from '../core/statement';
import { appendRecords, createCanonicalTable, type EngineSession } from '../duck/session';
import { bankReaders } from '../formats/index';
import { detectMapping, type MappingProposal } from './detect-mapping';
import { IngestError } from './ingest-error';
import { columnMappingSchema, type ColumnMapping, type ColumnMappingInput } from './mapping.schema';
import { createErrorsTable, normaliseRaw } from './normalise';
import { profileTable, type ColumnProfile } from './profile-table';
import { errorsTable } from './raw-table';
import { loadJson } from './read-json';
import { dropRaw, loadCsv, loadParquet, type RawLoad } from './read-raw';
import { loadXlsx } from './read-xlsx';
import { countRowErrors, readRowErrors } from './row-errors';
import { assertUniqueRowNumbers } from './row-numbers';
import { SNIFF_BYTES, sniffFormat, type SourceFormat } from './sniff-format';
import type { TextEncodingName } from './text-encoding';

/** What to read and how. Only `path` is required: format, encoding and mapping are detected. */
export interface IngestFileOptions {
  path: string;
  /** Skip sniffing and read as this format. */
  format?: Exclude<SourceFormat, 'unknown' | 'xls'>;
  /** Explicit column mapping (snake_case JSON); detected when absent. */
  mapping?: ColumnMappingInput;
  /** XLSX worksheet name or 1-based position. */
  sheet?: string | number;
  /** 1-based row holding the header (CSV, XLSX). */
  headerRow?: number;
  /** Field delimiter for delimited text, when sniffing should not decide. */
  delimiter?: string;
  /** Row errors returned in the result (all are kept in the session); 100 by default. */
  maxErrors?: number;
  /** Profile every column (the default); `false` skips it, e.g. for batch runs that do not show it. */
  profile?: boolean;
  /**
   * Drop `raw_<side>` (the file as text) once its records are normalised, to free memory for matching;
   * `false` by default, so the raw rows stay available (e.g. for `profileTable` afterwards).
   */
  dropRaw?: boolean;
  /** Where transcoded copies of non-UTF-8 files are written; the OS temp directory by default. */
  tempDirectory?: string;
}

/** Phases reported to `onProgress`, in order. */
export type IngestPhase = 'sniff' | 'read' | 'profile' | 'detect' | 'normalise' | 'done';

/** Progress and cancellation, checked between phases. */
export interface IngestCallbacks {
  onProgress?: (phase: IngestPhase, fraction: number) => void;
  signal?: AbortSignal;
}

/** Outcome of reading one file into `records_<side>`. */
export interface IngestResult {
  format: Exclude<SourceFormat, 'unknown' | 'xls'>;
  encoding: TextEncodingName | null;
  delimiter: string | null;
  /** The mapping used (null for bank formats, which need none). */
  mapping: ColumnMapping | null;
  /** What detection proposed, with confidence per field (null for bank formats and explicit mappings). */
  detected: MappingProposal | null;
  /** Data rows (or transactions) in the file. */
  rowCount: number;
  /** Rows loaded into the canonical table. */
  loadedCount: number;
  /** Row errors; a row can have several. */
  errorCount: number;
  /** Rows not loaded because of at least one error. */
  rejectedRowCount: number;
  /** The first `maxErrors` row errors; page through all with `readRowErrors`. */
  errors: RowError[];
  profile: ColumnProfile[];
  /** Statement metadata and balance checks, for bank formats. */
  statements: StatementMeta[] | null;
  /**
   * Findings about the file as a whole rather than one row (row 0), such as a BAI2 trailer whose control
   * total disagrees with the records. They reject no row, so they are reported here and not in `errors`.
   */
  fileFindings: RowError[];
}

const BANK_FORMATS: ReadonlySet<string> = new Set<BankFormat>(['camt', 'mt940', 'ofx', 'qif', 'bai2']);
const isBankFormat = (format: string): format is BankFormat => BANK_FORMATS.has(format);

async function readHead(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** DuckDB reads UTF-8 and UTF-16 LE itself; every other encoding is first copied to a UTF-8 file. */
async function transcoded(
  path: string,
  encoding: TextEncodingName,
  directory: string,
  temps: string[],
): Promise<string> {
  const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
  const text = new TextDecoder(label).decode(await readFile(path));
  const folder = await mkdtemp(join(directory, 'recon-ingest-'));
  temps.push(folder);
  const target = join(folder, 'utf8.txt');
  await writeFile(target, text, 'utf8');
  return target;
}

async function count(session: EngineSession, sql: string): Promise<number> {
  const reader = await session.connection.runAndReadAll(sql);
  return Number(reader.getRowsJson()[0]?.[0] ?? 0);
}

/**
 * Reads a file into the side's canonical table `records_<side>`: sniffs the format and encoding from
 * the content, loads tabular files through DuckDB's readers into `raw_<side>` (all text), detects or
 * applies the column mapping, and normalises in SQL. Unreadable values become row errors and their rows
 * are not loaded; the caller decides whether to accept the rest. Throws `IngestError` when the file as a
 * whole cannot be read (unsupported or legacy format, mapping naming a missing column, no amount found).
 * @example
 * const result = await ingestFile(session, 'left', { path: 'bank.csv' });
 * if (result.errorCount > 0) console.table(result.errors);
 */
export async function ingestFile(
  session: EngineSession,
  side: Side,
  options: IngestFileOptions,
  callbacks: IngestCallbacks = {},
): Promise<IngestResult> {
  const { signal, onProgress } = callbacks;
  const step = (phase: IngestPhase, fraction: number) => {
    signal?.throwIfAborted();
    onProgress?.(phase, fraction);
  };
  const temps: string[] = [];
  try {
    step('sniff', 0);
    const head = await readHead(options.path);
    if (head.length === 0) throw new IngestError('EMPTY_FILE', 'the file is empty');
    const sniffed = sniffFormat(head, { headerRow: options.headerRow });
    const format = options.format ?? sniffed.format;
    if (format === 'xls') {
      throw new IngestError(
        'LEGACY_XLS',
        'legacy Excel 97-2003 (.xls) workbooks are not supported: save the sheet as .xlsx or CSV',
      );
    }
    if (format === 'unknown')
      throw new IngestError('UNSUPPORTED_FORMAT', 'not a recognised tabular or bank statement format');
    await createErrorsTable(session.connection, side);
    step('read', 0.1);

    if (isBankFormat(format)) return await ingestBank(session, side, format, options, step);

    let encoding: TextEncodingName | null = sniffed.encoding;
    const delimiter = format === 'csv' ? (options.delimiter ?? sniffed.delimiter ?? ',') : null;
    const directory = options.tempDirectory ?? tmpdir();
    let load: RawLoad;
    if (format === 'csv') {
      const csv = async (path: string, duckEncoding: 'utf-8' | 'utf-16') =>
        loadCsv(session.connection, side, path, {
          delimiter: delimiter ?? ',',
          encoding: duckEncoding,
          headerRow: options.headerRow ?? 1,
        });
      const native =
        encoding === null || encoding === 'utf-8' || encoding === 'utf-8-bom' || encoding === 'utf-16le';
      load = native
        ? await csv(options.path, encoding === 'utf-16le' ? 'utf-16' : 'utf-8')
        : await csv(await transcoded(options.path, encoding ?? 'utf-8', directory, temps), 'utf-8');
      if (load.invalidUnicode) {
        // The sample was UTF-8 but a later byte was not: the file is Windows-1252 after all.
        encoding = 'windows-1252';
        await createErrorsTable(session.connection, side);
        load = await csv(await transcoded(options.path, encoding, directory, temps), 'utf-8');
      }
    } else if (format === 'json' || format === 'ndjson') {
      const utf8 = encoding === null || encoding === 'utf-8' || encoding === 'utf-8-bom';
      const path = utf8
        ? options.path
        : await transcoded(options.path, encoding ?? 'utf-8', directory, temps);
      load = await loadJson(
        session.connection,
        side,
        path,
        format === 'json' ? 'array' : 'newline_delimited',
      );
    } else if (format === 'parquet') {
      encoding = null;
      load = await loadParquet(session.connection, side, options.path);
    } else {
      encoding = null;
      load = await loadXlsx(session.connection, side, options.path, {
        sheet: options.sheet,
        headerRow: options.headerRow,
      });
    }
    step('profile', 0.3);
    const profile = options.profile === false ? undefined : await profileTable(session, side);
    step('detect', 0.45);
    // With an explicit mapping detection is skipped: on 1M rows it costs about as much as reading.
    let detected: MappingProposal | null = null;
    let mapping: ColumnMapping;
    if (options.mapping !== undefined) {
      const parsed = columnMappingSchema.safeParse(options.mapping);
      if (!parsed.success) {
        throw new IngestError('MAPPING_INVALID', `the column mapping is not valid: ${parsed.error.message}`, {
          issues: parsed.error.issues,
        });
      }
      mapping = parsed.data;
    } else {
      detected = await detectMapping(session, side, profile);
      if (detected.mapping === null) {
        throw new IngestError(
          'MAPPING_INCOMPLETE',
          'no amount column could be detected; give a column mapping',
          {
            columns: load.columns,
            detected,
          },
        );
      }
      mapping = columnMappingSchema.parse(detected.mapping);
    }
    step('normalise', 0.5);
    await normaliseRaw(session.connection, side, mapping, load.columns);
    await assertUniqueRowNumbers(session.connection, side);
    const loadedCount = await count(session, `SELECT count(*) FROM ${recordsTable(side)}`);
    const counts = await countRowErrors(session, side);
    const errors = await readRowErrors(session, side, { limit: options.maxErrors ?? 100 });
    if (options.dropRaw === true) await dropRaw(session.connection, side);
    step('done', 1);
    return {
      format,
      encoding,
      delimiter,
      mapping,
      detected,
      rowCount: load.rowCount,
      loadedCount,
      errorCount: counts.errors,
      rejectedRowCount: counts.rows,
      errors,
      profile: profile ?? [],
      statements: null,
      fileFindings: [],
    };
  } finally {
    await Promise.all(temps.map((folder) => rm(folder, { recursive: true, force: true })));
  }
}

async function ingestBank(
  session: EngineSession,
  side: Side,
  format: BankFormat,
  options: IngestFileOptions,
  step: (phase: IngestPhase, fraction: number) => void,
): Promise<IngestResult> {
  const reader = bankReaders[format];
  if (reader === undefined)
    throw new IngestError('UNSUPPORTED_FORMAT', `no reader for ${format} files is available`);
  const result = reader(await readFile(options.path));
  step('normalise', 0.5);
  await createCanonicalTable(session.connection, side);
  await appendRecords(session.connection, side, result.records);
  await assertUniqueRowNumbers(session.connection, side);
  const rowErrors = result.errors.filter((error) => error.row > 0);
  if (rowErrors.length > 0) {
    const appender = await session.connection.createAppender(errorsTable(side));
    for (const error of rowErrors) {
      appender.appendBigInt(BigInt(error.row));
      appender.appendVarchar(error.column);
      if (error.raw === null) appender.appendNull();
      else appender.appendVarchar(error.raw);
      appender.appendVarchar(error.code);
      appender.appendVarchar(error.message);
      appender.endRow();
    }
    appender.closeSync();
  }
  step('profile', 0.85);
  const profile = await profileTable(session, side, 'records');
  const counts = await countRowErrors(session, side);
  step('done', 1);
  return {
    format,
    encoding: null,
    delimiter: null,
    mapping: null,
    detected: null,
    rowCount: result.records.length + counts.rows,
    loadedCount: result.records.length,
    errorCount: counts.errors,
    rejectedRowCount: counts.rows,
    errors: await readRowErrors(session, side, { limit: options.maxErrors ?? 100 }),
    profile,
    statements: result.statements,
    fileFindings: result.errors.filter((error) => error.row === 0),
  };
}
