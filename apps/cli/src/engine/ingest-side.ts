import { stat } from 'node:fs/promises';
import {
  columnMappingSchema,
  IngestError,
  ingestFile,
  type ColumnMapping,
  type EngineSession,
  type IngestResult,
  type Side,
} from '@recon/engine';
import { CliError } from '../cli-error';
import { readJsonFile } from '../json-file';

/** One input file of a run and the flag it came from (for messages). */
export interface SideInput {
  side: Side;
  path: string;
  flag: string;
  mappingPath?: string | undefined;
  mappingFlag?: string;
  /** Free the raw text table once the records are loaded (batch runs). */
  dropRaw?: boolean;
  /** `false` skips the column profile when a mapping is given (runs that do not show it). */
  profile?: boolean;
}

async function assertReadableFile(path: string, flag: string): Promise<void> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CliError(`${flag}: ${path} is not a file`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${flag}: file not found: ${path}`);
  }
}

/**
 * Reads one file into the session's canonical table for its side. File-level problems (missing file,
 * unsupported format, bad mapping) become CliErrors naming the flag and file; row errors are returned.
 */
export async function ingestSide(
  session: EngineSession,
  input: SideInput,
  onProgress?: (phase: string, fraction: number) => void,
  signal?: AbortSignal,
): Promise<IngestResult> {
  await assertReadableFile(input.path, input.flag);
  const mapping =
    input.mappingPath === undefined
      ? undefined
      : await readMapping(input.mappingPath, input.mappingFlag ?? '--map');
  try {
    return await ingestFile(
      session,
      input.side,
      {
        path: input.path,
        ...(mapping ? { mapping } : {}),
        // Detection needs the profile, so it is skipped only when a mapping is given.
        profile: mapping === undefined || input.profile !== false,
        dropRaw: input.dropRaw ?? false,
      },
      { ...(onProgress ? { onProgress } : {}), ...(signal ? { signal } : {}) },
    );
  } catch (error) {
    if (error instanceof IngestError) {
      throw new CliError(`${input.flag} ${input.path}: ${error.message} [${error.code}]`, ingestHints(error));
    }
    throw error;
  }
}

async function readMapping(path: string, flag: string): Promise<ColumnMapping> {
  const parsed = columnMappingSchema.safeParse(await readJsonFile(path, flag));
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map(
    (issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
  );
  throw new CliError(`${flag}: ${path} is not a valid column mapping`, details);
}

function ingestHints(error: IngestError): string[] {
  if (error.code === 'MAPPING_INCOMPLETE' || error.code === 'MAPPING_COLUMN_NOT_FOUND') {
    const columns = error.details.columns;
    const names = Array.isArray(columns) ? columns.map(String).join(', ') : null;
    return [
      ...(names ? [`columns in the file: ${names}`] : []),
      'give a mapping with --map-left / --map-right (see `recon inspect FILE`)',
    ];
  }
  return [];
}

/** Human lines summarising a side's row errors: counts, then the first few with row, column and raw value. */
export function rowErrorLines(label: string, result: IngestResult, limit = 5): string[] {
  if (result.errorCount === 0) return [];
  const head = `${label}: ${result.rejectedRowCount} of ${result.rowCount} rows rejected (${result.errorCount} row errors)`;
  const shown = result.errors.slice(0, limit).map((e) => {
    const raw = e.raw === null ? 'empty' : JSON.stringify(e.raw);
    return `  row ${e.row}, column "${e.column}", value ${raw}: ${e.code}: ${e.message}`;
  });
  const more = result.errorCount > limit ? [`  ... and ${result.errorCount - limit} more`] : [];
  return [head, ...shown, ...more];
}
