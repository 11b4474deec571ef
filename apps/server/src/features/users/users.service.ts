import { AppError, type UserRole, type UserStatus } from '@recon/shared';
import type { Db } from '../../db/database';
import { hashPassword } from '../../lib/crypto';
import { appendAuditEntry } from '../audit/audit.repository';
import { auditFor, type Actor } from '../auth/actor';
import { revokeUserSessions } from '../auth/refresh-tokens.repository';
import { projectsSolelyOwnedBy } from '../projects/projects.repository';
import { toUserView } from './user-view';
import { definedOnly } from '../../lib/defined-only';
import { publishAccessEvent } from '../../realtime/access-events';
import * as repo from './users.repository';

type AuthedActor = Actor & { userId: string };

export async function listUsers(db: Db, limit: number, offset: number) {
  const [rows, total] = await Promise.all([repo.listUsersPage(db, limit, offset), repo.countUsers(db)]);
  return { items: rows.map(toUserView), total };
}

export async function getUser(db: Db, id: string) {
  const row = await repo.findUserById(db, id);
  if (row === undefined) throw new AppError('USER_NOT_FOUND');
  return toUserView(row);
}

export async function createUser(
  db: Db,
  actor: AuthedActor,
  input: { email: string; name: string; password: string; role: UserRole },
) {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const row = await repo.insertUser(trx, {
      email: input.email,
      name: input.name,
      password_hash: passwordHash,
      role: input.role,
    });
    if (row === undefined) {
      throw new AppError('EMAIL_TAKEN', undefined, {
        errors: [{ in: 'body', field: 'email', message: 'is already registered' }],
      });
    }
    await appendAuditEntry(
      trx,
      auditFor(actor, 'user.created', { type: 'user', id: row.id }, { email: row.email, role: row.role }),
    );
    return toUserView(row);
  });
}

/** Admin change of name, role or status. Disabling revokes every session of the user. */
export async function updateUserAsAdmin(
  db: Db,
  actor: AuthedActor,
  id: string,
  input: { name?: string | undefined; role?: UserRole | undefined; status?: UserStatus | undefined },
) {
  if (id === actor.userId && (input.role !== undefined || input.status !== undefined)) {
    // An admin demoting or disabling itself could leave the platform without an administrator.
    throw new AppError('CANNOT_CHANGE_SELF');
  }
  return db.transaction().execute(async (trx) => {
    const changes = definedOnly(input);
    const row = await repo.updateUser(trx, id, changes);
    if (row === undefined) throw new AppError('USER_NOT_FOUND');
    const revoked = input.status === 'disabled' ? await revokeUserSessions(trx, id, 'user_disabled') : 0;
    await appendAuditEntry(
      trx,
      auditFor(actor, 'user.updated', { type: 'user', id }, { ...changes, revoked_sessions: revoked }),
    );
    // Open WebSockets were authenticated once, at connect: close or update them on every API instance.
    if (input.status === 'disabled')
      await publishAccessEvent(trx, { type: 'user.revoked', user_id: id, reason: 'user_disabled' });
    else if (input.role !== undefined)
      await publishAccessEvent(trx, { type: 'user.role_changed', user_id: id, role: row.role });
    return toUserView(row);
  });
}

/** Deletes a user (sessions, keys and memberships go with it). Refused while the user is a project's only owner. */
export async function deleteUser(db: Db, actor: AuthedActor, id: string) {
  if (id === actor.userId) throw new AppError('CANNOT_CHANGE_SELF');
  await db.transaction().execute(async (trx) => {
    const soleOwned = await projectsSolelyOwnedBy(trx, id);
    if (soleOwned.length > 0) {
      throw new AppError(
        'LAST_OWNER',
        `The user is the only owner of ${soleOwned.length} project(s); transfer them first`,
      );
    }
    const row = await repo.findUserById(trx, id);
    if (row === undefined) throw new AppError('USER_NOT_FOUND');
    await repo.deleteUserById(trx, id);
    await appendAuditEntry(trx, auditFor(actor, 'user.deleted', { type: 'user', id }, { email: row.email }));
    await publishAccessEvent(trx, { type: 'user.revoked', user_id: id, reason: 'user_deleted' });
  });
}
