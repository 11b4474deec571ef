import type { CarryForwardView, JobView } from '@recon/shared';
import type { CarryRow } from './carry-forward.repository';
import type { JobRow } from './jobs.repository';
import { textOf } from '../data-sources/cell-values';

const asObject = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;

function toCarryView(row: CarryRow): CarryForwardView {
  return {
    enabled: row.mode !== 'off',
    requested_job_id: row.requested_job_id,
    base_source_data_source_id: row.base_source_data_source_id,
    base_target_data_source_id: row.base_target_data_source_id,
    carried_from_job_id: row.carried_from_job_id,
    carried_from_job_name: row.carried_from_job_name,
    carried_left: row.carried_left,
    carried_right: row.carried_right,
    materialised_at: row.materialised_at?.toISOString() ?? null,
    rechoose: row.rechoose,
  };
}

/** The API view of a job; `carry` is its carry-forward settings row, when it has one. */
export function toJobView(row: JobRow, carry?: CarryRow): JobView {
  const failure = asObject(row.failure);
  return {
    id: row.id,
    project_id: row.project_id,
    name: row.name,
    description: row.description,
    source_data_source_id: row.source_data_source_id,
    target_data_source_id: row.target_data_source_id,
    rule_set_id: row.rule_set_id,
    rule_set_version: row.rule_set_version,
    rules: asObject(row.rules) ?? {},
    confidence_threshold: row.confidence_threshold,
    auto_confirm_threshold: row.auto_confirm_threshold,
    status: row.status,
    progress: row.progress,
    phase: row.phase,
    eta_seconds: row.eta_seconds,
    attempt: row.attempt,
    run_no: row.run_no,
    failure:
      failure === null ? null : { code: textOf(failure.code, 'UNKNOWN'), message: textOf(failure.message) },
    provenance: asObject(row.provenance),
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    started_at: row.started_at?.toISOString() ?? null,
    finished_at: row.finished_at?.toISOString() ?? null,
    inputs_changed_at: row.inputs_changed_at?.toISOString() ?? null,
    carry_forward: carry === undefined ? null : toCarryView(carry),
  };
}

/** Opaque keyset cursor over (created_at, id). */
export function encodeCursor(row: JobRow): string {
  return Buffer.from(`${row.created_at.toISOString()}|${row.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } | undefined {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (
    createdAt === undefined ||
    id === undefined ||
    Number.isNaN(Date.parse(createdAt)) ||
    !/^[0-9a-f-]{36}$/.test(id)
  )
    return undefined;
  return { createdAt, id };
}
