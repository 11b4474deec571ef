import { AppError } from '@recon/shared';
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { bulkActionSchema } from '@recon/shared';
import type { Db, DbOrTx } from '../../db/database';
import { lockBulkParent } from '../../db/parent-lock';
import type { Database } from '../../db/schema';
import { lockUser } from '../../db/user-lock';
import { assertProjectRole } from '../../plugins/project-access.plugin';
import { appendAuditEntry } from '../audit/audit.repository';
import { auditFor, type Actor } from '../auth/actor';
import { publishRealtime } from '../../realtime/event-fanout';
import { loadJobForMember } from '../jobs/jobs.service';
import type { JobRow } from '../jobs/jobs.repository';
import { matchViews } from '../results/results.service';
import * as repo from './review.repository';

type AuthedActor = Actor & { userId: string };
type Side = 'left' | 'right';
type BulkAction = z.infer<typeof bulkActionSchema>;

interface Scope {
  readonly job: JobRow;
  readonly actor: AuthedActor;
}

/** Review needs the analyst role and a completed job. */
async function scopeOf(db: Db, actor: AuthedActor, jobId: string): Promise<Scope> {
  const job = await loadJobForMember(db, actor.userId, jobId, 'analyst');
  if (job.status !== 'completed')
    throw new AppError('JOB_STATE_CONFLICT', `The job is ${job.status}; review starts when it has completed`);
  return { job, actor };
}

/**
 * Every review action is audited and announced through here: colleagues with the job open get a
 * `data_changed` message (sent on commit, so a rolled-back action announces nothing).
 */
async function audit(
  trx: DbOrTx,
  scope: Scope,
  action: string,
  targetType: string,
  key: string,
  details: Record<string, unknown>,
) {
  await publishRealtime(trx, {
    project_id: scope.job.project_id,
    user_id: null,
    message: {
      type: 'data_changed',
      project_id: scope.job.project_id,
      entity: targetType,
      entity_id: key,
      action,
      job_id: scope.job.id,
      timestamp: new Date().toISOString(),
    },
  });
  await appendAuditEntry(
    trx,
    auditFor(
      scope.actor,
      action,
      { type: targetType, id: `${scope.job.id}:${key}`, projectId: scope.job.project_id },
      details,
    ),
  );
}

/**
 * The actor's id goes into recon_matches.updated_by, which has no foreign key (migration 0107): hold the user
 * row until commit, so a user deleted meanwhile either waits and has the id cleared by its trigger, or is
 * gone here and nothing is written. One indexed lookup per transaction, against an id no one would clear.
 */
async function lockActor(trx: Transaction<Database>, scope: Scope): Promise<void> {
  if (!(await lockUser(trx, scope.actor.userId)))
    throw new AppError('UNAUTHENTICATED', 'Your account no longer exists; nothing was changed');
}

async function staleOrMissingMatch(trx: DbOrTx, jobId: string, matchId: number): Promise<never> {
  const row = await repo.findMatchRow(trx, jobId, matchId);
  if (row === undefined) throw new AppError('MATCH_NOT_FOUND');
  throw new AppError('STALE_VERSION', `The match is at version ${row.version}; reload it and try again`);
}

async function staleOrMissingException(trx: DbOrTx, jobId: string, side: Side, row: number): Promise<never> {
  const found = await repo.findException(trx, jobId, side, row);
  if (found === undefined) throw new AppError('EXCEPTION_NOT_FOUND');
  throw new AppError(
    'STALE_VERSION',
    `The exception is at version ${found.version}; reload it and try again`,
  );
}

type MatchAction = 'confirm' | 'reject' | 'unmatch';

async function decideMatch(
  trx: DbOrTx,
  scope: Scope,
  action: MatchAction,
  matchId: number,
  version: number,
  reason: string | undefined,
) {
  const current = await repo.findMatchRow(trx, scope.job.id, matchId);
  if (current === undefined) throw new AppError('MATCH_NOT_FOUND');
  const allowed = action === 'unmatch' ? ['confirmed', 'suggested'] : ['suggested'];
  if (current.version === version && !allowed.includes(current.status)) {
    throw new AppError('CONFLICT', `Cannot ${action} a match that is ${current.status}`);
  }
  const status = action === 'confirm' ? 'confirmed' : action === 'reject' ? 'rejected' : 'unmatched';
  const updated = await repo.updateMatchAtVersion(trx, scope.job.id, matchId, version, {
    status,
    reason: reason ?? null,
    updated_by: scope.actor.userId,
  });
  if (updated === undefined) return staleOrMissingMatch(trx, scope.job.id, matchId);
  if (status !== 'confirmed') {
    const why = action === 'reject' ? 'suggested match rejected' : 'unmatched by a reviewer';
    await repo.reopenRows(trx, scope.job.id, 'left', updated.left_rows.map(String), why);
    await repo.reopenRows(trx, scope.job.id, 'right', updated.right_rows.map(String), why);
  }
  const verb = action === 'confirm' ? 'confirmed' : action === 'reject' ? 'rejected' : 'unmatched';
  await audit(trx, scope, `match.${verb}`, 'match', String(matchId), {
    version: updated.version,
    ...(reason !== undefined ? { reason } : {}),
  });
  return updated;
}

type ExceptionAction =
  | { type: 'write_off'; code: string; reason: string }
  | { type: 'assign'; assignee_id: string | null }
  | { type: 'status'; status: 'open' | 'investigating' | 'resolved' };

async function changeException(
  trx: Transaction<Database>,
  db: Db,
  scope: Scope,
  side: Side,
  row: number,
  version: number,
  action: ExceptionAction,
) {
  const current = await repo.findException(trx, scope.job.id, side, row);
  if (current === undefined) throw new AppError('EXCEPTION_NOT_FOUND');
  if (current.version === version && current.status === 'matched')
    throw new AppError('CONFLICT', 'The record is in a manual match now');
  let changes;
  if (action.type === 'write_off') {
    changes = { status: 'written_off' as const, write_off_code: action.code };
  } else if (action.type === 'assign') {
    if (action.assignee_id !== null) {
      try {
        await assertProjectRole(db, action.assignee_id, scope.job.project_id, 'viewer');
      } catch {
        throw new AppError('VALIDATION_FAILED', 'The assignee is not a member of the project', {
          errors: [{ in: 'body', field: 'assignee_id', message: 'not a project member' }],
        });
      }
      // No foreign key (migration 0107): a user deleted after the check above must not stay assigned.
      if (!(await lockUser(trx, action.assignee_id)))
        throw new AppError('VALIDATION_FAILED', 'The assignee no longer exists', {
          errors: [{ in: 'body', field: 'assignee_id', message: 'user deleted' }],
        });
    }
    changes = { assignee_id: action.assignee_id };
  } else {
    changes = { status: action.status, write_off_code: null };
  }
  const updated = await repo.updateExceptionAtVersion(trx, scope.job.id, side, row, version, changes);
  if (updated === undefined) return staleOrMissingException(trx, scope.job.id, side, row);
  const name =
    action.type === 'write_off'
      ? 'exception.written_off'
      : action.type === 'assign'
        ? 'exception.assigned'
        : 'exception.status_changed';
  const { type: _type, ...details } = action;
  await audit(trx, scope, name, 'exception', `${side}:${row}`, { ...details, version: updated.version });
  if (action.type === 'assign' && action.assignee_id !== null && action.assignee_id !== scope.actor.userId) {
    await publishRealtime(trx, {
      project_id: null,
      user_id: action.assignee_id,
      message: {
        type: 'notification',
        level: 'info',
        title: 'Exception assigned to you',
        message: `Record ${row} on the ${side} side of job "${scope.job.name}"`,
        project_id: scope.job.project_id,
        job_id: scope.job.id,
        timestamp: new Date().toISOString(),
      },
    });
  }
  return updated;
}

function exceptionView(row: NonNullable<Awaited<ReturnType<typeof repo.findException>>>) {
  return {
    side: row.side,
    row: Number(row.row_no),
    status: row.status,
    assignee_id: row.assignee_id,
    write_off_code: row.write_off_code,
    version: row.version,
    updated_at: row.updated_at.toISOString(),
  };
}

export async function decide(
  db: Db,
  actor: AuthedActor,
  jobId: string,
  action: MatchAction,
  matchId: number,
  version: number,
  reason?: string,
) {
  const scope = await scopeOf(db, actor, jobId);
  const row = await db.transaction().execute(async (trx) => {
    // Reject and unmatch insert exceptions, which have no foreign key to the job (see lockBulkParent).
    await lockBulkParent(trx, 'recon_jobs', jobId);
    await lockActor(trx, scope);
    return decideMatch(trx, scope, action, matchId, version, reason);
  });
  const [view] = await matchViews(db, scope.job, [row]);
  if (view === undefined) throw new AppError('MATCH_NOT_FOUND');
  return view;
}

export async function exceptionAction(
  db: Db,
  actor: AuthedActor,
  jobId: string,
  side: Side,
  row: number,
  version: number,
  action: ExceptionAction,
) {
  const scope = await scopeOf(db, actor, jobId);
  return exceptionView(
    await db.transaction().execute((trx) => changeException(trx, db, scope, side, row, version, action)),
  );
}

/** Matches open exceptions chosen on both sides; the response shows the amount difference. */
export async function manualMatch(
  db: Db,
  actor: AuthedActor,
  jobId: string,
  input: { left_rows: number[]; right_rows: number[]; reason: string },
) {
  const scope = await scopeOf(db, actor, jobId);
  const left = [...new Set(input.left_rows)];
  const right = [...new Set(input.right_rows)];
  const row = await db.transaction().execute(async (trx) => {
    // Serialises manual matches of a job, so match ids and record claims cannot collide; also the lock on
    // the parent that inserting into recon_matches needs (no foreign key, see lockBulkParent).
    const locked = await trx
      .selectFrom('recon_jobs')
      .select('id')
      .where('id', '=', jobId)
      .forUpdate()
      .execute();
    if (locked.length === 0) throw new AppError('JOB_NOT_FOUND');
    await lockActor(trx, scope);
    for (const [side, rows] of [
      ['left', left],
      ['right', right],
    ] as const) {
      const open = await repo.lockOpenExceptions(trx, jobId, side, rows);
      if (open.length !== rows.length) {
        throw new AppError(
          'CONFLICT',
          `Some ${side} records are not open exceptions of this job (matched, written off or unknown)`,
        );
      }
    }
    const leftCurrency = await repo.sharedCurrency(trx, scope.job.source_data_source_id, left);
    const created = await repo.insertManualMatch(trx, {
      job_id: jobId,
      run_no: scope.job.run_no,
      match_id: await repo.nextMatchId(trx, jobId),
      left_rows: `{${left.join(',')}}`,
      right_rows: `{${right.join(',')}}`,
      left_amount: await repo.sumAmounts(trx, scope.job.source_data_source_id, left),
      right_amount: await repo.sumAmounts(trx, scope.job.target_data_source_id, right),
      currency: leftCurrency.currency,
      scale: leftCurrency.scale,
      reason: input.reason,
      updated_by: actor.userId,
    });
    await repo.markMatched(trx, jobId, 'left', left);
    await repo.markMatched(trx, jobId, 'right', right);
    await audit(trx, scope, 'match.manual_created', 'match', created.match_id, {
      left_rows: left,
      right_rows: right,
      reason: input.reason,
    });
    return created;
  });
  const [view] = await matchViews(db, scope.job, [row]);
  if (view === undefined) throw new AppError('MATCH_NOT_FOUND');
  return view;
}

export async function addComment(
  db: Db,
  actor: AuthedActor,
  jobId: string,
  input: { target_type: 'match' | 'exception'; target_key: string; body: string },
) {
  const scope = await scopeOf(db, actor, jobId);
  const row = await db.transaction().execute(async (trx) => {
    const exists =
      input.target_type === 'match'
        ? (await repo.findMatchRow(trx, jobId, Number(input.target_key))) !== undefined
        : await (async () => {
            const [side, rowNo] = input.target_key.split(':');
            return (
              (side === 'left' || side === 'right') &&
              (await repo.findException(trx, jobId, side, Number(rowNo))) !== undefined
            );
          })();
    if (!exists)
      throw new AppError(input.target_type === 'match' ? 'MATCH_NOT_FOUND' : 'EXCEPTION_NOT_FOUND');
    const created = await repo.insertComment(trx, { job_id: jobId, ...input, author_id: actor.userId });
    await audit(trx, scope, 'comment.added', input.target_type, input.target_key, { comment_id: created.id });
    return created;
  });
  return { ...row, created_at: row.created_at.toISOString() };
}

export async function listComments(
  db: Db,
  userId: string,
  jobId: string,
  targetType: 'match' | 'exception',
  targetKey: string,
) {
  await loadJobForMember(db, userId, jobId, 'viewer');
  const rows = await repo.listComments(db, jobId, targetType, targetKey);
  return { items: rows.map((row) => ({ ...row, created_at: row.created_at.toISOString() })) };
}

/** Applies every action in one transaction: any stale version or invalid action rolls back all of them. */
export async function bulk(db: Db, actor: AuthedActor, jobId: string, actions: readonly BulkAction[]) {
  const scope = await scopeOf(db, actor, jobId);
  await db.transaction().execute(async (trx) => {
    await lockBulkParent(trx, 'recon_jobs', jobId);
    await lockActor(trx, scope);
    for (const action of actions) {
      switch (action.type) {
        case 'confirm':
        case 'reject':
          await decideMatch(trx, scope, action.type, action.match_id, action.version, action.reason);
          break;
        case 'unmatch':
          await decideMatch(trx, scope, 'unmatch', action.match_id, action.version, action.reason);
          break;
        case 'write_off':
          await changeException(trx, db, scope, action.side, action.row, action.version, {
            type: 'write_off',
            code: action.code,
            reason: action.reason,
          });
          break;
        case 'assign':
          await changeException(trx, db, scope, action.side, action.row, action.version, {
            type: 'assign',
            assignee_id: action.assignee_id,
          });
          break;
        case 'status':
          await changeException(trx, db, scope, action.side, action.row, action.version, {
            type: 'status',
            status: action.status,
          });
          break;
        default: {
          const exhaustive: never = action;
          throw new AppError('BAD_REQUEST', `unknown action ${JSON.stringify(exhaustive)}`);
        }
      }
    }
  });
  return { applied: actions.length };
}
