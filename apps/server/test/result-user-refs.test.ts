import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbOrTx } from '../src/db/database';
import { deleteTriggerBodies, expectReportedWhenUndone, foreignKeysBetween } from './support/schema-guards';
import { lockUser } from '../src/db/user-lock';
import { createUserAndLogin, expectProblem, loginAdmin, type Session } from './support/test-app';
import {
  createProject,
  createReconTestApp,
  waitFor,
  type ReconTestContext,
} from './fixtures/recon/recon-test-app';
import { newUsers } from './fixtures/recon/recon-scenario';
import { seedCompletedJob } from './fixtures/security/seed-results';

// recon_matches.updated_by and recon_exceptions.assignee_id have no foreign key to users (migration 0107): a
// statement trigger on users replaces ON DELETE SET NULL, and writers lock the user row. These tests hold both.

// recon_carried_records.assignee_id (migration 0110): the assignee a carried exception keeps.
const USER_REFS = {
  recon_matches: 'updated_by',
  recon_exceptions: 'assignee_id',
  recon_carried_records: 'assignee_id',
} as const;

let ctx: ReconTestContext;
let admin: Session;
let owner: Session;
let deleter: pg.Client;

beforeAll(async () => {
  ctx = await createReconTestApp({ worker: false });
  admin = await loginAdmin(ctx.app);
  ({ owner } = await newUsers(ctx.app, 'owner'));
  deleter = new pg.Client({ connectionString: ctx.db.url });
  await deleter.connect();
});
afterAll(async () => {
  await deleter.end();
  await ctx.close();
});

/** A completed job in a project of `owner` with an analyst and a viewer named after `tag`. */
async function reviewScene(tag: string) {
  const analyst = await createUserAndLogin(ctx.app, admin, `${tag}-analyst@example.com`);
  const viewer = await createUserAndLogin(ctx.app, admin, `${tag}-viewer@example.com`);
  const projectId = await createProject(ctx.app, owner, tag, [
    { email: `${tag}-analyst@example.com`, role: 'analyst' },
    { email: `${tag}-viewer@example.com`, role: 'viewer' },
  ]);
  const jobId = await seedCompletedJob(ctx.db.db, projectId);
  return { analyst, viewer, jobId, base: `/api/reconciliation/jobs/${jobId}` };
}

function assign(session: Session, base: string, side: string, row: number, assigneeId: string) {
  return ctx.app.inject({
    method: 'POST',
    url: `${base}/exceptions/${side}/${row}/assign`,
    headers: session.headers,
    payload: { version: 1, assignee_id: assigneeId },
  });
}

async function updatedBy(jobId: string, matchId: number): Promise<string | null> {
  const row = await ctx.db.db
    .selectFrom('recon_matches')
    .select('updated_by')
    .where('job_id', '=', jobId)
    .where('match_id', '=', String(matchId))
    .executeTakeFirstOrThrow();
  return row.updated_by;
}

async function assignee(jobId: string, side: 'left' | 'right', row: number): Promise<string | null> {
  const found = await ctx.db.db
    .selectFrom('recon_exceptions')
    .select('assignee_id')
    .where('job_id', '=', jobId)
    .where('side', '=', side)
    .where('row_no', '=', String(row))
    .executeTakeFirstOrThrow();
  return found.assignee_id;
}

async function someoneWaitsForALock(): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(ctx.db.db);
      return Number(rows[0]?.n) > 0 ? true : undefined;
    },
    5_000,
    'a session waiting for a row lock',
  );
}

/**
 * What the schema must keep: no foreign key from the bulk result tables to users, and an AFTER DELETE
 * statement trigger on users with a transition table whose function clears each column.
 */
async function schemaProblems(db: DbOrTx): Promise<string[]> {
  const problems = await foreignKeysBetween(db, Object.keys(USER_REFS), ['users']);
  const triggers = (await deleteTriggerBodies(db)).filter((t) => t.table === 'users');
  for (const [table, column] of Object.entries(USER_REFS)) {
    const clears = new RegExp(`UPDATE ${table}\\b[^;]*SET ${column} = NULL`, 'i');
    if (!triggers.some((t) => clears.test(t.body)))
      problems.push(`no AFTER DELETE statement trigger on users clears ${table}.${column}`);
  }
  return problems;
}

describe('deleting a user clears the ids it left in the results', () => {
  it('nulls updated_by and assignee_id of the user deleted through the API, and no one else’s', async () => {
    const { analyst, viewer, jobId, base } = await reviewScene('deleted');
    const confirmed = await ctx.app.inject({
      method: 'POST',
      url: `${base}/matches/3/confirm`,
      headers: analyst.headers,
      payload: { version: 1 },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect((await assign(analyst, base, 'right', 4, viewer.userId)).statusCode).toBe(200);
    expect((await assign(analyst, base, 'left', 4, owner.userId)).statusCode).toBe(200);
    expect(await updatedBy(jobId, 3)).toBe(analyst.userId);
    expect(await assignee(jobId, 'right', 4)).toBe(viewer.userId);

    for (const user of [analyst, viewer]) {
      const deleted = await ctx.app.inject({
        method: 'DELETE',
        url: `/api/users/${user.userId}`,
        headers: admin.headers,
      });
      expect(deleted.statusCode, deleted.body).toBe(200);
    }
    expect(await updatedBy(jobId, 3)).toBeNull();
    expect(await assignee(jobId, 'right', 4)).toBeNull();
    expect(await assignee(jobId, 'left', 4)).toBe(owner.userId);
  });
});

describe('a writer racing a user delete leaves no id of a missing user', () => {
  it('an assignment to a user whose delete is committing answers VALIDATION_FAILED and assigns no one', async () => {
    const { analyst, viewer, jobId, base } = await reviewScene('assignee-race');
    await deleter.query('BEGIN');
    await deleter.query('DELETE FROM users WHERE id = $1', [viewer.userId]);
    // The membership check reads the committed membership; the lock on the user then waits for the delete.
    const assigning = assign(analyst, base, 'right', 4, viewer.userId);
    await someoneWaitsForALock();
    await deleter.query('COMMIT');
    expectProblem(await assigning, 400, 'VALIDATION_FAILED');
    expect(await assignee(jobId, 'right', 4)).toBeNull();
  });

  it('a review decision of a user whose delete is committing answers UNAUTHENTICATED and writes nothing', async () => {
    const { analyst, jobId, base } = await reviewScene('actor-race');
    await deleter.query('BEGIN');
    await deleter.query('DELETE FROM users WHERE id = $1', [analyst.userId]);
    const confirming = ctx.app.inject({
      method: 'POST',
      url: `${base}/matches/3/confirm`,
      headers: analyst.headers,
      payload: { version: 1 },
    });
    await someoneWaitsForALock();
    await deleter.query('COMMIT');
    expectProblem(await confirming, 401, 'UNAUTHENTICATED');
    expect(await updatedBy(jobId, 3)).toBeNull();
  });

  it('a delete waits for a writer holding the user lock, then clears what the writer wrote', async () => {
    const { viewer, jobId } = await reviewScene('writer-first');
    let deleting: Promise<unknown> | undefined;
    await ctx.db.db.transaction().execute(async (trx) => {
      expect(await lockUser(trx, viewer.userId)).toBe(true);
      deleting = deleter.query('DELETE FROM users WHERE id = $1', [viewer.userId]);
      await someoneWaitsForALock();
      await trx
        .updateTable('recon_exceptions')
        .set({ assignee_id: viewer.userId })
        .where('job_id', '=', jobId)
        .where('side', '=', 'right')
        .where('row_no', '=', '4')
        .execute();
    });
    await deleting;
    expect(await assignee(jobId, 'right', 4)).toBeNull();
  });
});

describe('the schema keeps the result tables without foreign keys to users and users with a delete trigger', () => {
  it('has no such foreign key and a trigger clearing both columns', async () => {
    expect(await schemaProblems(ctx.db.db)).toEqual([]);
  });

  it('reports a foreign key that comes back and a trigger that goes (checked in a rolled-back transaction)', async () => {
    await expectReportedWhenUndone(
      ctx.db.db,
      async (trx) => {
        await sql`ALTER TABLE recon_matches ADD FOREIGN KEY (updated_by) REFERENCES users (id)`.execute(trx);
        await sql`DROP TRIGGER users_clear_result_refs ON users`.execute(trx);
      },
      schemaProblems,
      [
        'recon_matches has foreign key recon_matches_updated_by_fkey',
        'no AFTER DELETE statement trigger on users clears recon_matches.updated_by',
        'no AFTER DELETE statement trigger on users clears recon_exceptions.assignee_id',
        'no AFTER DELETE statement trigger on users clears recon_carried_records.assignee_id',
      ],
    );
  });
});
