import { AppError, type JobStatus, type ProjectRole } from '@recon/shared';
import type { Db, DbOrTx } from '../../db/database';
import { EVENT_CHANNELS, publish } from '../../events/event-bus';
import { RECONCILE_JOB } from '../../queue/job-types';
import type { ReconDeps } from '../../queue/recon-deps';
import { assertProjectRole } from '../../plugins/project-access.plugin';
import { appendAuditEntry } from '../audit/audit.repository';
import { auditFor, type Actor } from '../auth/actor';
import { findDataSource } from '../data-sources/data-sources.repository';
import { validRules } from '../rule-sets/rule-set-validation';
import { findRuleSet, findVersion } from '../rule-sets/rule-sets.repository';
import { carriesOf, deleteDerivedSources, findCarry } from './carry-forward.repository';
import {
  applyCarrySettings,
  derivedInputsOf,
  materialiseCarryForward,
  type CarryRequest,
} from './carry-forward';
import { EDITABLE_STATUSES, nextStatus, type JobEvent } from './job-status';
import { decodeCursor, encodeCursor, toJobView } from './job-view';
import * as repo from './jobs.repository';

type AuthedActor = Actor & { userId: string };

/** The API view of a job, with its carry-forward settings. */
async function viewOf(db: DbOrTx, row: repo.JobRow) {
  return toJobView(row, await findCarry(db, row.id));
}

/** Loads a job the user may access with `minRole`; another project's job answers 404. */
export async function loadJobForMember(db: Db, userId: string, id: string, minRole: ProjectRole) {
  const row = await repo.findJob(db, id);
  if (row === undefined) throw new AppError('JOB_NOT_FOUND');
  await assertProjectRole(db, userId, row.project_id, minRole, 'JOB_NOT_FOUND');
  return row;
}

async function resolveRules(
  db: DbOrTx,
  projectId: string,
  input: {
    rule_set_id?: string | undefined;
    rule_set_version?: number | undefined;
    rules?: Record<string, unknown> | undefined;
  },
): Promise<{ rule_set_id: string | null; rule_set_version: number | null; rules: string }> {
  if (input.rules !== undefined) {
    if (input.rule_set_id !== undefined)
      throw new AppError('VALIDATION_FAILED', 'Give either rule_set_id or inline rules, not both');
    return { rule_set_id: null, rule_set_version: null, rules: JSON.stringify(validRules(input.rules)) };
  }
  if (input.rule_set_id === undefined) {
    throw new AppError('VALIDATION_FAILED', 'A job needs rules', {
      errors: [{ in: 'body', field: 'rule_set_id', message: 'give rule_set_id or rules' }],
    });
  }
  const set = await findRuleSet(db, input.rule_set_id);
  if (set === undefined || set.project_id !== projectId) throw new AppError('RULE_SET_NOT_FOUND');
  const version = input.rule_set_version ?? set.current_version;
  const row = await findVersion(db, set.id, version);
  if (row === undefined)
    throw new AppError('RULE_SET_NOT_FOUND', `Rule set ${set.id} has no version ${version}`);
  return { rule_set_id: set.id, rule_set_version: version, rules: JSON.stringify(row.rules) };
}

async function assertSourceInProject(
  db: DbOrTx,
  id: string,
  projectId: string,
  field: string,
): Promise<void> {
  const source = await findDataSource(db, id);
  if (source === undefined || source.project_id !== projectId) {
    throw new AppError('DATA_SOURCE_NOT_FOUND', `No data source ${id} in this project`, {
      errors: [{ in: 'body', field, message: 'not found in the project' }],
    });
  }
}

async function publishStatus(db: DbOrTx, row: repo.JobRow): Promise<void> {
  await publish(db, EVENT_CHANNELS.jobs, {
    type: 'job.status',
    job_id: row.id,
    job_name: row.name,
    project_id: row.project_id,
    status: row.status,
    run_no: row.run_no,
  });
}

/** Queues a run of the job in the caller's transaction: the status change and the queue entry commit together. */
async function queueRun(trx: DbOrTx, recon: ReconDeps, id: string, event: 'start' | 'rerun') {
  const current = await repo.lockJob(trx, id);
  if (current === undefined) throw new AppError('JOB_NOT_FOUND');
  nextStatus(current.status, event);
  for (const [sourceId, field] of [
    [current.source_data_source_id, 'source_data_source_id'],
    [current.target_data_source_id, 'target_data_source_id'],
  ] as const) {
    const source = await findDataSource(trx, sourceId);
    if (source?.status !== 'ready') {
      throw new AppError(
        'DATA_SOURCE_NOT_READY',
        `The ${field === 'source_data_source_id' ? 'source' : 'target'} data source is not ingested yet`,
      );
    }
  }
  await materialiseCarryForward(trx, current);
  const runNo = current.run_no + 1;
  const updated = await repo.applyTransition(trx, id, event, {
    run_no: runNo,
    progress: 0,
    phase: 'queued',
    eta_seconds: null,
    failure: null,
    started_at: null,
    finished_at: null,
  });
  if (updated === undefined) throw new AppError('JOB_STATE_CONFLICT');
  await recon.queue.enqueue(trx, RECONCILE_JOB, { job_id: id, run_no: runNo });
  await publishStatus(trx, updated);
  return updated;
}

export async function createJob(
  db: Db,
  recon: ReconDeps,
  actor: AuthedActor,
  input: {
    name: string;
    description: string;
    project_id: string;
    source_data_source_id: string;
    target_data_source_id: string;
    rule_set_id?: string | undefined;
    rule_set_version?: number | undefined;
    rules?: Record<string, unknown> | undefined;
    confidence_threshold?: number | undefined;
    auto_confirm_threshold?: number | undefined;
    start: boolean;
  } & CarryRequest,
) {
  await assertProjectRole(db, actor.userId, input.project_id, 'manager');
  return db.transaction().execute(async (trx) => {
    await assertSourceInProject(trx, input.source_data_source_id, input.project_id, 'source_data_source_id');
    await assertSourceInProject(trx, input.target_data_source_id, input.project_id, 'target_data_source_id');
    const rules = await resolveRules(trx, input.project_id, input);
    let row = await repo.insertJob(trx, {
      project_id: input.project_id,
      name: input.name,
      description: input.description,
      source_data_source_id: input.source_data_source_id,
      target_data_source_id: input.target_data_source_id,
      ...rules,
      confidence_threshold: input.confidence_threshold ?? null,
      auto_confirm_threshold: input.auto_confirm_threshold ?? null,
      created_by: actor.userId,
    });
    await applyCarrySettings(trx, row, input);
    await appendAuditEntry(
      trx,
      auditFor(
        actor,
        'job.created',
        { type: 'job', id: row.id, projectId: row.project_id },
        {
          name: row.name,
          ...(input.carry_forward || input.carry_forward_from_job_id !== undefined
            ? { carry_forward_from_job_id: input.carry_forward_from_job_id ?? 'latest' }
            : {}),
        },
      ),
    );
    if (input.start) row = await queueRun(trx, recon, row.id, 'start');
    return viewOf(trx, row);
  });
}

export async function listJobs(
  db: Db,
  userId: string,
  query: { project_id: string; status?: JobStatus | undefined; limit: number; cursor?: string | undefined },
) {
  await assertProjectRole(db, userId, query.project_id, 'viewer');
  const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  if (query.cursor !== undefined && before === undefined)
    throw new AppError('VALIDATION_FAILED', 'The cursor is not valid');
  const rows = await repo.listJobs(db, {
    projectId: query.project_id,
    status: query.status,
    limit: query.limit,
    before,
  });
  const last = rows.at(-1);
  const carries = await carriesOf(
    db,
    rows.map((r) => r.id),
  );
  const carryOf = new Map(carries.map((c) => [c.job_id, c]));
  return {
    items: rows.map((row) => toJobView(row, carryOf.get(row.id))),
    next_cursor: rows.length === query.limit && last !== undefined ? encodeCursor(last) : null,
  };
}

export async function getJob(db: Db, userId: string, id: string) {
  return viewOf(db, await loadJobForMember(db, userId, id, 'viewer'));
}

export async function updateJob(
  db: Db,
  actor: AuthedActor,
  id: string,
  input: {
    name?: string | undefined;
    description?: string | undefined;
    rule_set_id?: string | undefined;
    rule_set_version?: number | undefined;
    rules?: Record<string, unknown> | undefined;
    confidence_threshold?: number | null | undefined;
    auto_confirm_threshold?: number | null | undefined;
  } & CarryRequest,
) {
  await loadJobForMember(db, actor.userId, id, 'manager');
  return db.transaction().execute(async (trx) => {
    const current = await repo.lockJob(trx, id);
    if (current === undefined) throw new AppError('JOB_NOT_FOUND');
    if (!EDITABLE_STATUSES.includes(current.status))
      throw new AppError(
        'JOB_STATE_CONFLICT',
        `The job is ${current.status}; change it when it has finished`,
      );
    const rules =
      input.rules !== undefined || input.rule_set_id !== undefined
        ? await resolveRules(trx, current.project_id, input)
        : {};
    const changes = Object.fromEntries(
      Object.entries({
        name: input.name,
        description: input.description,
        confidence_threshold: input.confidence_threshold,
        auto_confirm_threshold: input.auto_confirm_threshold,
      }).filter(([, value]) => value !== undefined),
    );
    await applyCarrySettings(trx, current, input);
    const updated = await repo.updateJob(trx, id, { ...changes, ...rules });
    if (updated === undefined) throw new AppError('JOB_NOT_FOUND');
    await appendAuditEntry(
      trx,
      auditFor(
        actor,
        'job.updated',
        { type: 'job', id, projectId: current.project_id },
        {
          ...changes,
          ...('rule_set_version' in rules ? { rule_set_version: rules.rule_set_version } : {}),
          ...(input.carry_forward !== undefined ? { carry_forward: input.carry_forward } : {}),
          ...(input.carry_forward_from_job_id !== undefined
            ? { carry_forward_from_job_id: input.carry_forward_from_job_id }
            : {}),
        },
      ),
    );
    return viewOf(trx, updated);
  });
}

/** start (draft) or rerun (finished): queues a new run. */
export async function runJob(
  db: Db,
  recon: ReconDeps,
  actor: AuthedActor,
  id: string,
  event: 'start' | 'rerun',
) {
  await loadJobForMember(db, actor.userId, id, 'manager');
  return db.transaction().execute(async (trx) => {
    const row = await queueRun(trx, recon, id, event);
    await appendAuditEntry(
      trx,
      auditFor(
        actor,
        `job.${event === 'start' ? 'started' : 'rerun'}`,
        { type: 'job', id, projectId: row.project_id },
        { run_no: row.run_no },
      ),
    );
    return viewOf(trx, row);
  });
}

export async function cancelJob(db: Db, actor: AuthedActor, id: string) {
  await loadJobForMember(db, actor.userId, id, 'manager');
  return db.transaction().execute(async (trx) => {
    const current = await repo.lockJob(trx, id);
    if (current === undefined) throw new AppError('JOB_NOT_FOUND');
    nextStatus(current.status, 'cancel');
    const updated = await repo.applyTransition(trx, id, 'cancel', {
      phase: 'cancelled',
      finished_at: new Date(),
    });
    if (updated === undefined) throw new AppError('JOB_STATE_CONFLICT');
    await publishStatus(trx, updated);
    await appendAuditEntry(
      trx,
      auditFor(actor, 'job.cancelled', { type: 'job', id, projectId: current.project_id }),
    );
    return viewOf(trx, updated);
  });
}

/** Deletes the job and its results; a running attempt finds the job gone and discards its work. */
export async function deleteJob(db: Db, actor: AuthedActor, id: string) {
  await loadJobForMember(db, actor.userId, id, 'manager');
  await db.transaction().execute(async (trx) => {
    const current = await repo.lockJob(trx, id);
    if (current === undefined) throw new AppError('JOB_NOT_FOUND');
    const derived = await derivedInputsOf(trx, current);
    await repo.deleteJob(trx, id);
    await deleteDerivedSources(trx, derived);
    await publish(trx, EVENT_CHANNELS.jobs, {
      type: 'job.deleted',
      job_id: id,
      project_id: current.project_id,
    });
    await appendAuditEntry(
      trx,
      auditFor(
        actor,
        'job.deleted',
        { type: 'job', id, projectId: current.project_id },
        { status: current.status },
      ),
    );
  });
}

/** For the worker: applies a status event and publishes it. Undefined when the job moved on meanwhile. */
export async function transitionJob(
  db: DbOrTx,
  id: string,
  event: JobEvent,
  changes: Parameters<typeof repo.applyTransition>[3] = {},
) {
  const row = await repo.applyTransition(db, id, event, changes);
  if (row !== undefined) await publishStatus(db, row);
  return row;
}
