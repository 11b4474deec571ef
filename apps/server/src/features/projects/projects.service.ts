import { AppError, hasProjectRole, type ProjectRole, type ProjectView } from '@recon/shared';
import type { ProjectAccess } from '../../plugins/project-access.plugin';
import type { Db, DbOrTx } from '../../db/database';
import { appendAuditEntry } from '../audit/audit.repository';
import { auditFor, type Actor } from '../auth/actor';
import { findUserByEmail, findUserById } from '../users/users.repository';
import { definedOnly } from '../../lib/defined-only';
import { publishAccessEvent } from '../../realtime/access-events';
import * as repo from './projects.repository';
import type { FastifyBaseLogger } from 'fastify';
import type { FileStorage } from '../../storage/storage';
import { storedKeysOfProject } from '../data-sources/data-sources.repository';

type ProjectRowWithRole = Awaited<ReturnType<typeof repo.listProjectsOfUser>>[number];
type MemberRow = Awaited<ReturnType<typeof repo.listMembers>>[number];
type AuthedActor = Actor & { userId: string };

function toView(row: ProjectRowWithRole): ProjectView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    my_role: row.my_role,
  };
}

function toMemberView(row: MemberRow) {
  return { ...row, added_at: row.added_at.toISOString() };
}

async function viewFor(db: DbOrTx, projectId: string, userId: string): Promise<ProjectView> {
  const row = await repo.findProjectForUser(db, projectId, userId);
  if (row === undefined) throw new AppError('PROJECT_NOT_FOUND');
  return toView(row);
}

/** Creates a project; its creator becomes its first owner. */
export async function createProject(
  db: Db,
  actor: AuthedActor,
  input: { name: string; description: string },
) {
  return db.transaction().execute(async (trx) => {
    const project = await repo.insertProject(trx, { ...input, created_by: actor.userId });
    await repo.insertMember(trx, {
      project_id: project.id,
      user_id: actor.userId,
      role: 'owner',
      added_by: actor.userId,
    });
    await appendAuditEntry(
      trx,
      auditFor(
        actor,
        'project.created',
        { type: 'project', id: project.id, projectId: project.id },
        { name: project.name },
      ),
    );
    return viewFor(trx, project.id, actor.userId);
  });
}

export async function listProjects(db: Db, userId: string, status?: 'active' | 'archived') {
  return { items: (await repo.listProjectsOfUser(db, userId, status)).map(toView) };
}

export function getProject(db: Db, projectId: string, userId: string) {
  return viewFor(db, projectId, userId);
}

export async function updateProject(
  db: Db,
  actor: AuthedActor,
  projectId: string,
  input: {
    name?: string | undefined;
    description?: string | undefined;
    status?: 'active' | 'archived' | undefined;
  },
) {
  return db.transaction().execute(async (trx) => {
    const changes = definedOnly(input);
    const updated = await repo.updateProject(trx, projectId, changes);
    if (updated === undefined) throw new AppError('PROJECT_NOT_FOUND');
    const action =
      input.status === 'archived'
        ? 'project.archived'
        : input.status === 'active'
          ? 'project.unarchived'
          : 'project.updated';
    await appendAuditEntry(
      trx,
      auditFor(actor, action, { type: 'project', id: projectId, projectId }, changes),
    );
    return viewFor(trx, projectId, actor.userId);
  });
}

/**
 * Deletes the project and (by cascade) everything in it, then its data sources' stored files. A file that
 * cannot be removed is logged and left behind; the project stays deleted.
 */
export async function deleteProject(
  db: Db,
  storage: FileStorage,
  log: FastifyBaseLogger,
  actor: AuthedActor,
  projectId: string,
) {
  const keys = await db.transaction().execute(async (trx) => {
    // Read in the delete's transaction: an ingestion that commits later finds its data source gone and
    // removes its own snapshot.
    const stored = await storedKeysOfProject(trx, projectId);
    await repo.deleteProject(trx, projectId);
    await appendAuditEntry(
      trx,
      auditFor(actor, 'project.deleted', { type: 'project', id: projectId, projectId }),
    );
    // Every API instance empties the project's WebSocket room once this commits.
    await publishAccessEvent(trx, { type: 'project.deleted', project_id: projectId });
    return stored;
  });
  for (const key of keys) {
    await storage.delete(key).catch((error: unknown) => {
      log.warn({ err: error, projectId }, "could not remove a deleted project's stored file");
    });
  }
}

export async function listMembers(db: Db, projectId: string) {
  return { items: (await repo.listMembers(db, projectId)).map(toMemberView) };
}

async function memberView(db: DbOrTx, projectId: string, userId: string) {
  const row = (await repo.listMembers(db, projectId)).find((member) => member.user_id === userId);
  if (row === undefined) throw new AppError('MEMBER_NOT_FOUND');
  return toMemberView(row);
}

export async function addMember(
  db: Db,
  actor: AuthedActor,
  projectId: string,
  input: { user_id?: string | undefined; email?: string | undefined; role: ProjectRole },
) {
  return db.transaction().execute(async (trx) => {
    const user =
      input.user_id !== undefined
        ? await findUserById(trx, input.user_id)
        : input.email !== undefined
          ? await findUserByEmail(trx, input.email)
          : undefined;
    if (user === undefined) throw new AppError('USER_NOT_FOUND');
    const inserted = await repo.insertMember(trx, {
      project_id: projectId,
      user_id: user.id,
      role: input.role,
      added_by: actor.userId,
    });
    if (inserted === undefined) throw new AppError('ALREADY_MEMBER');
    await appendAuditEntry(
      trx,
      auditFor(
        actor,
        'member.added',
        { type: 'user', id: user.id, projectId },
        { role: input.role, email: user.email },
      ),
    );
    return memberView(trx, projectId, user.id);
  });
}

async function assertKeepsAnOwner(trx: DbOrTx, projectId: string, userId: string) {
  const owners = await repo.lockOwners(trx, projectId);
  if (owners.length === 1 && owners[0] === userId) throw new AppError('LAST_OWNER');
}

export async function changeMemberRole(
  db: Db,
  actor: AuthedActor,
  projectId: string,
  userId: string,
  role: ProjectRole,
) {
  return db.transaction().execute(async (trx) => {
    if (role !== 'owner') await assertKeepsAnOwner(trx, projectId, userId);
    const updated = await repo.updateMemberRole(trx, projectId, userId, role);
    if (updated === undefined) throw new AppError('MEMBER_NOT_FOUND');
    await appendAuditEntry(
      trx,
      auditFor(actor, 'member.role_changed', { type: 'user', id: userId, projectId }, { role }),
    );
    return memberView(trx, projectId, userId);
  });
}

/** Owners remove anyone; other members may only remove themselves (leave). */
export async function removeMember(db: Db, actor: AuthedActor, access: ProjectAccess, userId: string) {
  const { projectId } = access;
  if (userId !== actor.userId && !hasProjectRole(access.role, 'owner')) {
    throw new AppError('FORBIDDEN', 'Only owners can remove other members');
  }
  await db.transaction().execute(async (trx) => {
    await assertKeepsAnOwner(trx, projectId, userId);
    const removed = await repo.deleteMember(trx, projectId, userId);
    if (removed === undefined) throw new AppError('MEMBER_NOT_FOUND');
    await appendAuditEntry(
      trx,
      auditFor(actor, 'member.removed', { type: 'user', id: userId, projectId }, { role: removed.role }),
    );
    // Their open sockets stop receiving the project's events on every API instance once this commits.
    await publishAccessEvent(trx, { type: 'member.removed', project_id: projectId, user_id: userId });
  });
}
