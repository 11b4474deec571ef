import type { Updateable } from 'kysely';
import type { ProjectRole } from '@recon/shared';
import type { DbOrTx } from '../../db/database';
import type { ProjectsTable } from '../../db/schema';

const projectColumns = [
  'projects.id',
  'projects.name',
  'projects.description',
  'projects.status',
  'projects.created_by',
  'projects.created_at',
  'projects.updated_at',
  'project_members.role as my_role',
] as const;

/** The caller's membership and the project's status, or undefined when not a member (or no such project). */
export function findMembership(db: DbOrTx, projectId: string, userId: string) {
  return db
    .selectFrom('project_members')
    .innerJoin('projects', 'projects.id', 'project_members.project_id')
    .select(['project_members.role', 'projects.status'])
    .where('project_members.project_id', '=', projectId)
    .where('project_members.user_id', '=', userId)
    .executeTakeFirst();
}

export function insertProject(db: DbOrTx, values: { name: string; description: string; created_by: string }) {
  return db.insertInto('projects').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Projects the user belongs to, with the user's role in each. */
export function listProjectsOfUser(db: DbOrTx, userId: string, status?: 'active' | 'archived') {
  let query = db
    .selectFrom('projects')
    .innerJoin('project_members', 'project_members.project_id', 'projects.id')
    .select(projectColumns)
    .where('project_members.user_id', '=', userId)
    .orderBy('projects.created_at', 'desc')
    .orderBy('projects.id');
  if (status !== undefined) query = query.where('projects.status', '=', status);
  return query.execute();
}

export function findProjectForUser(db: DbOrTx, projectId: string, userId: string) {
  return db
    .selectFrom('projects')
    .innerJoin('project_members', 'project_members.project_id', 'projects.id')
    .select(projectColumns)
    .where('projects.id', '=', projectId)
    .where('project_members.user_id', '=', userId)
    .executeTakeFirst();
}

export function updateProject(db: DbOrTx, projectId: string, values: Updateable<ProjectsTable>) {
  return db
    .updateTable('projects')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', projectId)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteProject(db: DbOrTx, projectId: string): Promise<void> {
  await db.deleteFrom('projects').where('id', '=', projectId).execute();
}

export function listMembers(db: DbOrTx, projectId: string) {
  return db
    .selectFrom('project_members')
    .innerJoin('users', 'users.id', 'project_members.user_id')
    .select([
      'project_members.user_id',
      'users.email',
      'users.name',
      'project_members.role',
      'project_members.added_at',
    ])
    .where('project_members.project_id', '=', projectId)
    .orderBy('project_members.added_at')
    .orderBy('users.email')
    .execute();
}

/** Adds a member; undefined when the user is already one. */
export function insertMember(
  db: DbOrTx,
  values: { project_id: string; user_id: string; role: ProjectRole; added_by: string | null },
) {
  return db
    .insertInto('project_members')
    .values(values)
    .onConflict((oc) => oc.columns(['project_id', 'user_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function updateMemberRole(db: DbOrTx, projectId: string, userId: string, role: ProjectRole) {
  return db
    .updateTable('project_members')
    .set({ role })
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}

export function deleteMember(db: DbOrTx, projectId: string, userId: string) {
  return db
    .deleteFrom('project_members')
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}

/** Owners of a project, locked, so two concurrent demotions cannot both leave it without an owner. */
export async function lockOwners(db: DbOrTx, projectId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('project_members')
    .select('user_id')
    .where('project_id', '=', projectId)
    .where('role', '=', 'owner')
    .forUpdate()
    .execute();
  return rows.map((row) => row.user_id);
}

/** Projects where the user is the only owner (a user who is cannot be deleted). */
export async function projectsSolelyOwnedBy(db: DbOrTx, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('project_members as mine')
    .select('mine.project_id')
    .where('mine.user_id', '=', userId)
    .where('mine.role', '=', 'owner')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('project_members as other')
            .select('other.user_id')
            .whereRef('other.project_id', '=', 'mine.project_id')
            .where('other.role', '=', 'owner')
            .whereRef('other.user_id', '!=', 'mine.user_id'),
        ),
      ),
    )
    .execute();
  return rows.map((row) => row.project_id);
}
