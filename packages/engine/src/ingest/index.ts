export {
  ingestFile,
  type IngestCallbacks,
  type IngestFileOptions,
  type IngestPhase,
  type IngestResult,
} from './ingest-file';
export { IngestError, type IngestErrorCode } from './ingest-error';
export { assertUniqueRowNumbers } from './row-numbers';
export {
  columnMappingSchema,
  mappedColumns,
  DEFAULT_CREDIT_VALUES,
  DEFAULT_DEBIT_VALUES,
  type AmountMapping,
  type ColumnMapping,
  type ColumnMappingInput,
} from './mapping.schema';
export {
  detectMapping,
  CANDIDATE_DATE_FORMATS,
  CANDIDATE_NUMBER_FORMATS,
  type MappingProposal,
} from './detect-mapping';
export { profileTable, type ColumnProfile, type InferredType } from './profile-table';
export { readRowErrors, countRowErrors, type RowErrorPage } from './row-errors';
export {
  sniffFormat,
  detectDelimiter,
  SNIFF_BYTES,
  type SniffResult,
  type SourceFormat,
} from './sniff-format';
export { detectEncoding, decodeText, type TextEncodingName } from './text-encoding';
export { rawTable, errorsTable, ROW_NO } from './raw-table';
export { dropRaw } from './read-raw';
export { ROW_ERROR_MESSAGES } from './normalise';
export { HEADER_SYNONYMS, normaliseHeader, type DetectableField } from './header-synonyms';
export {
  parseAmount,
  MAX_AMOUNT_DIGITS,
  type AmountFormat,
  type DecimalSeparator,
  type ParseOutcome,
  type ThousandsSeparator,
} from '../parse/amount-parse';
export {
  parseDate,
  compileDateFormat,
  TWO_DIGIT_YEAR_PIVOT,
  type CompiledDateFormat,
  type DatePart,
} from '../parse/date-parse';
export { currencyScale, DEFAULT_SCALE } from '../parse/currency-scale';
export { MONTH_NAME_LANGUAGES, monthNameTable, type MonthNameLanguage } from '../parse/month-names';
