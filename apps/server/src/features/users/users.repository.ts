import type { Insertable, Updateable } from 'kysely';
import type { DbOrTx } from '../../db/database';
import type { UserRow, UsersTable } from '../../db/schema';

export function findUserById(db: DbOrTx, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUserByEmail(db: DbOrTx, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

/** Inserts a user; returns undefined when the email is taken (unique index), so callers need no race check. */
export function insertUser(db: DbOrTx, values: Insertable<UsersTable>): Promise<UserRow | undefined> {
  return db
    .insertInto('users')
    .values(values)
    .onConflict((oc) => oc.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function updateUser(
  db: DbOrTx,
  id: string,
  values: Updateable<UsersTable>,
): Promise<UserRow | undefined> {
  return db
    .updateTable('users')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function touchLastLogin(db: DbOrTx, id: string): Promise<void> {
  await db.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', id).execute();
}

export async function deleteUserById(db: DbOrTx, id: string): Promise<boolean> {
  const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function countUsers(db: DbOrTx): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export function listUsersPage(db: DbOrTx, limit: number, offset: number): Promise<UserRow[]> {
  return db
    .selectFrom('users')
    .selectAll()
    .orderBy('created_at', 'asc')
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute();
}
