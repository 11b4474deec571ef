import { createHash } from 'node:crypto';
import { AppError } from '@recon/shared';
import type { DbOrTx } from '../../db/database';
import { findDataSource } from '../data-sources/data-sources.repository';
import * as carry from './carry-forward.repository';
import * as repo from './jobs.repository';

type Side = 'left' | 'right';
const SIDES: readonly Side[] = ['left', 'right'];

/**
 * Carry-forward: a job takes the still-open exceptions (open, investigating) of an earlier completed job of
 * its project as extra input on each side.
 *
 * Row identity: matches and exceptions name records by (the job's data source, row number), and the engine
 * needs unique row numbers per side. Carried records come from other data sources, so the job runs on a
 * derived data source per side: the chosen source's records with their row numbers unchanged, then the
 * carried records numbered after its last row. `recon_carried_records` maps each appended row to where it
 * came from and when it was first seen. Every reader of records (results, review, analytics, exports)
 * therefore sees carried records like any other, and the inputs of a run stay fixed for reruns.
 */

/** What the API asks for: off, the latest completed job, or a named one. */
export interface CarryRequest {
  readonly carry_forward?: boolean | undefined;
  readonly carry_forward_from_job_id?: string | null | undefined;
}

/** The requested mode, or undefined when carry-forward is off. */
export function carryModeOf(
  input: CarryRequest,
): { mode: 'latest' | 'job'; jobId: string | null } | undefined {
  const from = input.carry_forward_from_job_id ?? null;
  if (from !== null) return { mode: 'job', jobId: from };
  return input.carry_forward === true ? { mode: 'latest', jobId: null } : undefined;
}

/** Refuses a job to carry from that is outside the project or the job itself. */
export async function assertCarrySource(
  db: DbOrTx,
  projectId: string,
  fromJobId: string,
  selfId?: string,
): Promise<void> {
  const from = await repo.findJob(db, fromJobId);
  if (from === undefined || from.project_id !== projectId) {
    throw new AppError('JOB_NOT_FOUND', `No job ${fromJobId} in this project to carry forward from`, {
      errors: [{ in: 'body', field: 'carry_forward_from_job_id', message: 'not found in the project' }],
    });
  }
  if (fromJobId === selfId)
    throw new AppError('VALIDATION_FAILED', 'A job cannot carry forward its own exceptions', {
      errors: [{ in: 'body', field: 'carry_forward_from_job_id', message: 'is the job itself' }],
    });
}

/** Data sources of the job that are derived (not the chosen ones). */
function derivedInputs(job: repo.JobRow, row: carry.CarryRow): string[] {
  return [
    job.source_data_source_id === row.base_source_data_source_id ? undefined : job.source_data_source_id,
    job.target_data_source_id === row.base_target_data_source_id ? undefined : job.target_data_source_id,
  ].filter((id): id is string => id !== undefined);
}

/** Points the job back at its chosen data sources and drops the derived ones. */
async function restoreBase(trx: DbOrTx, job: repo.JobRow, row: carry.CarryRow): Promise<void> {
  const derived = derivedInputs(job, row);
  if (derived.length === 0) return;
  await carry.setJobInputs(trx, job.id, row.base_source_data_source_id, row.base_target_data_source_id);
  await carry.deleteDerivedSources(trx, derived);
}

/**
 * Applies a create/update request's carry-forward settings in the caller's transaction; they take effect
 * when the job is next queued. While the job's current results use derived inputs, those inputs stay
 * until then (the results name their rows); unchanged settings keep the carried set for reruns.
 */
export async function applyCarrySettings(trx: DbOrTx, job: repo.JobRow, input: CarryRequest): Promise<void> {
  if (input.carry_forward === undefined && input.carry_forward_from_job_id === undefined) return;
  const wanted = carryModeOf(input);
  if (wanted !== undefined && wanted.jobId !== null)
    await assertCarrySource(trx, job.project_id, wanted.jobId, job.id);
  const current = await carry.findCarry(trx, job.id);
  if (current === undefined) {
    if (wanted === undefined) return;
    await carry.insertCarry(trx, {
      job_id: job.id,
      mode: wanted.mode,
      requested_job_id: wanted.jobId,
      base_source_data_source_id: job.source_data_source_id,
      base_target_data_source_id: job.target_data_source_id,
    });
    return;
  }
  const keepInputs = derivedInputs(job, current).length > 0;
  if (wanted === undefined && !keepInputs) await carry.deleteCarry(trx, job.id);
  else await carry.updateCarryRequest(trx, job.id, wanted?.mode ?? 'off', wanted?.jobId ?? null, keepInputs);
}

async function chooseOrigin(trx: DbOrTx, job: repo.JobRow, row: carry.CarryRow) {
  if (row.mode === 'latest') {
    const latest = await carry.latestCompletedJob(trx, job.project_id, job.id);
    return latest === undefined ? undefined : repo.findJob(trx, latest.id);
  }
  const from = row.requested_job_id === null ? undefined : await repo.findJob(trx, row.requested_job_id);
  if (from?.project_id !== job.project_id)
    throw new AppError('JOB_NOT_FOUND', 'The job to carry forward from no longer exists');
  if (from.status !== 'completed') {
    throw new AppError(
      'JOB_STATE_CONFLICT',
      `The job to carry forward from is ${from.status}; it must have completed`,
    );
  }
  return from;
}

/**
 * Chooses the carried records when a job is queued for the first time since its carry-forward settings
 * were set, in the caller's (queueing) transaction: builds the derived inputs and points the job at them.
 * Later runs reuse them, so a rerun reproduces the same inputs. Costs one copy of each chosen source's
 * records in PostgreSQL, only on the sides that carry something (1M records: ~12 s, so the start request
 * of a large carry-forward job takes that long).
 */
export async function materialiseCarryForward(trx: DbOrTx, job: repo.JobRow): Promise<void> {
  const row = await carry.findCarry(trx, job.id);
  if (row === undefined || (row.materialised_at !== null && !row.rechoose)) return;
  // The run about to be queued replaces the results that named the old inputs' rows.
  await restoreBase(trx, job, row);
  if (row.mode === 'off') {
    await carry.deleteCarry(trx, job.id);
    return;
  }
  const from = await chooseOrigin(trx, job, row);
  if (from === undefined) {
    await carry.markMaterialised(trx, job.id, { from: null, left: 0, right: 0 });
    return;
  }
  const inputs = { left: row.base_source_data_source_id, right: row.base_target_data_source_id };
  const counts = { left: 0, right: 0 };
  for (const side of SIDES) {
    const fromDataSourceId = side === 'left' ? from.source_data_source_id : from.target_data_source_id;
    const openRows = await carry.openExceptionRows(trx, from.id, side);
    if (openRows.length === 0) continue;
    const base = await findDataSource(trx, inputs[side]);
    if (base === undefined) throw new AppError('DATA_SOURCE_NOT_FOUND');
    await carry.allowLongStatements(trx);
    // Identifies the input as run: the chosen file plus exactly which records were carried from where.
    const sha256 = createHash('sha256')
      .update(JSON.stringify({ base: base.sha256, from: from.id, side, rows: openRows }))
      .digest('hex');
    const name = `${base.name} + ${openRows.length} open from ${from.name}`.slice(0, 255);
    const derivedId = await carry.createDerivedSource(trx, {
      baseId: base.id,
      jobId: job.id,
      side,
      name,
      sha256,
      createdBy: job.created_by,
    });
    counts[side] = await carry.appendCarried(trx, {
      derivedId,
      side,
      fromJobId: from.id,
      fromDataSourceId,
      baseId: base.id,
    });
    await carry.finishDerivedSource(trx, derivedId);
    inputs[side] = derivedId;
  }
  await carry.setJobInputs(trx, job.id, inputs.left, inputs.right);
  await carry.markMaterialised(trx, job.id, {
    from: { id: from.id, name: from.name },
    left: counts.left,
    right: counts.right,
  });
}

/** The derived inputs of a job, to delete after the job itself. */
export async function derivedInputsOf(db: DbOrTx, job: repo.JobRow): Promise<string[]> {
  const row = await carry.findCarry(db, job.id);
  return row === undefined ? [] : derivedInputs(job, row);
}
