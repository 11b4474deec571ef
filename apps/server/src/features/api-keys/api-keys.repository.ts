import type { DbOrTx } from '../../db/database';

export interface NewApiKey {
  user_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  expires_at: Date | null;
}

export function insertApiKey(db: DbOrTx, key: NewApiKey) {
  return db.insertInto('api_keys').values(key).returningAll().executeTakeFirstOrThrow();
}

export function listApiKeysOf(db: DbOrTx, userId: string) {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** A usable key: not revoked, not expired. */
export function findLiveApiKeyByHash(db: DbOrTx, keyHash: string) {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]))
    .executeTakeFirst();
}

export async function touchApiKey(db: DbOrTx, id: string): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: new Date() }).where('id', '=', id).execute();
}

/** Revokes a key of this user; undefined when there is no such live key. */
export function revokeApiKey(db: DbOrTx, userId: string, id: string) {
  return db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}
