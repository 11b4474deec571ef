/** Why a whole file was refused (a single bad value is a row error instead). */
export type IngestErrorCode =
  | 'EMPTY_FILE'
  | 'UNSUPPORTED_FORMAT'
  | 'LEGACY_XLS'
  | 'FILE_UNREADABLE'
  | 'SHEET_NOT_FOUND'
  | 'MAPPING_INVALID'
  | 'MAPPING_INCOMPLETE'
  | 'MAPPING_COLUMN_NOT_FOUND'
  | 'ROW_NUMBERS_NOT_UNIQUE';

/** A file-level ingestion failure with a stable code the CLI and API can switch on. */
export class IngestError extends Error {
  override readonly name = 'IngestError';

  constructor(
    readonly code: IngestErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}
