import type { DataSourceView, RecordView } from '@recon/shared';
import type { DataSourceRow } from './data-sources.repository';
import type { RecordRow } from './records.repository';
import { textOf } from './cell-values';

const asObject = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
const asObjectArray = (value: unknown): Record<string, unknown>[] | null =>
  Array.isArray(value)
    ? value.filter((item): item is Record<string, unknown> => asObject(item) !== null)
    : null;

function failureOf(value: unknown): { code: string; message: string } | null {
  const object = asObject(value);
  if (object === null) return null;
  return { code: textOf(object.code, 'UNKNOWN'), message: textOf(object.message) };
}

export function toDataSourceView(row: DataSourceRow): DataSourceView {
  return {
    id: row.id,
    project_id: row.project_id,
    name: row.name,
    source_key: row.source_key,
    format: row.format,
    size_bytes: Number(row.size_bytes),
    sha256: row.sha256,
    status: row.status,
    progress: row.progress,
    phase: row.phase,
    encoding: row.encoding,
    delimiter: row.delimiter,
    row_count: row.row_count,
    loaded_count: row.loaded_count,
    error_count: row.error_count,
    rejected_row_count: row.rejected_row_count,
    mapping: asObject(row.mapping),
    detected: asObject(row.detected),
    profile: asObjectArray(row.profile),
    statements: asObjectArray(row.statements),
    failure: failureOf(row.failure),
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function parseExtra(text: string): Record<string, unknown> {
  try {
    return asObject(JSON.parse(text)) ?? {};
  } catch {
    return {};
  }
}

export function toRecordView(row: RecordRow): RecordView {
  return {
    row: Number(row.row_no),
    external_id: row.external_id,
    amount_minor: row.amount_minor,
    currency: row.currency,
    scale: row.scale,
    booking_date: row.booking_date,
    value_date: row.value_date,
    reference: row.reference,
    counterparty: row.counterparty,
    description: row.description,
    account: row.account,
    extra: parseExtra(row.extra),
  };
}
