import { z } from 'zod';
import { idSchema } from './common';

/** Ingestion states: queued → ingesting → ready | failed. */
export const dataSourceStatusSchema = z.enum(['queued', 'ingesting', 'ready', 'failed']);

/** A data source (an uploaded file and its canonical records) as the API shows it. */
export const dataSourceViewSchema = z.object({
  id: idSchema,
  project_id: idSchema,
  name: z.string(),
  source_key: z.string(),
  format: z.string(),
  size_bytes: z.number().int(),
  sha256: z.string(),
  status: dataSourceStatusSchema,
  progress: z.number().int(),
  phase: z.string().nullable(),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  row_count: z.number().int().nullable(),
  loaded_count: z.number().int().nullable(),
  error_count: z.number().int().nullable(),
  rejected_row_count: z.number().int().nullable(),
  /** The column mapping used (null for bank formats and before ingestion). */
  mapping: z.record(z.string(), z.unknown()).nullable(),
  /** What detection proposed, with confidence per field. */
  detected: z.record(z.string(), z.unknown()).nullable(),
  profile: z.array(z.record(z.string(), z.unknown())).nullable(),
  statements: z.array(z.record(z.string(), z.unknown())).nullable(),
  failure: z.object({ code: z.string(), message: z.string() }).nullable(),
  created_by: idSchema.nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
/** See {@link dataSourceViewSchema}. */
export type DataSourceView = z.infer<typeof dataSourceViewSchema>;

/** `GET /api/projects/{id}/data-sources`. */
export const dataSourceListSchema = z.object({ items: z.array(dataSourceViewSchema) });

/** Query of the upload route: `source_key` groups uploads of one feed (defaults to the file name). */
export const uploadQuerySchema = z.object({
  source_key: z.string().trim().min(1).max(255).optional(),
});

/** A row error found while reading a file. */
export const rowErrorViewSchema = z.object({
  row: z.number().int(),
  column: z.string(),
  raw: z.string().nullable(),
  code: z.string(),
  message: z.string(),
});

/** Optional filters of the row-error report: one error code and/or one column, exact match. */
export const rowErrorFilterSchema = z.object({
  code: z.string().trim().min(1).max(100).optional(),
  column: z.string().min(1).max(1000).optional(),
});

/**
 * `GET /api/data-sources/{id}/errors`: keyset-paged by `after` (the last `seq` seen), optionally filtered.
 * `total` counts the errors that match the filter.
 */
export const rowErrorPageQuerySchema = rowErrorFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: z.coerce.number().int().min(0).default(0),
});
export const rowErrorPageSchema = z.object({
  items: z.array(rowErrorViewSchema.extend({ seq: z.number().int() })),
  next_after: z.number().int().nullable(),
  total: z.number().int(),
});

/** `GET /api/data-sources/{id}/errors/summary`: how many errors, by code and by column (most first). */
export const rowErrorSummarySchema = z.object({
  total: z.number().int(),
  by_code: z.array(z.object({ code: z.string(), count: z.number().int() })),
  by_column: z.array(z.object({ column: z.string(), count: z.number().int() })),
});
/** See {@link rowErrorSummarySchema}. */
export type RowErrorSummary = z.infer<typeof rowErrorSummarySchema>;

/** A canonical record on the wire; amounts are integer minor units as decimal strings. */
export const recordViewSchema = z.object({
  row: z.number().int(),
  external_id: z.string().nullable(),
  amount_minor: z.string(),
  currency: z.string().nullable(),
  scale: z.number().int(),
  booking_date: z.string().nullable(),
  value_date: z.string().nullable(),
  reference: z.string().nullable(),
  counterparty: z.string().nullable(),
  description: z.string().nullable(),
  account: z.string().nullable(),
  extra: z.record(z.string(), z.unknown()),
});
/** See {@link recordViewSchema}. */
export type RecordView = z.infer<typeof recordViewSchema>;

/** `GET /api/data-sources/{id}/preview`: first rows as parsed, and the first row errors. */
export const previewQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) });
export const previewSchema = z.object({
  /**
   * The first rows as read (all text; the last column is the data row number). Tabular files: the file's
   * columns. Bank formats: the source text each transaction was built from (e.g. the `:61:`/`:86:` lines
   * of MT940, the leaf elements of a CAMT `Ntry`). Null for sources ingested before raw views were kept.
   */
  raw: z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.string().nullable())) }).nullable(),
  records: z.array(recordViewSchema),
  errors: z.array(rowErrorViewSchema),
});
/** See {@link previewSchema}. */
export type PreviewView = z.infer<typeof previewSchema>;

/**
 * `POST /api/data-sources/{id}/mapping/preview`: the stored first rows read with a proposed mapping,
 * without saving it. For display while editing; the ingestion that follows `PUT .../mapping` is the
 * authority. An invalid mapping answers 200 with `issues` (field paths as in the mapping) and no rows.
 */
export const mappingPreviewSchema = z.object({
  issues: z.array(z.object({ field: z.string(), message: z.string() })),
  rows: z.array(
    z.object({
      row: z.number().int(),
      /** The canonical values, or null when the row would be rejected. */
      record: recordViewSchema.omit({ extra: true }).nullable(),
      errors: z.array(rowErrorViewSchema.omit({ row: true })),
    }),
  ),
});
/** See {@link mappingPreviewSchema}. */
export type MappingPreview = z.infer<typeof mappingPreviewSchema>;

/** `PUT /api/data-sources/{id}/mapping`: the engine's column mapping (snake_case), re-ingests. */
export const mappingBodySchema = z.object({ mapping: z.record(z.string(), z.unknown()) });

/** Payload of the ingestion job. */
export const ingestJobPayloadSchema = z.object({ data_source_id: idSchema });
