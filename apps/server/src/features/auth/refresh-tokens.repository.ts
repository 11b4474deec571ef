import type { DbOrTx } from '../../db/database';

export interface NewRefreshToken {
  user_id: string;
  family_id: string;
  token_hash: string;
  expires_at: Date;
  user_agent: string | null;
  ip: string | null;
}

export async function insertRefreshToken(db: DbOrTx, token: NewRefreshToken): Promise<void> {
  await db.insertInto('refresh_tokens').values(token).execute();
}

/** Locks the row so two concurrent refreshes of one token cannot both rotate it. */
export function findRefreshTokenForUpdate(db: DbOrTx, tokenHash: string) {
  return db
    .selectFrom('refresh_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .forUpdate()
    .executeTakeFirst();
}

export function findRefreshToken(db: DbOrTx, tokenHash: string) {
  return db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function markRefreshTokenUsed(db: DbOrTx, id: string): Promise<void> {
  await db.updateTable('refresh_tokens').set({ used_at: new Date() }).where('id', '=', id).execute();
}

export async function revokeFamily(db: DbOrTx, familyId: string, reason: string): Promise<number> {
  const result = await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: new Date(), revoked_reason: reason })
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Revokes every live session of a user, optionally keeping one family (the caller's own session). */
export async function revokeUserSessions(
  db: DbOrTx,
  userId: string,
  reason: string,
  exceptFamilyId?: string,
): Promise<number> {
  let query = db
    .updateTable('refresh_tokens')
    .set({ revoked_at: new Date(), revoked_reason: reason })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (exceptFamilyId !== undefined) query = query.where('family_id', '!=', exceptFamilyId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** True when the session (family) has been revoked: access tokens of a logged-out session stop working. */
export async function isFamilyRevoked(db: DbOrTx, familyId: string): Promise<boolean> {
  const row = await db
    .selectFrom('refresh_tokens')
    .select('id')
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row === undefined;
}
